"""Every option's value is named in one style in ``--help``: capitals (``--out PATH``,
``--where COLUMN=VALUE``), never Typer 0.28's ``<path>`` or ``<str>`` beside them
(``plan --help`` showed ``--fit <path>`` above ``--out PATH``)."""

from __future__ import annotations

import re

import pytest
from tests._cli import cli, every_command

#: capitals, with literal lowercase text typed as is before ``=`` (``loss=COLUMN``), or a
#: choice of values as typed in brackets (``[tokens|sequences]``)
_STYLE = re.compile(r"^(\[[a-z0-9_.-]+(\|[a-z0-9_.-]+)*\]|([a-z_]+=)?[A-Z][A-Z0-9_=/|.\[\]-]*)$")


@pytest.mark.parametrize("words", every_command(), ids=lambda w: " ".join(w) or "app")
def test_no_help_shows_an_angle_placeholder(
    capsys: pytest.CaptureFixture[str], words: tuple[str, ...]
) -> None:
    code, out, _ = cli(capsys, *words, "--help")
    assert code == 0
    assert re.findall(r"--[\w-]+ <[^>\n]*>", out) == []


def test_every_option_placeholder_is_in_capitals() -> None:
    """The placeholders of the command lines run (``fit`` built alone, too)."""
    import click

    from scalinglab.cli._root import command_for

    seen = 0
    bad: list[str] = []
    for args in (["plan"], ["fit"]):
        root = command_for(args)
        stack = [root]
        while stack:
            command = stack.pop()
            stack.extend(getattr(command, "commands", {}).values())
            ctx = click.Context(root, info_name="scalinglab")
            for param in command.params:
                if param.param_type_name != "option" or param.is_flag or param.hidden:
                    continue
                seen += 1
                shown = param.make_metavar(ctx)
                if not _STYLE.match(shown):
                    bad.append(f"{command.name} {param.opts[0]} {shown}")
    assert seen > 300 and bad == []


def test_the_placeholders_by_type() -> None:
    """Independent of the installed Typer: Click's long-standing names of each type."""
    from scalinglab.cli._root import command_for

    fit = command_for(["fit"]).commands["fit"]
    by_name = {p.name: p.metavar for p in fit.params}
    assert by_name["bootstrap"] == "INTEGER"  # an int range: the bounds are in its help
    assert by_name["delta"] == "FLOAT"
    assert by_name["space"] == "TEXT"
    assert by_name["out"] == "PATH"
    assert by_name["plot"] == "PATH"
