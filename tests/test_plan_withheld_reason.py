"""``plan_withheld`` is a reason (a string) or ``None``: a ``FitResult`` built in Python with
``plan_withheld=True`` is refused when built, and planning refuses any fit-like object
holding one, where ``check_withheld`` read only strings and planned from it silently."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from scalinglab._errors import ConfigError
from scalinglab.laws import Law

_TRUE = (
    "FitResult's plan_withheld must be why no plan may be made from the fit (a string, as fit "
    "records it) or None where one may, got True"
)


@pytest.fixture(scope="module")
def result() -> sl.FitResult:
    n = np.geomspace(1e7, 1e9, 8)
    d = n * np.array([5, 40, 10, 80, 20, 5, 40, 10])
    loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
    runs = pd.DataFrame({"run": [f"r{i}" for i in range(8)], "params": n, "tokens": d,
                         "loss": loss})  # fmt: skip
    return sl.fit("chinchilla", runs, bootstrap=0)


@pytest.mark.parametrize("given", [True, 1, ["one ratio"]])
def test_a_fit_result_with_a_reason_that_is_no_string_is_refused(
    result: sl.FitResult, given: object
) -> None:
    with pytest.raises(ConfigError) as err:
        dataclasses.replace(result, plan_withheld=given)
    assert err.value.message == _TRUE.replace("True", repr(given))
    assert err.value.hint.startswith("give the reason in words (plan_withheld='the runs")


def test_a_reason_in_words_is_kept_and_refuses_the_plan(result: sl.FitResult) -> None:
    assert sl.optimal_allocation(result, flops=1e21).flops.value == 1e21  # None: it plans
    withheld = dataclasses.replace(result, plan_withheld="plan withheld: one ratio")
    assert withheld.plan_withheld == "plan withheld: one ratio"
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(withheld, flops=1e21)
    assert err.value.message.startswith("plan withheld: one ratio, and the loss")


@dataclasses.dataclass(frozen=True)
class _OwnFit:
    """A fit of the user's own class, as planning takes one (:class:`~scalinglab.plan.FitLike`)."""

    law: Law
    coefs: Mapping[str, float]
    samples: np.ndarray | None
    level: float
    plan_withheld: object


def test_planning_refuses_a_fit_like_object_whose_reason_is_no_string(
    result: sl.FitResult,
) -> None:
    own = _OwnFit(result.law, result.coefs, None, 0.9, plan_withheld=True)
    with pytest.raises(ConfigError) as err:  # it was planned from, silently
        sl.optimal_allocation(own, flops=1e21)
    assert err.value.message == _TRUE.replace("FitResult", "_OwnFit")
    plain = _OwnFit(result.law, result.coefs, None, 0.9, plan_withheld=None)
    expected = sl.optimal_allocation(result, flops=1e21).params.value
    assert sl.optimal_allocation(plain, flops=1e21).params.value == pytest.approx(expected)
