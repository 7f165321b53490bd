"""An option given by position, or an argument given twice, across the public Python API:
every function in ``scalinglab.__all__`` and every public method of its classes that takes
keywords says what came by position and the call to write, in one :class:`ConfigError`
form, never Python's bare ``TypeError`` ("takes 1 positional argument but 2 were given",
"got multiple values for argument")."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest

import scalinglab as sl
from scalinglab import ConfigError

_KEYWORDS = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.VAR_KEYWORD)
_SLOTS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@cache
def _fit() -> sl.FitResult:
    return sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0)


def _public_calls() -> Iterator[tuple[str, Callable[..., Any], int]]:
    """Each public callable that takes keywords: its name as messages give it, the callable
    (a method bound to its class: ``self`` comes first), and its positional slots."""
    for name in sl.__all__:
        obj = getattr(sl, name)
        if inspect.isclass(obj):
            members = [(m, getattr(obj, m)) for m in dir(obj) if not m.startswith("_")]
            called = [(f"{name}.{m}", f) for m, f in members
                      if inspect.isfunction(f) or inspect.ismethod(f)]  # fmt: skip
        elif inspect.isfunction(obj):
            called = [(f"scalinglab.{name}", obj)]
        else:
            continue
        for call, func in called:
            params = inspect.signature(inspect.unwrap(func)).parameters.values()
            if any(p.kind in _KEYWORDS for p in params):
                slots = sum(p.kind in _SLOTS for p in params) - inspect.ismethod(func)
                yield call, func, slots


PUBLIC = list(_public_calls())


def test_every_public_call_that_takes_keywords_is_checked() -> None:
    names = {call for call, _, _ in PUBLIC}
    assert {"scalinglab.optimal_allocation", "FitResult.predict", "Preset.predict",
            "CurveFit.predict", "RunStore.put_run", "RunTable.where"} <= names  # fmt: skip
    unchecked = [c for c, f, _ in PUBLIC if not hasattr(getattr(f, "__func__", f), "__wrapped__")]
    assert unchecked == []


@pytest.mark.parametrize(("call", "func", "slots"), PUBLIC, ids=[c for c, _, _ in PUBLIC])
def test_an_option_given_by_position_is_said_so(
    call: str, func: Callable[..., Any], slots: int
) -> None:
    """Every slot filled, then one value more: refused before any work, whatever the
    values (so placeholders do), naming the call and what came by position."""
    args: list[Any] = [object()] * slots
    if call in ("FitResult.predict", "FitResult.distance"):
        args[0] = _fit()  # their hint reads the fit's columns
    elif call == "Preset.predict":
        args[0] = sl.get_preset("hoffmann2022")
    with pytest.raises(ConfigError) as err:
        func(*args, 2.5)
    took = r"(no argument|\d+ arguments? \(.*\)) by position: the rest go by keyword \(.+\)$"
    said = re.match(rf"^(?P<call>.+) got 2\.5 by position, but takes {took}", err.value.message)
    assert said is not None, err.value.message
    assert call in said["call"]  # a method two classes share names both: A.at (B.at)


def test_optimal_allocation_given_flops_by_position_shows_the_call_to_write() -> None:
    preset = sl.get_preset("hoffmann2022")
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(preset, 1e22)  # type: ignore[misc]
    assert err.value.message == (
        "scalinglab.optimal_allocation got 1e22 by position, but takes 1 argument (source) "
        "by position: the rest go by keyword (flops=, level=)"
    )
    assert err.value.hint == "name it: scalinglab.optimal_allocation(source, flops=1e22)"
    with pytest.raises(ConfigError) as err:  # a keyword given is kept; the rest named in turn
        sl.compute_for_loss(preset, 2.1, 0.8)  # type: ignore[misc]
    assert (
        err.value.hint
        == "name them: scalinglab.compute_for_loss(source, target_loss=2.1, level=0.8)"
    )
    with pytest.raises(ConfigError) as err:  # past fit's two: robust_loss=, and 15 more
        sl.fit("chinchilla", sl.simulated_runs(), "huber")  # type: ignore[misc]
    assert err.value.message.endswith(
        "(robust_loss=, delta=, space=, x=, y=, drop_outliers=, and 15 more)"
    )
    assert err.value.hint == "name it: scalinglab.fit(law, runs, robust_loss='huber')"


def test_predict_given_a_table_by_position_shows_its_columns_by_name() -> None:
    result, runs = _fit(), sl.simulated_runs()
    with pytest.raises(ConfigError) as err:
        result.predict(runs.to_pandas(), level=0.8)  # type: ignore[misc]
    assert err.value.message == (
        "FitResult.predict got a DataFrame by position, but takes no argument by position: "
        "the rest go by keyword (level=, noise=, extrapolation=, **columns)"
    )
    assert err.value.hint == (
        "pass a DataFrame's columns by name: "
        "result.predict(params=df['params'], tokens=df['tokens'], level=0.8)"
    )
    with pytest.raises(ConfigError) as err:
        result.predict(runs)  # type: ignore[misc]
    assert err.value.hint == (
        "pass a RunTable's columns by name: "
        "result.predict(params=runs['params'], tokens=runs['tokens'])"
    )
    with pytest.raises(ConfigError) as err:
        result.predict(7e10, 1.4e12)  # type: ignore[misc]
    assert err.value.message.startswith("FitResult.predict got 7e10, 1.4e12 by position")
    assert err.value.hint == "pass the points by name: result.predict(params=..., tokens=...)"
    with pytest.raises(ConfigError) as err:
        sl.get_preset("kaplan2020").predict({"params": [1e9]})  # type: ignore[misc]
    assert err.value.hint == "pass the points by name: preset.predict(params=..., tokens=...)"
    # what the hint writes is what works: the table's columns by name
    frame = runs.to_pandas()
    named = result.predict(params=frame["params"], tokens=frame["tokens"])
    assert named.loss.shape == (len(runs),)


def test_an_argument_given_by_position_and_by_keyword_is_said_so() -> None:
    preset = sl.get_preset("hoffmann2022")
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(preset, source=preset, flops=1e22)  # type: ignore[misc]
    assert err.value.message == (
        "scalinglab.optimal_allocation got source twice: a Preset by position and source=a Preset"
    )
    assert err.value.hint == (
        "give it once: scalinglab.optimal_allocation(source), by position or by keyword"
    )


def test_fit_given_the_law_by_position_and_by_keyword_with_runs_names_the_law() -> None:
    """``fit("chinchilla", law="kaplan", runs=df)`` was Python's "got multiple values for
    argument 'law'"; now as ``fit("chinchilla", law="kaplan")`` says it."""
    frame = sl.simulated_runs().to_pandas()
    with pytest.raises(ConfigError) as err:
        sl.fit("chinchilla", law="kaplan", runs=frame)  # type: ignore[misc]
    assert err.value.message == (
        "fit(law, runs): the law is given twice, 'chinchilla' first and law='kaplan'"
    )
    assert err.value.hint == "give the law once, then the runs: fit('chinchilla', runs)"
    with pytest.raises(ConfigError) as err:
        sl.fit("chinchilla", frame, runs=frame)  # type: ignore[misc]
    assert err.value.message == "fit(law, runs): the runs are given twice, by position and as runs="
    assert err.value.hint == "give them once: fit('chinchilla', runs)"


def test_positional_only_arguments_leave_a_keyword_of_that_name_alone() -> None:
    """``RunTable.where(column, value, /, **named)``: ``value=`` names a text column, not
    ``value`` given twice."""
    runs = sl.read_runs(
        __import__("pandas").DataFrame(
            {"params": [1e8, 2e8, 4e8], "tokens": [2e9, 4e9, 8e9], "loss": [3.0, 2.9, 2.8],
             "value": ["a", "b", "a"], "optimizer": ["adam", "adam", "sgd"]}
        )
    )  # fmt: skip
    kept = runs.where("optimizer", "adam", value="a")
    assert len(kept) == 1 and kept.labels["value"] == ("a",)
