"""``report EVALS --downstream --runs RUNS``: evaluations that hold scores only (long tables,
lm-evaluation-harness output) joined to their run table, as ``downstream report`` joins
them, which the readers' hint names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_report_downstream_chain_options import page_text

from scalinglab.cli import main


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A long table of scores (run, task, metric, value) and the run table beside it."""
    folder = tmp_path_factory.mktemp("runs")
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame[["run", "params", "tokens", "loss"]].to_csv(folder / "runs.csv", index=False)
    scores = frame.melt(id_vars="run", value_vars=["acc_task", "acc_flat"], var_name="task")
    scores["task"] = scores["task"].str.removeprefix("acc_")
    scores.assign(metric="acc").to_csv(folder / "long.csv", index=False)
    return folder / "long.csv", folder / "runs.csv"


def test_the_page_joins_the_runs_given(
    split: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long, runs = split
    page = tmp_path / "r.html"
    base = ["report", str(long), "--downstream", "--no-validate", "--law", "chinchilla",
            "--bootstrap", "0", "--out", str(page)]  # fmt: skip
    assert main(base) == 2  # scores only: the hint names --runs
    assert "--runs runs.csv" in " ".join(capsys.readouterr().err.split())
    code = main([*base, "--runs", str(runs)])
    err = capsys.readouterr().err
    assert code == 0, err
    text = page_text(page)
    assert f"--runs {runs}" in text  # the card's command runs again
    assert "task — predictable" in text  # joined: the chain fitted


def test_runs_is_refused_without_downstream(
    split: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = split[1]
    code = main(["report", str(runs), "--runs", str(runs), "--out", str(tmp_path / "r.html")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2
    assert (
        "--runs chooses the evaluations of a --downstream page; --downstream was not given" in err
    )


def test_the_page_is_never_written_over_the_runs(
    split: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    long, runs = split
    before = runs.read_bytes()
    code = main(["report", str(long), "--downstream", "--runs", str(runs), "--out", str(runs)])
    assert code == 2 and runs.read_bytes() == before
