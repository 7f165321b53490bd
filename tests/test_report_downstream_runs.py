"""``report EVALS --downstream --runs RUNS``: evaluations that hold scores only (long tables,
lm-evaluation-harness output) joined to their run table, as ``downstream report`` joins
them, which the readers' hint names; what reading them decided is on the page and the
screen, and the card's backtest line gives the tasks' own misses beside the average's."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_report_downstream_chain_options import page_text

from scalinglab.cli import main
from scalinglab.downstream import DownstreamBacktest, backtest_downstream, read_evals


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A long table of scores (run, task, metric, value) and the run table beside it."""
    folder = tmp_path_factory.mktemp("runs")
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame[["run", "params", "tokens", "loss"]].to_csv(folder / "runs.csv", index=False)
    noise = np.random.default_rng(1).normal(0, 0.01, len(frame))
    frame["acc_other"] = 0.25 + 0.5 / (1 + np.exp(2.5 * (frame["loss"] - 3.1))) + noise
    tasks = ["acc_task", "acc_other", "acc_flat"]
    scores = frame.melt(id_vars="run", value_vars=tasks, var_name="task")
    scores["task"] = scores["task"].str.removeprefix("acc_")
    scores = scores.assign(metric="acc")
    # a generative task scored by another metric: left out, with a note
    exact = scores[scores["task"] == "task"].assign(task="gsm8k", metric="exact_match")
    pd.concat([scores, exact]).to_csv(folder / "long.csv", index=False)
    return folder / "long.csv", folder / "runs.csv"


@pytest.mark.heavy
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
    # joined: the chain fitted (the row as downstream fit prints it: chance, law, backtest)
    assert re.search(r"\btask — a=[-\w.=, ]+? [\d.]+ pts predictable\b", text)


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


_LEFT = "no acc for gsm8k: left out (--metric exact_match reads it)"


@pytest.fixture(scope="module")
def backtest(split: tuple[Path, Path]) -> DownstreamBacktest:
    """The backtest both commands' pages show, computed by the library: once for both."""
    long, runs = split
    evals = read_evals(long, runs=runs)
    return backtest_downstream(
        evals, holdout="params>=200M", law="chinchilla", bootstrap=0, max_backtest_error=None
    )


@pytest.mark.parametrize("command", [["downstream", "report"], ["report", "--downstream"]])
@pytest.mark.heavy
def test_what_reading_decided_is_on_page_and_screen_and_the_card_has_task_errors(
    split: tuple[Path, Path],
    backtest: DownstreamBacktest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    long, runs = split
    page = tmp_path / "r.html"
    code = main([*command, str(long), "--runs", str(runs), "--law", "chinchilla",
                 "--bootstrap", "0", "--max-backtest-error", "inf", "--holdout", "params>=200M",
                 "--out", str(page)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"note: {_LEFT}" in " ".join(err.split())
    text = page_text(page)
    assert _LEFT in text
    bt = backtest
    misses = [t.abs_error for t in bt.tasks.values() if not t.reason]
    assert len(misses) == 2  # the flat task is refused: it has no miss
    line = (
        f"downstream backtest (params>=200M): mean error {100 * bt.average().abs_error:.2f} "
        f"points on the average accuracy; mean absolute error per task "
        f"{100 * float(np.mean(misses)):.2f} points (over the 2 tasks predicted)"
    )
    assert line in text
