"""The fitted values of a law are ``coefs``: ``.params`` is a deprecated alias that warns,
fit files say ``"coefs"``, and files with the old ``"params"`` key still load."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

from scalinglab import FitResult, fit
from scalinglab.curves import CurveFit
from scalinglab.downstream._refit import Step
from scalinglab.hparams._laws import HparamLaw
from scalinglab.laws import get_law


@pytest.fixture(scope="module")
def result() -> FitResult:
    return fit("power-law-plus-constant", chinchilla_runs(outliers=0), bootstrap=0, seed=0)


def test_params_alias_warns_and_returns_the_coefs(result: FitResult) -> None:
    with pytest.warns(
        DeprecationWarning, match=r"FitResult\.params is deprecated.*FitResult\.coefs"
    ):
        old = result.params  # type: ignore[deprecated]
    assert old == result.coefs and set(old) == {"E", "A", "alpha"}


def test_fit_file_writes_coefs_and_reads_the_old_params_key(
    result: FitResult, tmp_path: Path
) -> None:
    new = result.to_dict()
    assert "coefs" in new and "params" not in new
    old = {("params" if k == "coefs" else k): v for k, v in new.items()}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    back = FitResult.load(path)
    assert back.coefs == result.coefs
    assert back.predict(params=1e9).loss == pytest.approx(result.predict(params=1e9).loss)


def test_every_result_class_with_fitted_values_has_the_alias() -> None:
    coefs = {"A": 2.0, "alpha": 0.3}
    hp = HparamLaw("lr", "A * N**alpha", coefs, {}, None, 0.9, "converged", 4)
    step = Step(get_law("A * N**alpha"), coefs, np.empty((0, 2)), 0.0, "log", "converged", 1)
    curve = CurveFit(
        "multipower", coefs, {}, None, 0.9, 0.0, "converged", "", 1, 1, (), np.empty(0), {}
    )
    for obj in (hp, step, curve):
        name = type(obj).__name__
        with pytest.warns(DeprecationWarning, match=rf"{name}\.params is deprecated"):
            assert obj.params == coefs  # type: ignore[deprecated]


def test_hparam_law_reads_the_old_params_key() -> None:
    law = HparamLaw("lr", "A * N**alpha", {"A": 2.0, "alpha": -0.3}, {}, None, 0.9, "converged", 4)
    data = law.to_dict()
    assert "coefs" in data and "params" not in data
    data["params"] = data.pop("coefs")
    back = HparamLaw.from_dict(data)
    assert back.coefs == law.coefs
    assert back.predict(params=1e9)[0] == pytest.approx(2.0 * 1e9**-0.3)
    assert math.isnan(back.predict(params=1e9)[1][0])


def test_renamed_interval_kinds_keep_a_warning_alias(result: FitResult) -> None:
    """``Prediction.interval`` and ``Allocation.loss_interval`` named a kind of interval,
    while ``HparamPrediction.loss_interval`` holds bounds: renamed ``interval_kind`` and
    ``loss_interval_kind``, the old names warn for one release."""
    from scalinglab.plan import optimal_allocation

    pred = result.predict(params=1e10, tokens=2e11)
    with pytest.warns(DeprecationWarning, match=r"Prediction\.interval is deprecated"):
        assert pred.interval == pred.interval_kind
    fitted = fit("chinchilla", chinchilla_runs(outliers=0), bootstrap=20, seed=0)
    plan = optimal_allocation(fitted, flops=1e22)
    with pytest.warns(DeprecationWarning, match=r"Allocation\.loss_interval is deprecated"):
        assert plan.loss_interval == plan.loss_interval_kind
