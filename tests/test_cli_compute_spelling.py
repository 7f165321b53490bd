"""Messages name the compute option as typed: ``predict --compute`` (the hidden alias of
``--flops``) was refused as "--flops 1e23 is not 6·N·D ... hint: drop --flops"; ``plan
--flops`` (the hidden alias of ``--compute``) as "--compute 'abc' is not a number"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab


@pytest.fixture(scope="module")
def runs_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hoffmann et al.'s law, noise-free, at 3 budgets x 7 sizes."""
    h = scalinglab.get_preset("hoffmann2022").coefs
    rows = []
    for c in (1e18, 1e19, 1e20):
        for n in 0.6 * (c / 6) ** 0.5 * np.geomspace(1 / 8, 8, 7):
            d = c / (6 * n)
            loss = h["E"] + h["A"] * n ** -h["alpha"] + h["B"] * d ** -h["beta"]
            rows.append({"params": n, "tokens": d, "loss": loss})
    path = tmp_path_factory.mktemp("spelling") / "runs.csv"
    pd.DataFrame(rows).to_csv(path, index_label="run")
    return path


@pytest.fixture(scope="module")
def fit_file(runs_file: Path) -> Path:
    path = runs_file.with_name("fit.json")
    scalinglab.fit("chinchilla", scalinglab.read_runs(runs_file), bootstrap=10).save(path)
    return path


def test_predict_names_compute_as_typed(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    args = ("predict", "--fit", str(fit_file), "--params", "70B", "--tokens", "1.4T")
    code, out, err = cli(capsys, *args, "--compute", "1e23", one_line=True)
    assert code == 2 and not out
    assert "; --compute 1e23 is not 6·N·D of the --params and --tokens given" in err
    assert "--tokens and --compute both give D" in err and "--flops" not in err
    assert "hint: drop --compute (the law reads D from --tokens)" in err
    code, _, err = cli(capsys, *args, "--flops", "1e23", one_line=True)
    assert code == 2 and "; --flops 1e23 is not 6·N·D" in err and "--compute" not in err
    code, _, err = cli(capsys, *args[:5], "--compute", "abc", one_line=True)
    assert code == 2 and "error: --compute 'abc' is not a number" in err


def test_hparams_predict_names_compute_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    base = ("hparams", "predict", "--preset")
    code, _, err = cli(capsys, *base, "steplaw2025", "--compute", "1e23", one_line=True)
    assert code == 2 and "(flops= without params= and tokens=, --compute without" in err
    assert "--flops" not in err
    code, _, err = cli(capsys, *base, "kaplan2020", "--loss", "2.5", "--compute", "1e21")
    assert code == 2 and "error: --preset kaplan2020 takes no --compute" in err
    assert "hint: drop --compute" in err
    code, out, err = cli(capsys, *base, "porian2024", "--params", "7B", "--compute", "1e23")
    assert code == 0, err
    assert "so the given C (--compute, Python: flops=) changes no number" in " ".join(out.split())


@pytest.mark.parametrize("command", ["plan", "isoflop", "fit"])
def test_budgets_name_flops_as_typed(
    capsys: pytest.CaptureFixture[str], command: str, runs_file: Path, fit_file: Path
) -> None:
    first = ("--fit", str(fit_file)) if command == "plan" else (str(runs_file),)
    code, _, err = cli(capsys, command, *first, "--flops", "abc", one_line=True)
    assert code == 2 and "error: --flops 'abc' is not a number" in err, err
    code, _, err = cli(capsys, command, *first, "--compute", "abc", one_line=True)
    assert code == 2 and "error: --compute 'abc' is not a number" in err, err


def test_plan_both_names_flops_as_typed(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    code, _, err = cli(capsys, "plan", "--fit", str(fit_file), "--flops", "1e23",
                       "--target-loss", "2")  # fmt: skip
    assert code == 2 and "error: give one of --flops FLOPS or --target-loss LOSS" in err


@pytest.mark.parametrize("command", ["plan", "isoflop", "fit", "report"])
def test_budgets_in_both_spellings_are_refused(
    capsys: pytest.CaptureFixture[str], command: str, runs_file: Path, fit_file: Path
) -> None:
    """``plan --compute 1e22 --flops abc`` said "--compute 'abc' is not a number": both
    spellings at once are refused, as ``predict --flops --compute`` is."""
    first = ("--fit", str(fit_file)) if command == "plan" else (str(runs_file),)
    code, out, err = cli(capsys, command, *first, "--compute", "1e22", "--flops", "abc",
                         one_line=True)  # fmt: skip
    assert code == 2 and not out
    assert "error: --compute 1e22 and --flops abc both given: here --flops is read as" in err
    assert "hint: give --compute or --flops, not both: --compute 1e22 --compute abc" in err
