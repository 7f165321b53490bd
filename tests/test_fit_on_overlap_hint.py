"""A ``--fit-on`` rule that shares runs with ``--holdout`` is refused with a hint that
changes it (the example was ``--fit-on 'flops<=max/8'``, the user's own rule, again), and
the rule the hint suggests parts the runs."""

from __future__ import annotations

import pytest

import scalinglab
from scalinglab._errors import ConfigError
from scalinglab.validate import split_runs


def test_the_hint_adds_the_negated_holdout_to_fit_on() -> None:
    runs = scalinglab.default_runs()
    with pytest.raises(ConfigError, match="both select 4 run") as caught:
        split_runs(runs, "params>=400M", fit_on="flops<=max/8")
    hint = caught.value.hint or ""
    assert hint == (
        "leave the held-out runs out of it: --fit-on 'flops<=max/8 & params<400M'; or drop "
        "--fit-on to fit on every run not held out"
    )
    split = split_runs(runs, "params>=400M", fit_on="flops<=max/8 & params<400M")
    frame = runs.to_pandas()
    fitted = (frame.flops <= frame.flops.max() / 8) & (frame.params < 4e8)
    assert len(split.fitted) == int(fitted.sum()) and len(split.held_out) == int(
        (frame.params >= 4e8).sum()
    )
    assert not set(split.fitted.runs) & set(split.held_out.runs)


def test_a_rule_of_no_one_bound_is_told_to_drop_fit_on() -> None:
    with pytest.raises(ConfigError) as caught:
        split_runs(scalinglab.default_runs(), "top-scales:2", fit_on="flops>=1e19")
    hint = caught.value.hint or ""
    assert hint.startswith("drop --fit-on to fit on every run not held out")
    assert "flops>=1e19" not in hint and "top-scales:2" not in hint


def test_a_negation_that_would_leave_no_run_to_fit_is_not_suggested() -> None:
    # every run --fit-on selects is held out: adding 'flops<1e20' would select none
    with pytest.raises(ConfigError, match="both select 2 runs") as caught:
        split_runs(scalinglab.default_runs(), "flops>=1e20", fit_on="flops>=1e20")
    hint = caught.value.hint or ""
    assert hint.startswith("drop --fit-on to fit on every run not held out")
    assert "flops<1e20" not in hint
