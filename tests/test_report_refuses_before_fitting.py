"""A report page refuses what its fit would refuse (too few runs or models, an option out of
range) before the line that says it is fitting: the refusal is the only line it prints, not
"fitting chinchilla to 3 runs (200 bootstrap resamples)..." and then the error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._pages import write_evals
from tests.conftest import isoflop_runs

from scalinglab.cli import main


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three runs as a file, and as a run store."""
    folder = tmp_path_factory.mktemp("three")
    frame = isoflop_runs(seed=1).drop(columns="flops").iloc[[0, 7, 14]]
    frame.insert(0, "run", ["r0", "r7", "r14"])
    path = folder / "t3.csv"
    frame.to_csv(path, index=False)
    store = folder / "runs.duckdb"
    assert main(["ingest", str(path), "--store", str(store)]) == 0
    return path, store


@pytest.mark.parametrize("source", ["file", "store"])
def test_too_few_runs_for_the_law_is_the_only_line(
    three: tuple[Path, Path], source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, store = three
    given = [str(path)] if source == "file" else ["--store", str(store)]
    out = tmp_path / "report.html"
    capsys.readouterr()
    assert main(["report", *given, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    named = path if source == "file" else store
    assert err.startswith(
        f"error: {named}: only 3 runs, but law 'chinchilla' has 5 parameters; a fit needs "
        "at least 6 runs\n"
    )
    assert "fitting" not in err and not out.exists()


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--space", "cubic"], "error: --space must be 'log' or 'linear', got 'cubic'"),
        (["--seed", "-1"], "error: --seed must be a whole number at least 0, got -1"),
        (["--delta", "0"], "error: the robust loss's scale delta must be a positive number"),
        (["--x", "N=tokens"], "error: --x N=tokens (x={'N': 'tokens'}): law 'power-law' has no"),
    ],
)
def test_an_option_the_fit_refuses_is_the_only_line(
    three: tuple[Path, Path],
    option: list[str],
    said: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "report.html"
    argv = ["report", str(three[0]), "--law", "power-law:flops", "--no-validate", *option]
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(said) and "fitting" not in err and not out.exists()


def test_too_few_models_for_the_chain_is_the_only_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = write_evals(tmp_path)
    evals = tmp_path / "five.csv"
    pd.read_csv(full).iloc[:5].to_csv(evals, index=False)
    out = tmp_path / "ds.html"
    for command in (["report", str(evals), "--downstream"], ["downstream", "report", str(evals)]):
        assert main([*command, "--law", "chinchilla", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert (
            f"error: {evals}: 5 models are too few for the chain: law 'chinchilla' (5 "
            "parameters) and 'sigmoid' (up to 4) need at least 10 models\n"
        ) in err
        assert "fitting the chain" not in err and not out.exists()
