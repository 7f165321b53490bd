"""A name that reads as one of Rich's emoji codes (a run ``:rocket:``, a task ``:x:``) is
printed as given: the command line's consoles are made without Rich's emoji replacement."""

from __future__ import annotations

import pytest
from rich.table import Table

from scalinglab.cli._render import stderr_console, stdout_console


@pytest.mark.parametrize("console", [stdout_console, stderr_console])
def test_a_name_like_an_emoji_code_is_printed_as_given(
    console: object, capsys: pytest.CaptureFixture[str]
) -> None:
    made = console()  # type: ignore[operator]
    made.print("note: run :rocket: left out")
    table = Table("run")
    table.add_row(":smile:")
    made.print(table)
    out, err = capsys.readouterr()
    said = out + err
    assert "note: run :rocket: left out" in said
    assert ":smile:" in said
    assert not [c for c in said if ord(c) >= 0x1F000]  # no picture (Rich's 🚀, 😄)
