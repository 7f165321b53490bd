"""``isoflop`` and ``envelope`` write each estimate as ``plan --json`` does: ``a``, ``a_lower``,
``a_upper`` (was ``"a": {"value", "lower", "upper"}``), each budget's ``params_opt``,
``params_opt_lower``, ... and each law's ``exponent_*``, ``coefficient_*`` with its ``level``;
``to_dict()`` is the JSON."""

from __future__ import annotations

from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves

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
