"""Coverage is scored by one rule everywhere (:func:`scalinglab.validate._score.covered`): an
interval with an end that is not finite (none drawn, or unbounded) or a run with no value
to score is not scored, never counted as covering; tables show "—" and how many were
scored where some were not, JSON ``null``."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame

from scalinglab.cli._downstream_views import print_backtest
from scalinglab.downstream import DownstreamBacktest, backtest_downstream, read_evals
from scalinglab.report._downstream import _backtest_section
from scalinglab.validate._score import coverage_of, covered


def test_covered_does_not_score_a_run_without_a_value() -> None:
    marks = covered(np.zeros(3), np.array([1.0, 1.0, math.inf]), np.array([0.5, math.nan, 0.5]))
    np.testing.assert_array_equal(marks, [1.0, math.nan, math.nan])
    assert coverage_of(marks) == (1.0, 1)
    cov, k = coverage_of(np.array([math.nan, math.nan]))
    assert math.isnan(cov) and k == 0


@pytest.fixture(scope="module")
def unbounded() -> DownstreamBacktest:
    """A real downstream backtest whose ``task`` intervals are made unbounded ([0, ∞]) for
    the first two held-out models, and ``task2``'s lower end NaN for the first."""
    evals = read_evals(_frame(0), chance={"task": 0.25, "task2": 0.25})
    result = backtest_downstream(
        evals, holdout=HOLDOUT, law="chinchilla", bootstrap=30, max_backtest_error=None
    )
    t, t2 = result.tasks["task"], result.tasks["task2"]
    lower, upper = t.lower.copy(), t.upper.copy()
    lower[:2], upper[:2] = 0.0, math.inf
    lower2 = t2.lower.copy()
    lower2[0] = math.nan
    tasks = {
        "task": dataclasses.replace(t, lower=lower, upper=upper),
        "task2": dataclasses.replace(t2, lower=lower2),
    }
    return dataclasses.replace(result, tasks=tasks)


def test_downstream_coverage_leaves_out_unbounded_intervals(unbounded: DownstreamBacktest) -> None:
    t, t2 = unbounded.tasks["task"], unbounded.tasks["task2"]
    finite = (t.lower <= t.actual) & (t.actual <= t.upper)
    # was the mean over all 5, counting [0, ∞] as covering: 2 of 5 more
    assert finite[:2].all() and t.coverage == pytest.approx(float(np.mean(finite[2:])))
    assert t.coverage_scored == 3 and t.scored == 5 and t.coverage_unscored
    assert [m is None for m in (None if math.isnan(x) else x for x in t.inside)] == [
        True, True, False, False, False,
    ]  # fmt: skip
    assert t2.coverage_scored == 4 and t2.coverage_unscored  # NaN end: not scored, not a miss
    assert repr(t).endswith(" (3 of 5 scored))")
    # every end unbounded: NaN, not 100%
    every = dataclasses.replace(t, upper=np.full(5, math.inf))
    assert math.isnan(every.coverage) and every.coverage_scored == 0


def test_downstream_table_json_and_report_say_how_many_were_scored(
    unbounded: DownstreamBacktest,
) -> None:
    t = unbounded.tasks["task"]
    console = Console(record=True, width=200)
    print_backtest(console, unbounded, unbounded.rows(), 0.9)
    row = next(line for line in console.export_text().splitlines() if "│ task " in line)
    said = f"{round(3 * t.coverage)} of 3 (3 of 5 scored)"  # a count over so few models
    assert t.coverage_text == said and said in row
    payload = json.loads(json.dumps(unbounded.to_dict()))
    assert payload["tasks"]["task"]["inside"][:2] == [None, None]
    assert all(isinstance(m, bool) for m in payload["tasks"]["task"]["inside"][2:])
    assert payload["tasks"]["task"]["coverage_scored"] == 3
    assert payload["tasks"]["task2"]["coverage_scored"] == 4
    html = _backtest_section(unbounded).body
    assert f"{said}</td>" in html
    # a task with every interval bounded shows no count
    assert "(5 of 5 scored)" not in html and "(5 of 5 scored)" not in console.export_text()


@pytest.fixture
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmarks' folder on the path, as they run (``python benchmarks/x.py``)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))


@pytest.mark.usefixtures("benchmarks")
def test_far_calibration_benchmark_scores_no_unbounded_interval() -> None:
    import calibration_far

    marks = covered(
        np.array([0.0, 1.0, 1.0]), np.array([math.inf, 2.0, 2.0]), np.array([3.0, 1.5, 3.0])
    )
    scores = [(float(m), 0.1) for m in marks]
    # was 2 of 3 (the [0, ∞] run a hit): now 1 of the 2 scored
    assert calibration_far.cell(scores) == " 50.0% [2/3] (10.00%)"
    assert calibration_far.cell(scores[:1]) == "     — [0/1] (10.00%)"
    assert calibration_far.cell(scores[1:]) == " 50.0% (10.00%)"


@pytest.mark.usefixtures("benchmarks")
def test_downstream_benchmark_coverage_says_how_many_were_scored() -> None:
    from _downstream_split import cover

    lo, hi = np.array([0.0, 0.2, 0.2, math.nan]), np.array([math.inf, 0.4, 0.4, 0.4])
    marks = covered(lo, hi, np.array([0.9, 0.3, 0.5, 0.3]))
    assert cover(marks) == "50% (2 of 4)"  # was 50%: [0, ∞] hit, NaN miss
    assert cover(marks[1:3]) == "50%"
    assert cover(marks[:1]) == "— (0 of 1)"


@pytest.mark.usefixtures("benchmarks")
@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_calibration_variants_benchmark_scores_no_unbounded_interval() -> None:
    import calibration_variants
    from calibration import SCENARIOS
    from scalinglab.validate import simulate_runs

    table = simulate_runs(SCENARIOS[0], seed=1)
    held = table["flops"] >= max(SCENARIOS[0].budgets)
    c = calibration_variants.case(table.select(~held), table.select(held), bootstrap=20, seed=1)
    lo, hi = c.boot[0.9]
    n = len(c.log_error)
    before = calibration_variants.cells([c], 0.9)["bootstrap"]
    assert before[3:] == (n, n)  # every bootstrap interval bounded: all scored
    hi = hi.copy()
    hi[0], lo = math.inf, np.where(np.arange(n) == 0, -math.inf, lo)
    after = calibration_variants.cells([dataclasses.replace(c, boot={0.9: (lo, hi)})], 0.9)
    inside = (c.boot[0.9][0] <= c.log_error) & (c.log_error <= c.boot[0.9][1])
    assert after["bootstrap"][3:] == (n - 1, n)
    assert after["bootstrap"][0] == pytest.approx(float(np.mean(inside[1:])))
