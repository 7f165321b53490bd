"""`fit --json` says where the JSON and the messages go, as every other command's --json does."""

from __future__ import annotations

import pytest
from tests._cli import cli


def test_fit_json_help_names_stdout_and_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", "--help")
    text = " ".join(out.replace("│", " ").split())
    assert code == 0
    assert "Print the fit as JSON only (on stdout; messages to stderr)." in text
