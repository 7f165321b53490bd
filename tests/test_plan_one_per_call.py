"""compute_for_loss plans one target per call: a list is refused with the loop that plans
each, as optimal_allocation refuses several budgets (one helper, one message shape)."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab import ConfigError, compute_for_loss, get_preset

HOFFMANN = get_preset("hoffmann2022")


def test_several_target_losses_are_refused_with_the_loop_that_plans_each() -> None:
    with pytest.raises(ConfigError) as info:
        compute_for_loss(HOFFMANN, target_loss=[2.1, 2.05])  # type: ignore[arg-type]
    assert info.value.message == (
        "target_loss must be one number, got a list of 2 ([2.1, 2.05]): compute_for_loss "
        "plans one target per call and returns one Allocation"
    )
    assert info.value.hint == (
        "call it once per target, e.g. "
        "[compute_for_loss(fit, target_loss=loss) for loss in [2.1, 2.05]]"
    )
    # the loop it says plans each target
    each = [compute_for_loss(HOFFMANN, target_loss=loss) for loss in [2.1, 2.05]]
    assert [round(a.loss.value, 9) for a in each] == [2.1, 2.05]


def test_an_array_of_one_target_is_refused_too_and_a_bad_number_as_before() -> None:
    with pytest.raises(ConfigError, match=r"got a list of 1 \(\[2\.1\]\).*one target per call"):
        compute_for_loss(HOFFMANN, target_loss=np.array([2.1]))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="target_loss='x' is not a number"):
        compute_for_loss(HOFFMANN, target_loss="x")  # type: ignore[arg-type]


def test_a_0d_array_and_a_numpy_scalar_are_one_number_for_both_calls() -> None:
    from scalinglab import optimal_allocation

    plain = optimal_allocation(HOFFMANN, flops=1e21)
    for flops in (np.array(1e21), np.float64(1e21)):
        got = optimal_allocation(HOFFMANN, flops=flops)  # type: ignore[arg-type]
        assert got.params.value == plain.params.value
    small = optimal_allocation(HOFFMANN, flops=np.int64(10**18))  # type: ignore[arg-type]
    assert small.params.value == optimal_allocation(HOFFMANN, flops=1e18).params.value
    target = compute_for_loss(HOFFMANN, target_loss=2.1).flops.value
    for loss in (np.array(2.1), np.float64(2.1)):
        assert compute_for_loss(HOFFMANN, target_loss=loss).flops.value == target  # type: ignore[arg-type]
    # a bad 0-d value is said as a number, not as array(-1.0)
    with pytest.raises(ConfigError) as info:
        optimal_allocation(HOFFMANN, flops=np.array(-1.0))  # type: ignore[arg-type]
    assert info.value.message == "flops must be positive and finite, got -1.0"


def test_the_loop_in_the_hint_writes_numpy_scalars_as_plain_numbers() -> None:
    from scalinglab import optimal_allocation

    with pytest.raises(ConfigError) as info:
        optimal_allocation(HOFFMANN, flops=[np.int64(10**18), np.int64(2 * 10**18)])  # type: ignore[arg-type]
    assert info.value.message == (
        "flops must be one number, got a list of 2 ([1e18, 2e18]): optimal_allocation "
        "plans one budget per call and returns one Allocation"
    )
    assert info.value.hint == (
        "call it once per budget, e.g. [optimal_allocation(fit, flops=c) for c in [1e18, 2e18]]"
    )
