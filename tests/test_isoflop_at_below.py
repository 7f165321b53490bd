"""``isoflop --at`` below the smallest fitted budget says how far below, as plan says of a
budget below its runs: 1e15 against budgets from 6e18 was labelled "inside" (only the
distance past the largest budget was measured)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._chinchilla_draws import isoflop_runs
from tests._cli import cli

import scalinglab as sl
from scalinglab.validate import isoflop


@pytest.fixture(scope="module")
def result() -> sl.validate.IsoFLOPResult:
    return isoflop(isoflop_runs(), bootstrap=20, level=0.9, seed=0)


def test_a_budget_below_the_fitted_ones_is_measured_down(
    result: sl.validate.IsoFLOPResult,
) -> None:
    used = [b.flops for b in result.budgets if b.used]
    low, top = min(used), max(used)
    assert (result.params_law.floor, result.tokens_law.floor) == pytest.approx((low, low))
    under = result.at(flops=low / 1000)
    assert (under.distance, under.below) == (pytest.approx(3.0), True)
    assert under.to_dict()["below"] is True
    inside = result.at(flops=math.sqrt(low * top))
    assert (inside.distance, inside.below) == (0.0, False)
    past = result.at(flops=top * 100)
    assert (past.distance, past.below) == (pytest.approx(2.0), False)


def test_the_table_says_below_and_names_the_smallest_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], result: sl.validate.IsoFLOPResult
) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    low = min(b.flops for b in result.budgets if b.used)
    at = f"{low / 1000:g}"
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "20", "--at", at)
    assert code == 0, err
    assert "x1,000 below" in out and "3.00 dec" in out and "inside │" not in out
    assert "note: below: under the smallest budget the laws were fitted on" in out
    code, out, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "20", "--at", at, "--json")
    assert json.loads(out)["at"][0]["below"] is True
