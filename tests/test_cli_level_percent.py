"""``--level 90%`` is refused on every command with the fraction meant, as ``--level 90``
is: a coverage is a fraction everywhere. Click read it as a float first and said only
"'90%' is not a valid float" with a pointer to --help; backtest's list of levels said
"'90%' is not a number". One rule now (:func:`scalinglab.cli._options.percent_level`),
checked before click reads the option; ``--help`` says it."""

from __future__ import annotations

import pytest
from tests._cli import cli, refused

from scalinglab._errors import ConfigError
from scalinglab.cli._options import levels


@pytest.mark.parametrize(
    ("args", "given", "meant"),
    [
        (["fit", "--data", "simulated", "--level", "90%"], "90%", "0.9 for a 90%"),
        (["predict", "--preset", "hoffmann2022", "--params", "7B", "--tokens", "1T",
          "--level", "80%"], "80%", "0.8 for a 80%"),
        (["loss2loss", "predict", "--fit", "l2l.json", "--loss", "3", "--level=95%"], "95%",
         "0.95 for a 95%"),
        (["curves", "predict", "--fit", "c.json", "--schedule", "cosine:steps=100",
          "--level", "50 %"], "50 %", "0.5 for a 50%"),
        (["backtest", "--data", "simulated", "--level", "0.5,90%"], "90%", "0.9 for a 90%"),
    ],
)  # fmt: skip
def test_a_percentage_is_refused_with_the_fraction(
    capsys: pytest.CaptureFixture[str], args: list[str], given: str, meant: str
) -> None:
    error, hint = refused(capsys, args)
    assert error == f"error: --level {given!r}: a coverage is a fraction, not a percentage"
    assert hint == f"hint: --level {meant} interval"


def test_levels_reads_the_same_rule() -> None:
    with pytest.raises(ConfigError) as err:
        levels(["0.5,80%"])
    assert err.value.message == "--level '80%': a coverage is a fraction, not a percentage"
    assert levels(["0.5,0.9"]) == (0.5, 0.9)


def test_help_says_a_fraction(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["fit"], ["predict"], ["downstream", "fit"], ["curves", "predict"]):
        code, out, _ = cli(capsys, *command, "--help", one_line=True)
        assert code == 0
        assert "a fraction (0.9, not 90 or 90%)" in " ".join(out.split()), command
