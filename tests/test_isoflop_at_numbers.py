"""``IsoFLOPResult.at`` takes a budget of any real number type (``np.float32``, ``np.int64``
were refused as not numbers), still refuses ``True``, and its hints name a ``help()`` call
that works (``see help(IsoFLOPResult.at (EnvelopeResult.at))`` was none)."""

from __future__ import annotations

import numpy as np
import pytest
from tests._chinchilla_draws import isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.validate import isoflop

HELP = "the budget in FLOPs, e.g. at(flops=1e23); see help(IsoFLOPResult.at), the same method as EnvelopeResult.at"


@pytest.fixture(scope="module")
def result() -> sl.validate.IsoFLOPResult:
    return isoflop(isoflop_runs(), bootstrap=20, level=0.9, seed=0)


@pytest.mark.parametrize("flops", [np.float32(1e23), np.int64(10**18), np.float64(1e23)])
def test_numpy_budgets_are_read_as_the_float(
    result: sl.validate.IsoFLOPResult, flops: object
) -> None:
    got, want = result.at(flops=flops), result.at(flops=float(flops))  # type: ignore[arg-type]
    assert type(got.flops) is float
    assert got.flops == float(flops)  # type: ignore[arg-type]
    assert got.params_opt.value == pytest.approx(want.params_opt.value, rel=1e-12)


@pytest.mark.parametrize("flops", [True, np.bool_(True), "lots"])
def test_a_bool_or_text_of_no_budget_is_still_refused(
    result: sl.validate.IsoFLOPResult, flops: object
) -> None:
    with pytest.raises(ConfigError, match=r"flops must be a positive, finite number of FLOPs"):
        result.at(flops=flops)  # type: ignore[arg-type]


def test_another_quantitys_word_is_refused_as_such(result: sl.validate.IsoFLOPResult) -> None:
    with pytest.raises(ConfigError, match=r"flops='1e23 tokens' is a count of tokens, not FLOPs"):
        result.at(flops="1e23 tokens")


def test_a_missing_or_unknown_keyword_names_a_working_help_call(
    result: sl.validate.IsoFLOPResult,
) -> None:
    with pytest.raises(ConfigError) as missing:
        result.at()  # type: ignore[call-arg]
    assert (missing.value.message, missing.value.hint) == (
        "IsoFLOPResult.at (EnvelopeResult.at) needs flops=",
        HELP,
    )
    with pytest.raises(ConfigError) as unknown:
        result.at(flops=1e23, xyzzy=1)  # type: ignore[call-arg]
    assert unknown.value.hint == HELP
    help(type(result).at)  # the call the hint names works
