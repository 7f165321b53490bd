"""A law given by its class (``fit(scalinglab.Chinchilla, runs)``, the parentheses left out)
or by its class's name (``"KaplanND"``, ``"kaplan_nd"``): the refusal names the instance and
the law's own name, the law those words mean, where it named the law nearest in spelling
(``kaplan-n``, the law of N alone) or said only "got ABCMeta"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import scalinglab
from scalinglab import ConfigError, FormulaError

_RUNS = {
    "params": [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9, 1e8, 4e8],
    "tokens": [2e9, 4e9, 8e9, 1.6e10, 3.2e10, 6.4e10, 8e9, 2e9],
    "loss": [3.6, 3.4, 3.2, 3.0, 2.85, 2.7, 3.4, 3.5],
}

_CALLS: dict[str, Callable[[Any], object]] = {
    "fit": lambda law: scalinglab.fit(law, _RUNS, bootstrap=0),
    "backtest": lambda law: scalinglab.backtest(_RUNS, law=law),
    "compare": lambda law: scalinglab.compare(_RUNS, laws=["chinchilla", law]),
    "get_law": lambda law: scalinglab.get_law(law),
}


@pytest.mark.parametrize("call", sorted(_CALLS))
@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (scalinglab.Chinchilla, "chinchilla"),
        (scalinglab.KaplanND, "kaplan"),
        (scalinglab.PowerLaw, "power-law"),
        (scalinglab.BrokenPowerLaw, "bnsl"),
    ],
)
def test_a_law_class_is_refused_naming_its_instance_and_name(
    call: str, cls: type, name: str
) -> None:
    with pytest.raises(ConfigError) as err:
        _CALLS[call](cls)
    assert err.value.message == (
        f"law is the class {cls.__name__}, not a law: a law is an instance of it"
    )
    assert err.value.hint == f"pass {cls.__name__}() or the law's name, {name!r}"
    # what the hint says to pass is a law, the catalog's of that name
    assert type(scalinglab.get_law(name)) is cls and isinstance(cls(), scalinglab.Law)


def test_the_base_class_names_no_law_to_make() -> None:
    with pytest.raises(ConfigError, match="the class Law, the base of the laws") as err:
        scalinglab.fit(scalinglab.Law, _RUNS, bootstrap=0)
    assert "Law()" not in err.value.hint  # abstract: it cannot be made


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("KaplanND", "kaplan"),  # was: did you mean 'kaplan-n'?, the law of N alone
        ("kaplan_nd", "kaplan"),
        ("kaplan-nd", "kaplan"),
        ("KaplanN", "kaplan-n"),
        ("BrokenPowerLaw", "bnsl"),
        ("PowerLawPlusConstant", "power-law-plus-constant"),
        ("chinchila", "chinchilla"),  # a slip of spelling, as before
    ],
)
def test_a_class_name_as_a_law_name_means_that_class_law(typed: str, meant: str) -> None:
    with pytest.raises(FormulaError) as err:
        scalinglab.get_law(typed)
    assert err.value.message == f"unknown law {typed!r}; did you mean {meant!r}?"
    # the law meant is the class of that name, where the name is a class's
    cls = getattr(scalinglab, typed, None)
    assert cls is None or type(scalinglab.get_law(meant)) is cls
