"""Running the CLI in a test: exit code, stdout and stderr, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

from scalinglab.cli import main


def cli(
    capsys: pytest.CaptureFixture[str], *args: str, one_line: bool = False
) -> tuple[int, str, str]:
    """``scalinglab ARGS`` in this process: its exit code, stdout and stderr.

    ``one_line`` joins stderr's lines, which wrap at the console width, so a test can match a
    whole message.
    """
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, " ".join(err.split()) if one_line else err


def refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[str, str]:
    """The error and hint lines of ``scalinglab ARGS``, checked to be exit 2, those two
    lines alone and no traceback."""
    assert main(args) == 2, args
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert "Traceback" not in captured.out + captured.err
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), (
        captured.err
    )
    return lines[0], lines[1]


def every_command() -> list[tuple[str, ...]]:
    """The words of every command and group of the app, the bare app first."""
    from typer.main import get_command

    from scalinglab.cli._app import app

    found: list[tuple[str, ...]] = []

    def walk(command: Any, words: tuple[str, ...]) -> None:
        found.append(words)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*words, name))

    walk(get_command(app), ())
    return found
