"""One walk over the command-line words (``cli._argwalk``) reads them as click does: its
options, their values and the positional words are checked against click's own parser on
the same words; and the checks that consume it (repeats, number slips, empty paths) no
longer read another option's value as an option."""

from __future__ import annotations

from typing import Any

import click
import pytest
from tests._cli import refused

from scalinglab.cli._argwalk import walk
from scalinglab.cli._root import command_for


def _click_reads(
    command: Any, name: str, rest: list[str]
) -> tuple[list[Any], dict[str, Any], list[str]]:
    """Click's parse of ``rest`` for ``command``: the options in order, their values and the
    positional words (the arguments' values, then the words left over)."""
    ctx = click.Context(command, info_name=name, resilient_parsing=True)
    opts, left, order = command.make_parser(ctx).parse_args(list(rest))
    arguments = [p for p in command.params if getattr(p, "param_type_name", "") == "argument"]
    positional: list[str] = []
    for param in arguments:
        value = opts.pop(param.name, None)
        positional += [] if value is None else list(value) if param.nargs == -1 else [value]
    return [p for p in order if p not in arguments], opts, positional + left


@pytest.mark.parametrize(
    "args",
    [
        ["fit", "runs.csv", "--out=o.json", "--json", "--law", "--level=90%"],
        ["backtest", "--where", "a>1", "--holdout", "largest:3", "--where", "b<2", "runs.csv"],
        ["fit", "--out", "--seed", "runs.csv", "--bootstrap=1k"],
        ["hparams", "predict", "--fit", "", "--params", "7B", "--tokens=1T"],
        ["backtest", "runs.csv", "--level", "0.5,0.9", "--seed", "-1", "--no-bootstrap"],
        ["runs", "rm", "a", "b", "--store", "s.duckdb", "c"],
        ["fit", "--json", "--", "--level=90%", ""],
    ],
)
def test_the_walk_reads_the_words_as_click_does(args: list[str]) -> None:
    words = walk(command_for(args), args)
    depth = 2 if args[0] in ("hparams", "runs") else 1  # the words naming the subcommand
    order, values, positional = _click_reads(words.command, args[depth - 1], args[depth:])
    options = words.options()
    assert [g.param for g in options] == order
    for given in options:
        read = values[given.param.name]
        if given.param.multiple:
            assert given.value in read
        elif given.value is None:
            assert given.param.is_flag and isinstance(read, bool)  # a flag, given bare
        else:
            assert [g.value for g in options if g.param is given.param][-1] == read
    assert [g.value for g in words.given if g.positional] == positional


def test_a_missing_value_at_the_end_is_none() -> None:
    """Click says the value is missing; the walk reads none (not the next word)."""
    words = walk(command_for(["fit"]), ["fit", "runs.csv", "--out"])
    assert [(g.option, g.value, g.joined) for g in words.given] == [
        ("", "runs.csv", False),
        ("--out", None, False),
    ]


def test_another_option_s_value_is_not_read_as_a_number_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--law '--level=90%'`` is a formula (click reads it so): the number-slip check read
    every word as an option and refused it as ``--level 90%``; now the formula reader says
    what is wrong with it, as it says for any formula."""
    error, _ = refused(capsys, ["fit", "--data", "simulated", "--law", "--level=90%"])
    assert error == "error: cannot parse formula '--level=90%' at character 8: invalid syntax"
    error, _ = refused(capsys, ["fit", "--data", "simulated", "--law", "--seed=-1"])
    assert error.startswith("error: cannot parse formula '--seed=-1'")


def test_an_empty_path_after_double_dash_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    """``fit -- ''``: click reads the words after ``--`` as positional, so RUNS is ``''``
    (``Path('')``, the working folder); the empty-path check stopped at ``--`` and the
    command said ".: is a folder", as ``fit ''`` did before it was refused by name."""
    assert refused(capsys, ["fit", "--", ""]) == (
        "error: RUNS is empty: an empty string was given where a path goes",
        "hint: give the path of the file or folder to read",
    )


def test_a_group_s_options_then_its_subcommand_s_are_each_read_as_click_reads_them() -> None:
    """``runs --store A rm --source b.csv x``: click gives ``--store`` to ``runs`` and the
    words after ``rm`` to ``rm``; the walk stopped at ``runs`` and read ``--source`` as an
    unknown option taking no value, and ``b.csv`` as a run's name."""
    args = ["runs", "--store", "a.duckdb", "rm", "--source", "b.csv", "x", "--dry-run"]
    root = command_for(args)
    words = walk(root, args)
    runs = root.commands["runs"]
    assert words.command is runs.commands["rm"]
    assert [(g.option, g.value) for g in words.given] == [
        ("--store", "a.duckdb"),
        ("--source", "b.csv"),
        ("", "x"),
        ("--dry-run", None),
    ]
    assert words.given[0].param in runs.params
    order, values, positional = _click_reads(words.command, "rm", args[4:])
    assert [g.param for g in words.options()[1:]] == order
    assert values["source"] == "b.csv" and positional == ["x"]
