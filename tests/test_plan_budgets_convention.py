"""``plan --fit`` without ``--compute`` takes the budgets ``fit``'s plan table took, where
the runs' FLOPs are no constant multiple of 6·N·D (examples/isoflop-tiny counts attention
and the head: C = 6·N·D·(1 + 17.57·N^-0.4157)), and for a law of C read from a mapped
column. It planned 7e12-7e14 there (6·N·D at the largest N·D) where fit planned 8e12-8e14."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.plan._budgets import fit_budgets

TINY = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"
#: The note both commands print for the tiny runs (``optimal_allocation``'s ``flops=``: fit said
#: ``budgets=``, a keyword no Python call of a fit takes).
NOTE = (
    "budgets 8e12, 8e13, 8e14 FLOPs: 10x, 100x, 1000x the largest run's compute (8e11), as "
    "it lies 9.1 decades below the default 1e21-1e24; choose with --compute (flops= in Python)"
)


def test_plan_takes_fits_budgets_under_a_non_constant_flops_convention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "tiny.json"
    args = ["fit", str(TINY), "--bootstrap", "0", "--no-compare", "--out", str(saved), "--json"]
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    fitted = json.loads(out)
    assert fitted["flops_convention"]["coef"] > 0  # r(N) falls with N: no constant ratio
    assert fitted["flops_convention"]["largest"] == pytest.approx(7.99935e11, rel=1e-5)
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--json")
    assert code == 0, err
    data = json.loads(out)
    planned = [p["query"]["flops"] for p in data["plans"]]
    assert planned == [row["flops"] for row in fitted["plan"]] == [8e12, 8e13, 8e14]
    assert data["notes"][0] == NOTE
    code, text, err = cli(capsys, *args[:-1])  # fit's own table says the same note
    assert code == 0, err
    assert f"note: {NOTE}" in " ".join(text.split())


def test_a_file_without_the_largest_flops_counts_n_d_by_its_convention() -> None:
    # a fit saved before fits recorded their largest FLOPs: the tiny runs' reach and rule
    rule = FlopsConvention(counted="exact", coef=17.572988771322812, power=-0.4157283007785575)
    reach = {"N": 80112.0, "D": 6763520.0, "N*D": 114930597888.0, "D/N": 453.08}
    fit = SimpleNamespace(extrapolation=SimpleNamespace(reach=reach), flops_convention=rule)
    assert fit_budgets(fit).values == (8e12, 8e13, 8e14)  # 6·N·D alone: 7e12-7e14
    recorded = SimpleNamespace(extrapolation=fit.extrapolation,
                               flops_convention=FlopsConvention(counted="exact", largest=3e13))  # fmt: skip
    assert fit_budgets(recorded).values == (3e14, 3e15, 3e16)


def test_a_law_of_c_read_from_another_column_takes_its_largest_c() -> None:
    compute = np.array([1e15, 3e15, 1e16, 3e16, 1e17, 3e17])
    frame = pd.DataFrame({"run": [f"r{i}" for i in range(6)], "compute": compute,
                          "loss": 1.7 + 40.0 * compute**-0.1})  # fmt: skip
    result = scalinglab.fit("E + A*C**-alpha", frame, x={"C": "compute"}, bootstrap=0)
    assert dict(result.columns) == {"C": "compute"}
    budgets = fit_budgets(scalinglab.FitResult.from_dict(result.to_dict()))
    assert budgets.values == (3e18, 3e19, 3e20)  # not the standard 1e21-1e24
    assert budgets.note is not None and "(3e17)" in budgets.note
