"""Numbers passed as strings to the Python API (``isoflop(runs, tolerance="0.1")``) are one
:class:`ConfigError` naming the argument, never Python's or NumPy's bare ``TypeError``; and
what the library says of an option names it both ways, ``--holdout 'x' (holdout= in
Python)``, as its other messages do, since Python callers read it as well as the CLI's."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import chinchilla_runs, isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError


@pytest.mark.parametrize(
    ("options", "message", "hint"),
    [
        (
            {"tolerance": "0.1"},
            "tolerance must be a number of decades of FLOPs, got str '0.1'",
            "pass e.g. --tolerance 0.05 (tolerance=0.05 in Python)",
        ),
        (
            {"seed": "1"},
            "seed must be a whole number, got str '1'",
            "pass e.g. --seed 0 (seed=0 in Python)",
        ),
        (
            {"bootstrap": "10"},
            "bootstrap must be a whole number, got str '10'",
            "pass e.g. --bootstrap 200 (bootstrap=200 in Python)",
        ),
        (
            {"level": "0.9"},
            "level must be a number between 0 and 1, got str '0.9'",
            "pass a number, e.g. level 0.9 for a 90% interval",
        ),
    ],
)
def test_isoflop_names_an_option_given_as_a_string(
    options: dict[str, Any], message: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as err:
        sl.isoflop(isoflop_runs(seed=0), **options)
    assert (err.value.message, err.value.hint) == (message, hint)


@pytest.mark.parametrize("call", ["backtest", "compare"])
def test_a_level_given_as_a_string_is_one_level_not_its_letters(call: str) -> None:
    """``level="0.9"`` was read as the levels '0', '.' and '9': "got '0'"."""
    runs = chinchilla_runs()
    laws: dict[str, Any] = {"laws": ["chinchilla"]} if call == "compare" else {}
    with pytest.raises(ConfigError) as err:
        getattr(sl, call)(runs, level="0.9", bootstrap=0, **laws)
    assert err.value.message == "level must be a number between 0 and 1, got str '0.9'"
    with pytest.raises(ConfigError, match=r"^seed must be a whole number, got str '0'"):
        getattr(sl, call)(runs, seed="0", bootstrap=0, **laws)


def test_plan_names_a_level_given_as_a_string() -> None:
    preset = sl.get_preset("hoffmann2022")
    with pytest.raises(ConfigError, match=r"^level must be a number between 0 and 1, got str"):
        sl.optimal_allocation(preset, flops=1e22, level="0.9")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"^level must be a number between 0 and 1, got str"):
        sl.compute_for_loss(preset, target_loss=2.5, level="0.9")  # type: ignore[arg-type]


def test_compare_names_laws_both_ways() -> None:
    runs = chinchilla_runs()
    with pytest.raises(ConfigError) as err:
        sl.compare(runs, laws=[])
    assert err.value.hint == "e.g. --law chinchilla (laws=['chinchilla'] in Python)"
    with pytest.raises(ConfigError) as err:
        sl.compare(runs, laws=["chinchilla", "chinchilla"])
    assert err.value.hint == "give each --law (laws= in Python) once"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"holdout": "bogus"}, "--holdout 'bogus' (holdout= in Python): cannot read 'bogus'"),
        ({"holdout": "flops>=1e30"}, "--holdout 'flops>=1e30' (holdout= in Python) holds out "),
        ({"holdout": " "}, "--holdout (holdout= in Python) is empty"),
        (
            {"holdout": "largest:5", "fit_on": "largest:0"},
            "--fit-on 'largest:0' (fit_on= in Python): k must be at least 1",
        ),
    ],
)
def test_a_bad_rule_names_its_option_both_ways(options: dict[str, str], message: str) -> None:
    runs = chinchilla_runs()
    for call in (sl.backtest, sl.compare):
        laws = {"laws": ["chinchilla"]} if call is sl.compare else {}
        with pytest.raises(ConfigError) as err:
            call(runs, bootstrap=0, **laws, **options)  # type: ignore[operator]
        assert err.value.message.startswith(message)
