"""What several commands say alike: ``--level`` named as the option on every command, a
``--loss`` that is no number nor file said so, a negative warm-up said negative, one "wrote
WHAT: PATH" line for every file written (on stderr beside ``--json``), ``predict --out``,
and ``curves backtest``'s ``--level`` and ``--seed``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._hparam_sweeps import sweep
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, fit_curves
from scalinglab.cli import main
from scalinglab.curves import Tissue

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    curves = _synthetic(Tissue(), TRUTH, SPECS[:3], noise=0, seed=0, every=100)
    return Path(_write_curves(tmp_path_factory.mktemp("said") / "curves.csv", curves))


@pytest.mark.parametrize(
    "command",
    [["fit"], ["hparams", "fit", "sweep.csv"], ["curves", "fit", "c.csv"], ["report"]],
)
def test_level_is_said_as_the_option(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = run(capsys, *command, "--level", "1.5")
    assert code == 2
    assert err.splitlines()[0] == "error: --level must be between 0 and 1, got 1.5"


def test_a_loss_neither_number_nor_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "2X")
    assert code == 2
    assert err.splitlines()[0] == (
        "error: --loss '2X' is neither a number, a loss fit file nor a loss-law preset"
    )


def test_a_negative_warmup_is_said_negative(
    capsys: pytest.CaptureFixture[str], curves_csv: Path
) -> None:
    # refused at the option on the command line, as fit --warmup refuses it (not per run)
    code, _, err = run(capsys, "curves", "fit", str(curves_csv), "--warmup", "-5")
    assert code == 2 and "does not fit" not in err
    assert "Invalid value for '--warmup': -5 is not in the range x>=0" in err
    with pytest.raises(ConfigError, match="a warm-up of -5 steps is negative"):
        fit_curves(str(curves_csv), law="tissue", warmup=-5, bootstrap=0)


def test_curves_fit_json_out_says_what_it_wrote(
    capsys: pytest.CaptureFixture[str], curves_csv: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "curve.json"
    args = ["curves", "fit", str(curves_csv), "--law", "tissue", "--bootstrap", "0"]
    code, out, err = run(capsys, *args, "--json", "--out", str(saved))
    assert code == 0, err
    assert json.loads(out) == json.loads(saved.read_text())
    assert f"wrote fit: {saved}" in err.splitlines()
    code, out, _ = run(capsys, *args, "--out", str(saved))  # a second run: says it replaced
    assert code == 0 and out.endswith(f"wrote fit: {saved} (replaced the earlier file)\n")


def test_hparams_fit_json_out_says_what_it_wrote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, saved = tmp_path / "sweep.csv", tmp_path / "hp.json"
    sweep(1).to_csv(path, index=False)
    code, out, err = run(
        capsys, "hparams", "fit", str(path), "--bootstrap", "0", "--json", "--out", str(saved)
    )
    assert code == 0, err
    assert json.loads(out)["lr_law"] == json.loads(saved.read_text())["lr_law"]
    assert f"wrote fit: {saved}" in err.splitlines()
    # without --json the line follows the table on stdout, as fit and curves fit say it
    code, out, err = run(
        capsys, "hparams", "fit", str(path), "--bootstrap", "0", "--out", str(saved)
    )
    assert code == 0 and "wrote" not in err  # the second run into it: says it replaced
    assert out.endswith(f"wrote fit: {saved} (replaced the earlier file)\n")


def test_predict_out_saves_what_json_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fit = tmp_path / "fit.json"
    assert main(["fit", "--bootstrap", "20", "--out", str(fit), "--json"]) == 0
    capsys.readouterr()
    args = ["predict", "--fit", str(fit), "--params", "1B,7B", "--tokens", "20B"]
    code, printed, _ = run(capsys, *args, "--json")
    assert code == 0
    saved = tmp_path / "p.json"
    code, out, _ = run(capsys, *args, "--out", str(saved))
    assert code == 0 and out.endswith(f"wrote predictions: {saved}\n")
    assert json.loads(saved.read_text()) == json.loads(printed)
    code, out, err = run(capsys, *args, "--json", "--out", str(saved))
    assert (code, out) == (0, printed)  # again into p.json: said replaced, on stderr
    assert err.startswith(f"wrote predictions: {saved} (replaced the earlier file)\n")
    assert all(line.startswith(("warning: ", "note: ")) for line in err.splitlines()[1:])
    code, _, err = run(capsys, *args, "--out", str(fit))  # never over the fit it reads
    assert code == 2 and "--out" in err and fit.read_text().startswith("{")


def test_curves_backtest_seed_and_level_shape_the_bands(
    capsys: pytest.CaptureFixture[str], curves_csv: Path
) -> None:
    args = ["curves", "backtest", str(curves_csv), "--law", "tissue", "--train", "run0,run1"]
    code, _, err = run(capsys, *args, "--seed", "3")
    assert code == 2
    assert err.splitlines()[0] == (
        "error: --seed shapes the --plot's bands of --bootstrap resamples, and no --bootstrap "
        "was given"
    )


def _runs_help(capsys: pytest.CaptureFixture[str], command: str) -> str:
    """The RUNS line of ``command --help``, its wrapping undone."""
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    words = " ".join(out.split())
    return words[words.index("RUNS Run table") : words.index("(--data).") + len("(--data).")]


def test_runs_is_said_alike_by_the_loss_law_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """fit, backtest and report read RUNS, else --store, else bundled runs: each says so
    (fit and backtest said bundled runs without RUNS, though --store is read first)."""
    said = {c: _runs_help(capsys, c) for c in ("fit", "backtest", "report")}
    assert set(said.values()) == {
        "RUNS Run table (.csv .tsv .parquet .jsonl .json). Without it and without --store: "
        "bundled real runs (--data)."
    }
