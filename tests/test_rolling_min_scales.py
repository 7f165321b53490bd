"""``rolling_backtest(min_scales=)``: a positive whole number, refused otherwise in one line
naming it, and a value above the scales there are says so (it was "no step has more runs
than the law has parameters", or a raw TypeError, or accepted silently)."""

from __future__ import annotations

from typing import Any

import pytest

from scalinglab import ConfigError, bundled_runs, rolling_backtest
from scalinglab.data import RunTable
from scalinglab.validate import Rolling


@pytest.fixture(scope="module")
def runs() -> RunTable:
    return bundled_runs()


def _rolling(runs: RunTable, min_scales: Any) -> Rolling:
    return rolling_backtest(
        runs, law="chinchilla", holdout="largest:10", bootstrap=0, min_scales=min_scales
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (-5, "rolling_backtest(min_scales=-5): "),
        (0, "rolling_backtest(min_scales=0): "),
        (2.5, "rolling_backtest(min_scales=2.5) (a float): "),
        ("3", "rolling_backtest(min_scales='3') (a str): "),
        (True, "rolling_backtest(min_scales=True) (a bool): "),
    ],
)
def test_min_scales_must_be_a_positive_whole_number(
    runs: RunTable, given: object, said: str
) -> None:
    with pytest.raises(ConfigError) as err:
        _rolling(runs, given)
    assert err.value.message == (
        f"{said}min_scales, the fewest scales the first rolling-origin step fits on, must be "
        "a whole number, at least 1"
    )
    assert err.value.hint == "pass e.g. min_scales=2 (the default)"


@pytest.mark.parametrize("given", [16, 20, 30])
def test_min_scales_above_the_scales_there_are_says_so(runs: RunTable, given: int) -> None:
    with pytest.raises(ConfigError) as err:
        _rolling(runs, given)
    assert err.value.message == (
        f"rolling_backtest(min_scales={given}): the 21 runs fitted (held out: the 10 largest "
        "runs by flops) lie at 15 scales of flops (runs within 0.05 decades of the next are "
        "one), fewer than min_scales"
    )
    assert err.value.hint == "pass min_scales=15 or fewer, or hold out fewer runs"


def test_min_scales_at_the_scales_there_are_fits_one_step(runs: RunTable) -> None:
    assert [s.scales for s in _rolling(runs, 15).steps] == [15]
    assert [s.scales for s in _rolling(runs, 14).steps] == [14, 15]
