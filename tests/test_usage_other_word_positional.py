"""Another quantity's unit word typed apart after a size's value, where the command reads a
positional argument (``fit --from-curves c.csv --tokens-per-step 0.5M params``: ``params``
was taken as RUNS, "RUNS (params) and --from-curves both given"), is refused as the quoted
value is (``--tokens-per-step '0.5M params'``), word for word, as it is where click finds the
word extra; ``--opt=value word`` alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

QUOTED = "error: --tokens-per-step '0.5M params' is a count of params, not tokens"
HINT = "hint: write a number of tokens there: 0.5M or '0.5M tokens'"


@pytest.fixture
def curves(tmp_path: Path) -> str:
    path = tmp_path / "c.csv"
    path.write_text("run,step,loss,lr\na,1,4.0,0.001\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "typed", [["--tokens-per-step", "0.5M", "params"], ["--tokens-per-step=0.5M", "params"]]
)
def test_a_word_taken_as_runs_is_refused_as_the_quoted_value(
    capsys: pytest.CaptureFixture[str], curves: str, typed: list[str]
) -> None:
    said = refused(capsys, ["fit", "--from-curves", curves, *typed])
    assert said == (QUOTED, HINT)
    assert said == refused(
        capsys, ["fit", "--from-curves", curves, "--tokens-per-step", "0.5M params"]
    )


def test_the_word_after_runs_given_is_refused_alike(
    capsys: pytest.CaptureFixture[str], curves: str
) -> None:
    """RUNS given, the word is extra to click: the same refusal, as before."""
    said = refused(capsys, ["fit", curves, "--tokens-per-step", "0.5M", "params"])
    assert said == (QUOTED, HINT)


def test_the_options_own_word_taken_as_runs_is_told_to_go_unsaid(
    capsys: pytest.CaptureFixture[str], curves: str
) -> None:
    """``--tokens-per-step 0.5M tokens``: the option's own unit typed apart was read as RUNS
    ("RUNS (tokens) and --from-curves both given", with a hint to repeat --from-curves);
    it is told the unit goes unsaid, as where click finds the word extra (``predict``)."""
    said = refused(capsys, ["fit", "--from-curves", curves, "--tokens-per-step", "0.5M", "tokens"])
    assert said == (
        "error: --tokens-per-step 0.5M tokens: 'tokens', the unit, is read as an argument of "
        "its own",
        "hint: --tokens-per-step is in tokens, so the unit goes unsaid: --tokens-per-step 0.5M "
        "(or quote both: --tokens-per-step '0.5M tokens')",
    )
