"""A model size or token count typed without its unit (``--params 7``, ``--tokens 2``) was
taken as 7 parameters, with only notes that the row is decades beyond the data. A bare number
below 10K given as either is refused with the units meant; an exponent or a unit (``7e0``,
``20K``) or a bare number from 10K up is read as written."""

from __future__ import annotations

import pytest
from tests._cli import cli, refused

from scalinglab._errors import ConfigError
from scalinglab.cli._options import quantity

_PARAMS_HINT = (
    "hint: did you mean {0}B (or {0}M)? a bare --params under 10K is refused as a unit "
    "slip; for {0} parameters write {0}e0"
)


@pytest.mark.parametrize(
    "args",
    [
        ["predict", "--preset", "hoffmann2022", "--params", "7", "--tokens", "1T"],
        ["predict", "--preset", "hoffmann2022", "--params", "1B,7", "--tokens", "1T"],
        ["hparams", "predict", "--preset", "steplaw2025", "--params", "7", "--tokens", "2T"],
        ["downstream", "predict", "--fit", "ds.json", "--params", "7", "--tokens", "2T"],
    ],
)
def test_bare_params_refused(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert refused(capsys, args) == (
        "error: --params 7 reads as 7 parameters: a unit left off?",
        _PARAMS_HINT.format(7),
    )


def test_bare_tokens_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["predict", "--preset", "hoffmann2022", "--params", "7B", "--tokens", "2"]
    assert refused(capsys, args) == (
        "error: --tokens 2 reads as 2 tokens: a unit left off?",
        "hint: did you mean 2T (or 2B)? a bare --tokens under 10K is refused as a unit slip; "
        "for 2 tokens write 2e0",
    )


@pytest.mark.parametrize(("text", "value"), [("7e0", 7.0), ("20K", 2e4), ("10000", 1e4)])
def test_written_on_purpose_is_read(text: str, value: float) -> None:
    assert quantity("--params", text) == value
    assert quantity("--tokens", text) == value


def test_other_options_keep_bare_numbers() -> None:
    assert quantity("--target-loss", "2") == 2.0
    with pytest.raises(ConfigError, match="reads as 9999 parameters"):
        quantity("--params", "9999")


def test_help_says_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "predict", "--help")
    assert code == 0
    assert "bare under 10K: refused" in " ".join(out.split())
