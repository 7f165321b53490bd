"""Every command's ``--help`` prints its usage: Typer versions that pyproject allows must
render all of them (Typer <0.15.4 with Click 8.2+ failed on 28 of 34 commands)."""

from __future__ import annotations

import pytest
from tests._cli import cli, every_command


def test_the_walk_finds_the_commands() -> None:
    """The walk sees the nested groups, so a missing command would be noticed."""
    words = every_command()
    assert ("fit",) in words and ("curves", "fit") in words and ("ladder", "run") in words
    assert len(words) >= 30


@pytest.mark.parametrize("words", every_command(), ids=lambda w: " ".join(w) or "app")
def test_every_help_renders(capsys: pytest.CaptureFixture[str], words: tuple[str, ...]) -> None:
    code, out, err = cli(capsys, *words, "--help")
    assert code == 0, err
    assert out.lstrip().startswith("Usage: ") and "internal error" not in out + err
    assert f"scalinglab {' '.join(words)}".rstrip() in " ".join(out.split()[:8])


@pytest.mark.parametrize("words", every_command(), ids=lambda w: " ".join(w) or "app")
def test_no_help_shows_docstring_markup(
    capsys: pytest.CaptureFixture[str], words: tuple[str, ...]
) -> None:
    """A help text is read in a terminal: code in single backticks, as every other help
    writes it, not a docstring's reST double ones (``plan --help`` showed ``--json``)."""
    code, out, _ = cli(capsys, *words, "--help")
    assert code == 0
    assert "``" not in out
