"""One rule for a budget in Python: a number, or its text as ``--compute`` reads it
(``"1e21"``, ``"1e21 FLOPs"``), wherever a function takes ``flops=`` or ``budgets=``.
``isoflop(...).at(flops="1e21")`` was refused while ``optimal_allocation(fit,
flops="1e24")`` read it, and neither read ``"1e24 FLOPs"``."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import scalinglab as sl

TINY = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"


@pytest.fixture(scope="module")
def iso() -> sl.validate.IsoFLOPResult:
    return sl.isoflop(TINY, bootstrap=0)


@pytest.mark.parametrize("text", ["1e21", "1e21 FLOPs", " 1e21 flops", "1e21 FLOP"])
def test_isoflop_at_reads_a_budget_written_as_text(
    iso: sl.validate.IsoFLOPResult, text: str
) -> None:
    got = iso.at(flops=text)
    assert got.flops == 1e21
    # the power law N_opt = k · C^a, computed here from its own coefficients
    law = iso.params_law
    want = law.coefficient.value * 1e21**law.exponent.value
    assert float(got.params_opt) == pytest.approx(want, rel=1e-12)


def test_optimal_allocation_reads_a_unit_flops() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sl.fit("chinchilla", TINY, bootstrap=0)
    want = sl.optimal_allocation(fit, flops=1e24)
    for text in ("1e24", "1e24 FLOPs"):
        got = sl.optimal_allocation(fit, flops=text)
        assert float(got.params) == float(want.params)
        assert float(got.tokens) == float(want.tokens)


def test_isoflop_budgets_and_simulated_budgets_read_a_unit() -> None:
    given = sl.isoflop(TINY, budgets=["2e11 FLOPs", "4e11", "800G FLOPs"], bootstrap=0)
    assert [b.flops for b in given.budgets] == [2e11, 4e11, 8e11]
    texts = sl.simulate_ladder(budgets=["1e18 FLOPs", "1e19", 1e20], sizes_per_budget=3)
    plain = sl.simulate_ladder(budgets=[1e18, 1e19, 1e20], sizes_per_budget=3)
    assert np.array_equal(texts["flops"], np.repeat([1e18, 1e19, 1e20], 3))
    assert np.array_equal(texts["loss"], plain["loss"])


def test_text_of_no_budget_is_still_refused_naming_the_unit() -> None:
    with pytest.raises(sl.ConfigError, match=r"budgets='1e19 tokens' is a count of tokens, "
                       "not FLOPs") as err:  # fmt: skip
        sl.isoflop(TINY, budgets=["1e19 tokens"], bootstrap=0)
    assert err.value.hint == "write a number of FLOPs there: 1e19 or '1e19 FLOPs'"
    with pytest.raises(sl.ConfigError, match=r"budgets='1e19 apples' is not a number") as err:
        sl.isoflop(TINY, budgets=["1e19 apples"], bootstrap=0)
    assert "a unit FLOPs after it or not (1e24 FLOPs)" in str(err.value.hint)
    with pytest.raises(sl.ConfigError, match="budgets must be positive FLOP counts"):
        sl.simulate_ladder(budgets=["1e19 apples"])
    with pytest.raises(sl.ConfigError, match=r"^budgets='1e19 tokens' is a count of tokens, "):
        sl.simulate_ladder(budgets=["1e19 tokens"])
