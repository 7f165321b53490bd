"""One rule for a report whose fit drew 1 to 19 resamples (``validate._guards.report_resamples``):
the loss report's backtest section and ``downstream report --holdout``'s alike draw a
point-only backtest, its errors scored as a backtest with no bootstrap scores them, and say
why its coverage is not scored (not "no bootstrap was asked": the user asked for a few);
``backtest`` and ``downstream backtest``, whose product is the scored backtest, refuse them
(tests/test_downstream_backtest_few_resamples.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests._pages import page_text
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame

import scalinglab as sl
from scalinglab.cli import main
from scalinglab.downstream import backtest_downstream, read_evals
from scalinglab.validate._guards import UNSCORED_NOTE, report_resamples

WHY = (
    "the fit's {n} resamples are under 20, too few to place a 90% interval's ends (the 5th "
    "and 95th percentiles), so its backtest predicts points and scores their errors; "
    "--bootstrap 20 or more scores coverage too"
)


@pytest.mark.parametrize(("asked", "drawn"), [(0, 0), (1, 0), (19, 0), (20, 20), (200, 200)])
def test_the_rule(asked: int, drawn: int) -> None:
    assert report_resamples(asked) == (drawn, WHY.format(n=asked) if 0 < asked < 20 else "")


@pytest.mark.heavy
def test_the_loss_report_says_why_its_backtest_is_points(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert main(["report", "--bootstrap", "10", "--out", str(page)]) == 0  # the bundled runs
    text = page_text(page.read_text(encoding="utf-8"))
    assert f"coverage not scored: {WHY.format(n=10)}" in text
    assert UNSCORED_NOTE not in text  # "with no bootstrap (bootstrap=0, --bootstrap 0)"
    # its errors are the point backtest's, as `backtest --bootstrap 0` scores them
    bt = sl.backtest(sl.default_runs(), law="chinchilla", bootstrap=0)
    for are in (bt.summary.median_are, bt.summary.max_are):
        assert f"{100 * are:.2f}%" in text


@pytest.mark.heavy  # 5.9 s in the suite on a 2-core AMD EPYC
def test_the_downstream_report_draws_a_point_backtest_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, page = tmp_path / "evals.csv", tmp_path / "ds.html"
    _frame(0).to_csv(path, index=False)
    code = main(
        ["downstream", "report", str(path), "--holdout", HOLDOUT, "--law", "chinchilla",
         "--bootstrap", "5", "--max-backtest-error", "inf", "--out", str(page)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    text = page_text(page.read_text(encoding="utf-8"), "downstream-backtest")
    assert f"errors only, with no coverage: {WHY.format(n=5)}." in text
    assert "coverage" not in text.split("task mean abs error (points)")[1].split("note")[0]
    # the task's error is that of the backtest drawn with no bootstrap
    point = backtest_downstream(
        read_evals(_frame(0)), holdout=HOLDOUT, law="chinchilla", bootstrap=0,
        max_backtest_error=None,
    )  # fmt: skip
    row = re.search(r" task (\d+\.\d\d) ", text)
    assert row is not None and row.group(1) == f"{100 * point.tasks['task'].abs_error:.2f}"
