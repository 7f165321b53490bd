"""``isoflop`` and ``envelope`` write each estimate as ``plan --json`` does: ``a``, ``a_lower``,
``a_upper`` (was ``"a": {"value", "lower", "upper"}``), each budget's ``params_opt``,
``params_opt_lower``, ... and each law's ``exponent_*``, ``coefficient_*`` with its ``level``;
``to_dict()`` is the JSON. The isoflop table prints the loss at each optimum with the
interval the JSON holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._chinchilla_draws import BUDGETS, HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli

from scalinglab import envelope, isoflop
from scalinglab.plan import Estimate

_BUDGET = ("params_opt", "tokens_opt", "tokens_per_param", "loss_opt")


def _flat(record: dict[str, object], name: str) -> tuple[object, object, object]:
    return record[name], record[f"{name}_lower"], record[f"{name}_upper"]


def _as_tuple(e: Estimate) -> tuple[float, float, float]:
    return e.value, e.lower, e.upper


def test_isoflop_to_dict_is_flat_and_holds_the_estimates() -> None:
    result = isoflop(isoflop_runs(noise=0.01), bootstrap=100, seed=1)
    d = result.to_dict()
    assert _flat(d, "a") == _as_tuple(result.a) and _flat(d, "b") == _as_tuple(result.b)
    assert d["level"] == 0.9 and isinstance(d["a"], float)  # not {"value", "lower", "upper"}
    law = d["params_law"]
    assert _flat(law, "exponent") == _as_tuple(result.params_law.exponent)
    assert _flat(law, "coefficient") == _as_tuple(result.params_law.coefficient)
    assert law["level"] == 0.9
    for budget, got in zip(result.budgets, d["budgets"], strict=True):
        for name in _BUDGET:
            assert _flat(got, name) == _as_tuple(getattr(budget, name))
    first = d["budgets"][0]
    assert first["loss_opt_lower"] < first["loss_opt"] < first["loss_opt_upper"]


def test_envelope_to_dict_is_flat() -> None:
    curves = law_curves(HOFFMANN, sizes=10)
    result = envelope(curves, bootstrap=20, seed=0)
    d = result.to_dict()
    assert _flat(d, "a") == _as_tuple(result.a)
    assert _flat(d["tokens_law"], "exponent") == _as_tuple(result.tokens_law.exponent)


def test_isoflop_table_prints_the_loss_interval_the_json_holds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = tmp_path / "runs.csv"
    isoflop_runs(noise=0.01).to_csv(runs, index=False)
    budgets = ",".join(f"{b:.6g}" for b in BUDGETS)
    args = ("isoflop", str(runs), "--budgets", budgets, "--tolerance", "0.1", "--seed", "2")
    code, out, err = cli(capsys, *args, "--bootstrap", "50", "--out", str(tmp_path / "iso.json"))
    assert code == 0, err
    first = json.loads((tmp_path / "iso.json").read_text())["budgets"][0]
    lo, hi = f"{first['loss_opt_lower']:.5g}", f"{first['loss_opt_upper']:.5g}"
    assert f"[{lo}, {hi}]" in out  # the first row's loss interval, as --json holds it
    code, out, err = cli(capsys, *args, "--bootstrap", "0")
    assert code == 0 and "loss" in out and "[" not in out.split("compute-optimal")[0]


def test_isoflop_out_replaces_its_own_older_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a file written by the release before (format scalinglab.isoflop/1, nested estimates) is
    # this command's own output: --out replaces it, as it did then (a /2 id was refused)
    runs, out = tmp_path / "runs.csv", tmp_path / "iso.json"
    isoflop_runs(noise=0.01).to_csv(runs, index=False)
    out.write_text(json.dumps({"format": "scalinglab.isoflop/1", "a": {"value": 0.5}}))
    budgets = ",".join(f"{b:.6g}" for b in BUDGETS)
    code, _, err = cli(capsys, "isoflop", str(runs), "--budgets", budgets, "--tolerance", "0.1",
                       "--bootstrap", "0", "--out", str(out))  # fmt: skip
    assert code == 0, err
    assert json.loads(out.read_text())["format"] == "scalinglab.isoflop/2"
    # another kind's file is still refused
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format": "scalinglab.plan/1"}))
    code, _, err = cli(capsys, "isoflop", str(runs), "--budgets", budgets, "--tolerance", "0.1",
                       "--bootstrap", "0", "--out", str(plan))  # fmt: skip
    assert code == 2 and "is a plan" in err
