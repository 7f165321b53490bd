"""``--help`` among a command's options prints its help, as click answers it before reading
any value: the checks that run before click (an option given twice, a count with a unit, an
empty path) stand aside (they refused ``fit --json --json --help`` and ``fit --bootstrap 1k
--help``); ``--help`` as an option's value (``--out --help``) is a value, as click reads it."""

from __future__ import annotations

import pytest
from tests._cli import cli

from scalinglab.cli._argwalk import walk
from scalinglab.cli._root import command_for


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["fit", "--json", "--json", "--help"], "Usage: scalinglab fit "),
        (["fit", "--help", "--json", "--json"], "Usage: scalinglab fit "),
        (["fit", "--bootstrap", "1k", "--help"], "Usage: scalinglab fit "),
        (["fit", "--out", "", "--help"], "Usage: scalinglab fit "),
        (["runs", "--store", "a", "rm", "--store", "b", "--help"], "Usage: scalinglab runs rm "),
    ],
)
def test_help_is_printed_whatever_values_sit_beside_it(
    capsys: pytest.CaptureFixture[str], args: list[str], usage: str
) -> None:
    code, out, err = cli(capsys, *args)
    assert code == 0 and out.startswith(usage), err
    assert "error" not in err


def test_help_as_an_options_value_is_no_help() -> None:
    args = ["fit", "--out", "--help"]
    assert not walk(command_for(args), args).asks_help
    args = ["fit", "--out", "x.json", "--help"]
    assert walk(command_for(args), args).asks_help


def test_the_checks_still_refuse_without_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "fit", "--json", "--json")
    assert code == 2 and "--json given 2 times" in err
