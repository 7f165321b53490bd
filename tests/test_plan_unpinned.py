"""An allocation whose tokens-per-parameter (or N*) interval spans two decades or more warns
that the runs do not pin it down, as a fit warns of such a coefficient: in Python
(:attr:`Allocation.warnings`), under `plan` and fit's plan table, and in their JSON. The
bundled overtraining runs (no coefficient spans two decades) plan 1e23 FLOPs with tokens per
parameter in [0.0927, 72.1]; the Chinchilla points pin every budget from 1e21 to 1e24."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.data import bundled_runs
from scalinglab.plan import Allocation, Estimate
from scalinglab.plan._pinned import said, said_once, unpinned
from scalinglab.plan._result import AllocationSpan

TODO = "runs at more model sizes per budget, and at larger budgets, narrow it"


def _allocation(tokens_per_param: Estimate, params: Estimate) -> Allocation:
    one = Estimate(1.0, 1.0, 1.0)
    return Allocation(flops=one, params=params, tokens=one, tokens_per_param=tokens_per_param,
                      loss=one, level=0.9, method="closed form", flops_rule="C = 6·N·D")  # fmt: skip


def test_a_ratio_spanning_three_decades_is_said_with_its_interval() -> None:
    found = unpinned(
        _allocation(Estimate(1.01, 0.0927, 72.1), Estimate(129e9, 15.2e9, 424e9)), at="1e23"
    )
    assert found.warnings == (
        "the runs do not pin down the allocation at 1e23: tokens/param [0.0927, 72.1] spans "
        f"2.9 decades; {TODO}",
    )


def test_n_star_spanning_two_decades_is_said_too() -> None:
    found = unpinned(_allocation(Estimate(20.0, 0.5, 400.0), Estimate(1e11, 2e9, 3e11)), at="1e24")
    assert found.warnings == (
        "the runs do not pin down the allocation at 1e24: tokens/param [0.5, 400] spans 2.9 "
        f"decades and N* [2B, 300B] spans 2.2 decades; {TODO}",
    )


@pytest.mark.parametrize(
    ("ratio", "unreachable"),
    [
        (Estimate(2.08, 0.396, 35.0), 0.0),
        (Estimate(20.0, math.nan, math.nan), 0.0),
        (Estimate(20.0, 5.0, math.inf), 0.07),  # a target out of reach: its note says so
    ],
)
def test_under_two_decades_or_without_an_interval_nothing_is_said(
    ratio: Estimate, unreachable: float
) -> None:
    found = replace(_allocation(ratio, Estimate(1e10, 1e9, 2e10)), unreachable=unreachable)
    assert unpinned(found, at="1e21") == found  # [0.396, 35]: 1.95 decades


def test_a_budgets_interval_reaching_0_or_infinity_is_unbounded() -> None:
    """A resample whose D term is flat (beta at 0) puts the whole budget in N: N* = ∞,
    D* = 0. Such intervals, [0, 461] and [1.91B, ∞], were said nothing of (their span was
    NaN), while a narrower [0.0927, 72.1] warned."""
    found = unpinned(
        _allocation(Estimate(37.9, 0.0, 461.0), Estimate(6.64e9, 1.91e9, math.inf)), at="1e22"
    )
    assert found.warnings == (
        "the runs do not pin down the allocation at 1e22: tokens/param [0, 461] is unbounded "
        "and N* [1.91B, ∞] is unbounded (some resamples' optima put the whole budget in N or "
        f"in D); {TODO}",
    )


def test_a_fit_whose_data_exponent_reaches_0_warns_in_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = tmp_path / "runs.csv"  # 8 runs, flops and no tokens: beta's interval reaches 0
    runs.write_text(
        "run,params,flops,loss\na,20M,4.8e16,3.95\nb,40M,1.9e17,3.62\nc,80M,7.7e17,3.36\n"
        "d,160M,3.1e18,3.15\ne,320M,1.2e19,2.98\nf,640M,4.9e19,2.85\ng,40M,4.8e16,3.99\n"
        "h,80M,1.9e17,3.66\n"
    )
    fit = tmp_path / "fit.json"
    sl.fit("chinchilla", str(runs), bootstrap=200, extrapolation=False).save(fit)
    found = sl.optimal_allocation(fit, flops=1e22)
    assert found.tokens_per_param.lower == 0.0 and found.params.upper == math.inf
    assert len(found.warnings) == 1 and "is unbounded" in found.warnings[0]
    code, out, _ = cli(capsys, "plan", "--fit", str(fit), "--compute", "1e22", "--json")
    data = json.loads(out)  # the fit's own warnings come first in the top-level list
    assert code == 0 and data["allocation"]["warnings"] == list(found.warnings)
    assert data["warnings"][-1] == found.warnings[0]


@pytest.fixture(scope="module")
def overtraining(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unpinned") / "fit.json"
    sl.fit("chinchilla", bundled_runs(), bootstrap=100, extrapolation=False).save(path)
    return path


def _said(lo: float, hi: float, at: str) -> str:
    """The warning's start, from the numbers the plan gives (the solver's builds agree to
    rounding, not to the last digit)."""
    return f"the runs do not pin down the allocation at {at}: tokens/param [{lo:.3g}, {hi:.3g}]"


def test_the_bundled_runs_at_1e23_warn_in_python_and_in_plan(
    capsys: pytest.CaptureFixture[str], overtraining: Path
) -> None:
    found = sl.optimal_allocation(overtraining, flops=1e23)
    lo, hi = found.tokens_per_param.lower, found.tokens_per_param.upper
    assert math.log10(hi / lo) > 2.5  # ~[0.09, 72]
    assert len(found.warnings) == 1 and found.warnings[0].startswith(_said(lo, hi, "1e23"))
    code, out, _ = cli(capsys, "plan", "--fit", str(overtraining), "--compute", "1e23")
    warned = " ".join(f"warning: {found.warnings[0]}".split())
    assert code == 0 and warned in " ".join(out.split())
    code, out, _ = cli(capsys, "plan", "--fit", str(overtraining), "--compute", "1e23", "--json")
    data = json.loads(out)
    assert data["warnings"] == data["allocation"]["warnings"] == [found.warnings[0]]


def test_fits_plan_table_warns_at_each_budget_it_does_not_pin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "fit", "--bootstrap", "100", "--json")
    assert code == 0
    rows = json.loads(out)["plan"]
    assert any(w for row in rows for w in row["warnings"])  # 1e22 to 1e24: 2.4 to 3.4 decades
    for row in rows:
        spans = math.log10(row["tokens_per_param_upper"] / row["tokens_per_param_lower"])
        at = f"{row['flops']:.3g}".replace("e+", "e")
        said = [w for w in row["warnings"] if w.startswith("the runs do not pin down")]
        lo, hi = row["tokens_per_param_lower"], row["tokens_per_param_upper"]
        assert (len(said) == 1 and said[0].startswith(_said(lo, hi, at))) == (spans >= 2), row


def test_the_chinchilla_points_pin_every_default_budget(chinchilla_csv_path: Path) -> None:
    runs = sl.read_runs(chinchilla_csv_path, drop_outliers=True)
    result = sl.fit("chinchilla", runs, bootstrap=100, extrapolation=False)
    for flops in (1e21, 1e22, 1e23, 1e24):
        found = sl.optimal_allocation(result, flops=flops)
        assert found.warnings == ()
        assert math.log10(found.tokens_per_param.upper / found.tokens_per_param.lower) < 1


def test_several_budgets_say_the_warning_of_each_not_only_the_last(
    capsys: pytest.CaptureFixture[str], overtraining: Path
) -> None:
    # 1e21 is pinned (under two decades), 1e23 is not: the footer followed the last table
    args = ("plan", "--fit", str(overtraining), "--compute", "1e23,1e21")
    said = sl.optimal_allocation(overtraining, flops=1e23).warnings
    assert sl.optimal_allocation(overtraining, flops=1e21).warnings == () and len(said) == 1
    code, out, _ = cli(capsys, *args)
    assert code == 0 and " ".join(f"warning: {said[0]}".split()) in " ".join(out.split())
    code, out, _ = cli(capsys, *args, "--json")
    assert code == 0 and json.loads(out)["warnings"] == list(said)


def _row(at: str, ratio: Estimate, params: Estimate) -> Allocation:
    return unpinned(replace(_allocation(ratio, params), flops=Estimate(float(at), 0, 0)), at=at)


def test_several_budgets_warnings_are_said_once_each_row_keeping_its_own() -> None:
    """`fit` printed three near-identical lines (1e22, 1e23, 1e24), one per budget."""
    rows = [
        _row("1e21", Estimate(2.0, 0.4, 36.0), Estimate(1e10, 2e9, 3e10)),  # 1.95: pinned
        _row("1e22", Estimate(1.5, 0.167, 58.5), Estimate(3e10, 5e9, 1e11)),  # 2.54
        _row("1e23", Estimate(1.0, 0.0755, 94.3), Estimate(1e11, 1e10, 2e12)),  # 3.10; 2.30
        _row("1e24", Estimate(0.7, 0.0362, 134.0), Estimate(5e11, 3e10, 4e12)),  # 3.57; 2.12
    ]
    assert rows[0].warnings == () and rows[0].spans == ()
    assert rows[1].warnings == (
        f"the runs do not pin down the allocation at 1e22: tokens/param [0.167, 58.5] spans "
        f"2.5 decades; {TODO}",
    )
    assert [s.quantity for s in rows[2].spans] == ["tokens/param", "N*"]
    assert rows[2].spans[1].decades == pytest.approx(math.log10(2e12 / 1e10))
    warnings, notes = said_once(rows)
    assert warnings == [
        "the runs do not pin down the allocation at 1e22, 1e23 and 1e24: tokens/param spans "
        "2.5, 3.1 and 3.6 decades and N* spans 2.3 and 2.1 decades at 1e23 and 1e24 (the "
        f"plan's intervals); {TODO}"
    ]
    assert notes == []
    # one row warned: its own line, with its interval
    assert said_once(rows[:2]) == (list(rows[1].warnings), [])


def test_merged_lines_keep_the_other_warnings_in_place_and_say_unbounded_spans() -> None:
    other = "intervals from 20 resamples"
    rows = [
        replace(
            _row("1e22", Estimate(1.5, 0.167, 58.5), Estimate(3e10, 5e9, 1e11)),
            notes=(f"warning: {other}",),
        ),
        _row("1e23", Estimate(37.9, 0.0, 461.0), Estimate(6.64e9, 1.91e9, math.inf)),
    ]
    assert rows[0].warnings[-1] == other
    warnings, _ = said_once(rows)
    assert warnings == [
        "the runs do not pin down the allocation at 1e22 and 1e23: tokens/param spans 2.5 "
        "decades at 1e22 and is unbounded at 1e23 and N* is unbounded at 1e23 (the plan's "
        "intervals; some resamples' optima put the whole budget in N or in D); "
        f"{TODO}",
        other,
    ]
    # a fit's own warning, said apart, is left out
    assert said_once(rows, less=(other,))[0] == warnings[:1]


def test_several_budgets_at_the_edge_are_one_note() -> None:
    edges = [
        AllocationSpan(
            at,
            "tokens/param",
            lo,
            hi,
            math.log10(hi / lo),
            inner=i,
            outer=o,
            resamples=200,
            edge=True,
        )
        for at, lo, hi, i, o in (("1e21", 0.386, 36.2, 1.8, 3.0), ("1e22", 0.5, 40.0, 1.6, 2.4))
    ]
    rows = []
    for e in edges:
        notes = said([[e]])[1]
        rows.append(replace(_allocation(Estimate(1, 1, 1), Estimate(1, 1, 1)), spans=(e,),
                            notes=("far", *notes)))  # fmt: skip
    assert rows[0].notes[1] == (
        "the allocation at 1e21 is at the edge of pinned down: tokens/param [0.386, 36.2] "
        "spans 1.8 to 3.0 decades within its ends' seed-to-seed error at 200 resamples, "
        "either side of the 2 that warn; the seed would decide, so it is not warned of"
    )
    assert said_once(rows) == ([], [
        "far",
        "the allocations at 1e21 and 1e22 are at the edge of pinned down: tokens/param spans "
        "1.8-3.0 and 1.6-2.4 decades (the plan's intervals) within their ends' seed-to-seed "
        "error at 200 resamples, either side of the 2 that warn; the seed would decide, so "
        "neither is warned of",
    ])  # fmt: skip


def test_fit_and_plan_print_one_line_for_the_budgets_they_do_not_pin(
    capsys: pytest.CaptureFixture[str], overtraining: Path
) -> None:
    code, out, _ = cli(capsys, "fit", "--bootstrap", "100", "--no-compare")
    assert code == 0
    lines = [ln for ln in out.splitlines() if ln.startswith("warning: the runs do not pin")]
    assert len(lines) == 1 and lines[0].startswith(
        "warning: the runs do not pin down the allocation at 1e22, 1e23 and 1e24: tokens/param "
        "spans "
    )
    args = ("plan", "--fit", str(overtraining), "--compute", "1e22,1e23,1e24")
    found = [sl.optimal_allocation(overtraining, flops=c) for c in (1e22, 1e23, 1e24)]
    assert all(len(a.warnings) == 1 for a in found)
    code, out, _ = cli(capsys, *args, "--json")
    data = json.loads(out)
    assert code == 0 and [p["allocation"]["warnings"] for p in data["plans"]] == [
        list(a.warnings) for a in found
    ]  # each budget's own, in the JSON's rows
    spans = [math.log10(a.tokens_per_param.upper / a.tokens_per_param.lower) for a in found]
    merged = (
        "the runs do not pin down the allocation at 1e22, 1e23 and 1e24: tokens/param spans "
        f"{spans[0]:.1f}, {spans[1]:.1f} and {spans[2]:.1f} decades (the plan's intervals); "
        f"{TODO}"
    )
    assert data["warnings"] == [merged]
    code, out, _ = cli(capsys, *args)
    assert code == 0 and " ".join(f"warning: {merged}".split()) in " ".join(out.split())
    assert out.count("warning: the runs do not pin") == 1
