"""Every result's ``to_dict()`` is what its JSON holds: ``inf``/NaN as the strings
``"inf"``/``"nan"`` (as ``FitResult.to_dict`` and the command line's ``--json`` write them),
so ``json.dumps(r.to_dict())`` from Python is strict JSON; a plan's ``notes`` is a list, as
every other result's."""

from __future__ import annotations

import json
import math

import pytest
from tests.conftest import CHINCHILLA_CSV

import scalinglab as sl
from scalinglab._json import json_ready


@pytest.fixture(scope="module")
def runs() -> sl.RunTable:
    return sl.read_runs(CHINCHILLA_CSV, drop_outliers=True)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_plan_past_what_samples_reach_holds_inf_and_nan_as_strings(runs: sl.RunTable) -> None:
    # the new-user sweep's case: some resamples never reach loss 1.81
    result = sl.fit("chinchilla", runs, bootstrap=50, seed=0)
    plan = sl.compute_for_loss(result, target_loss=1.81)
    assert plan.flops.upper == math.inf and math.isnan(plan.tokens_per_param.lower)
    d = plan.to_dict()
    assert d["flops_upper"] == "inf" and d["tokens_per_param_lower"] == "nan"
    assert float(d["flops_upper"]) == math.inf  # float() reads the strings back
    assert d["notes"] == list(plan.notes) and len(d["notes"]) > 1  # a list, not "; "-joined
    assert "NaN" not in json.dumps(d, allow_nan=False)  # strict: no Infinity/NaN tokens


def test_a_point_backtest_has_coverage_nan_as_a_string(runs: sl.RunTable) -> None:
    bt = sl.backtest(runs, law="chinchilla", holdout="top-decile", bootstrap=0)
    d = bt.to_dict()
    assert d["summary"]["coverage"] == {"0.5": "nan", "0.8": "nan", "0.9": "nan"}
    json.dumps(d, allow_nan=False)  # raises on a float NaN anywhere in it


def test_an_unreachable_target_plans_with_a_list_of_notes() -> None:
    from scalinglab.plan._compute import unreachable_target

    a = unreachable_target(sl.get_preset("hoffmann2022"), target_loss=1.5, reason="why")
    assert a.to_dict()["notes"] == ["why"]
    assert (a.to_dict()["flops"], a.to_dict()["params"]) == ("inf", "nan")


def test_json_ready_keeps_the_name_and_docstring_and_turns_numpy_plain() -> None:
    import numpy as np

    class Thing:
        @json_ready
        def to_dict(self) -> dict[str, object]:
            """Doc."""
            return {"x": np.float64("nan"), "y": (np.int64(3), -math.inf)}

    assert Thing.to_dict.__doc__ == "Doc." and Thing.to_dict.__name__ == "to_dict"
    assert Thing().to_dict() == {"x": "nan", "y": [3, "-inf"]}
    assert type(Thing().to_dict()["y"][0]) is int
