"""Running the CLI in a test: exit code, stdout and stderr, never a traceback."""

from __future__ import annotations

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
