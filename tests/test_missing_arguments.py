"""An argument a public call needs and was not given is a :class:`ConfigError` with the
call to write, as a slip of an option is (:mod:`scalinglab._keywords`), never Python's bare
``TypeError`` ("missing 1 required positional argument: 'path'"), which no
``except ScalingLabError`` catches."""

from __future__ import annotations

from typing import Any

import pytest

import scalinglab as sl
from scalinglab import ConfigError


def test_a_function_given_too_few_arguments_says_which_and_the_call() -> None:
    fit = sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0)
    with pytest.raises(ConfigError) as err:
        sl.write_report(fit, "page.html")  # type: ignore[call-arg]  # the runs forgotten
    assert err.value.message == (
        "scalinglab.write_report needs path: not given, by position or by keyword"
    )
    assert err.value.hint == "give it: scalinglab.write_report(result, runs, path)"
    with pytest.raises(ConfigError) as err:
        sl.plan_for_accuracy(None)  # type: ignore[call-arg, arg-type]
    assert err.value.message.startswith("scalinglab.plan_for_accuracy needs task and target:")
    assert err.value.hint == "give them: scalinglab.plan_for_accuracy(chain, task, target)"


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: sl.read_runs(), "scalinglab.read_runs(source)"),
        (lambda: sl.backtest(), "scalinglab.backtest(runs)"),
        (lambda: sl.FitResult.load(), "FitResult.load(path)"),
        (
            lambda: sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0).save(),
            "result.save(path)",
        ),
    ],
    ids=["read_runs", "backtest", "FitResult.load", "FitResult.save"],
)
def test_every_kind_of_public_call_says_what_it_needs(call: Any, hint: str) -> None:
    with pytest.raises(ConfigError) as err:
        call()
    assert err.value.hint == f"give it: {hint}"


def test_a_method_two_classes_share_writes_the_call_whole() -> None:
    """``IsoFLOPResult.at (EnvelopeResult.at)`` names both; the call to write is one
    call, not ``result.at)(flops=1e24)``."""
    with pytest.raises(ConfigError) as err:
        sl.IsoFLOPResult.at(object(), 1e24)  # type: ignore[arg-type, misc]
    assert err.value.hint == "name it: result.at(flops=1e24)"
    with pytest.raises(ConfigError) as err:
        sl.EnvelopeResult.at(object())  # type: ignore[arg-type, call-arg]
    assert err.value.message.startswith("IsoFLOPResult.at (EnvelopeResult.at) needs flops=")
