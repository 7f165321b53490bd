"""``backtest`` lists at most ``--limit`` held-out runs (25 by default), farthest from the
fitted ones first, and says how many it left out, the worst among them, and how to see them
all: a top decile of 5,000 runs printed a 500-row table ordered by run name."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_excluded_summary import chinchilla_runs

from scalinglab import backtest
from scalinglab._backtest_order import by_distance, listed_said

_ARGS = ("--no-rolling", "--bootstrap", "0")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chinchilla_runs(tmp_path_factory.mktemp("rows") / "runs.csv", n=300, missing=0)


def _rows(out: str) -> list[list[str]]:
    """The held-out table's rows, as cells."""
    table = out.split("held-out runs:")[1]
    return [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines()
            if line.startswith("│ r")]  # fmt: skip


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_the_farthest_25_are_listed_and_the_rest_counted(
    capsys: pytest.CaptureFixture[str], runs: Path
) -> None:
    code, out, err = cli(capsys, "backtest", str(runs), *_ARGS)
    assert code == 0, err
    rows = _rows(out)
    flops = [float(r[1]) for r in rows]
    assert len(rows) == 25 and flops == sorted(flops, reverse=True)
    said = next(line for line in out.splitlines() if "not shown" in line)
    assert said.startswith(
        "the 25 farthest past the largest fitted flops of 30 held-out runs listed; 5 not shown"
    )
    assert said.endswith(": --limit 0 lists every one (--json and --out hold them all)")
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--json")
    scored = json.loads(out)["laws"][0]["backtest"]["runs"]
    worst = max(scored, key=lambda r: r["are"])
    assert float(rows[-1][1]) >= min(r["scale"] for r in scored)  # the farthest, not others
    named = f", among them the worst, run {worst['run']!r} (ARE " in said
    assert named == (worst["run"] not in {r[0] for r in rows})  # named where left out


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_limit_0_lists_every_run(capsys: pytest.CaptureFixture[str], runs: Path) -> None:
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--limit", "0")
    assert code == 0 and len(_rows(out)) == 30 and "not shown" not in out
    code, out, _ = cli(capsys, "backtest", str(runs), *_ARGS, "--limit", "3")
    assert len(_rows(out)) == 3
    assert (
        "the 3 farthest past the largest fitted flops of 30 held-out runs listed; 27 not shown, "
        "among them the worst, run 'r107' (ARE 1.03% at 2.54× fitted): --limit 0 lists every "
        "one (--json and --out hold them all)"
    ) in out


def test_a_holdout_inside_the_fitted_range_is_listed_by_its_distance_and_said_so(
    capsys: pytest.CaptureFixture[str], runs: Path
) -> None:
    """A predicate holds out runs below the largest fitted too: they were called the
    "farthest" from the fitted runs, ordered by scale; now by × fitted, and said so."""
    args = ("backtest", str(runs), *_ARGS, "--holdout", "tokens>=1e11", "--limit", "40")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    times = [float(r[2]) for r in _rows(out)]
    assert len(times) == 40 and times == sorted(times, reverse=True) and times[-1] < 1
    said = " ".join(next(line for line in out.splitlines() if "not shown" in line).split())
    assert said.startswith(
        "the 40 of 56 held-out runs with the largest × fitted flops listed, largest first (34 "
        "of them not past the largest fitted flops); 16 not shown"
    )


def test_a_run_with_no_distance_is_listed_last(runs: Path) -> None:
    bt = backtest(runs, law="chinchilla", bootstrap=0)
    first = bt.runs[0]  # the split's first, somewhere in the order by distance
    blank = dataclasses.replace(first, scale=math.nan, times_fitted=math.nan)
    bt = dataclasses.replace(bt, runs=(blank, *bt.runs[1:]))
    ordered = by_distance(bt)
    assert ordered[-1] is blank
    times = [r.times_fitted for r in ordered[:-1]]
    assert times == sorted(times, reverse=True)
    assert listed_said(bt, ordered[-3:]) == (
        "the 3 of 30 held-out runs with the largest × fitted flops listed, largest first (1 "
        "with no flops, listed after the others)"
    )
