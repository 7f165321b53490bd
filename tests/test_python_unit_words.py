"""Python reads a number's words as the options do. ``tokens_per_step=`` took numbers only
(``"0.5M tokens"`` was "must be a number of tokens > 0, got str") while ``--tokens-per-step``
reads ``0.5M``, ``0.5M tokens`` and ``0.5M tokens/step``: both read through one parser
(``data._units.read_worded``), with the same errors. ``scalinglab.parse_quantity`` read no
unit word (``10B tokens``: "cannot read"): ``quantity=`` names the quantity whose word it
reads, refusing another's as the options do; without it, what it read it reads alike."""

from __future__ import annotations

import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves

import scalinglab as sl
from scalinglab._errors import ConfigError, DataError
from scalinglab.cli._options import quantity
from scalinglab.data import read_curves

PER_STEP = 1000.0


def _steps() -> pd.DataFrame:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=6)
    frame["step"] = frame["tokens"] / PER_STEP
    return frame.drop(columns="tokens")


@pytest.mark.parametrize(
    "text", ["1000", "1K", "1K tokens", "1K tokens/step", "1k Tokens per step"]
)
def test_tokens_per_step_reads_the_text_the_option_reads(text: str) -> None:
    assert quantity("--tokens-per-step", text) == PER_STEP  # the option, as before
    steps = _steps()
    want = read_curves(steps, tokens_per_step=PER_STEP)
    got = read_curves(steps, tokens_per_step=text)
    assert list(got.tokens) == list(want.tokens)
    assert sl.envelope(steps, tokens_per_step=text, bootstrap=0).a.value == (
        sl.envelope(steps, tokens_per_step=PER_STEP, bootstrap=0).a.value
    )


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("0.5M params", "is a count of params, not tokens",
         "write a number of tokens there: 0.5M or '0.5M tokens'"),
        ("524288 FLOPs/step", "is a count of FLOPs, not tokens",
         "write a number of tokens there: 524288 or '524288 tokens'"),
        ("a", "is not a number",
         "write the tokens of one step, batch size × sequence length: e.g. 0.5M or 524288"),
    ],
)  # fmt: skip
def test_tokens_per_step_is_refused_as_the_option_refuses(
    text: str, message: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as option:
        quantity("--tokens-per-step", text)
    assert (option.value.message, option.value.hint) == (
        f"--tokens-per-step {text!r} {message}",
        hint,
    )
    for call in (
        lambda: read_curves(_steps(), tokens_per_step=text),
        lambda: sl.envelope(_steps(), tokens_per_step=text, bootstrap=0),
    ):
        with pytest.raises(ConfigError) as err:
            call()
        assert (err.value.message, err.value.hint) == (f"tokens_per_step={text!r} {message}", hint)


def test_tokens_per_step_text_must_be_positive() -> None:
    with pytest.raises(ConfigError) as err:
        read_curves(_steps(), tokens_per_step="-1K")
    assert err.value.message == "tokens_per_step must be a positive, finite number, got '-1K'"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [("10B tokens", "tokens", 1e10), ("70M params", "params", 7e7),
     ("70M parameters", "params", 7e7), ("3e21 FLOPs", "flops", 3e21),
     ("1e21FLOP", "flops", 1e21), ("70M", "params", 7e7), (2.5, "tokens", 2.5)],
)  # fmt: skip
def test_parse_quantity_reads_its_quantitys_word(
    text: str | float, kind: str, value: float
) -> None:
    assert sl.parse_quantity(text, quantity=kind) == value


@pytest.mark.parametrize("text", ["70M", "1.4T", "3e21", "1,000", "1_000", 7, "nan", "inf"])
def test_parse_quantity_reads_alike_with_or_without_a_quantity(text: str | int) -> None:
    plain = sl.parse_quantity(text)
    for kind in ("params", "tokens", "flops"):
        got = sl.parse_quantity(text, quantity=kind)
        assert got == plain or (got != got and plain != plain)  # NaN is NaN


def test_parse_quantity_refuses_another_quantitys_word_as_the_options_do() -> None:
    with pytest.raises(DataError) as err:
        sl.parse_quantity("10B params", quantity="tokens")
    assert err.value.message == "'10B params' is a count of params, not tokens"
    assert err.value.hint == "write a number of tokens there: 10B or '10B tokens'"


def test_parse_quantity_without_a_quantity_reads_no_word_and_says_how() -> None:
    with pytest.raises(DataError) as err:
        sl.parse_quantity("10B tokens")
    assert err.value.message == "cannot read '10B tokens' as a number"
    assert err.value.hint.endswith("; a unit word after it reads with quantity='tokens'")


def test_parse_quantity_names_the_quantities_it_takes() -> None:
    with pytest.raises(ConfigError) as err:
        sl.parse_quantity("70M", quantity="loss")
    assert err.value.message == (
        "parse_quantity(quantity='loss'): a quantity is 'params', 'tokens' or 'flops'"
    )
