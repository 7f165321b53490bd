"""A size or a budget given on the command line or to a Python argument may end in its own
unit word, as a table's cell may (``--tokens "1.4T tokens"``, ``--params "7B params"``,
``params="7B parameters"``; ``--compute "1e24 FLOPs"`` read one already), and the word of
another quantity (``--tokens "1.4T params"``) is refused in one line naming it: one reading
(:func:`~scalinglab.data._units.parse_cell` with the option's quantity) for cells, options
and arguments. Options and arguments said "is not a number" of every such word."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli, refused

import scalinglab as sl
from scalinglab._errors import ConfigError

PREDICT = ("predict", "--preset", "hoffmann2022", "--json")
HPARAMS = ("hparams", "predict", "--preset", "steplaw2025", "--json")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    return dict(json.loads(out))


@pytest.mark.parametrize(
    ("base", "worded", "plain"),
    [
        (PREDICT, ("--params", "7B params", "--tokens", "1.4T Tokens"),
         ("--params", "7B", "--tokens", "1.4T")),
        (PREDICT, ("--params", "7e9 parameters", "--flops", "5.88e22 FLOPs"),
         ("--params", "7e9", "--flops", "5.88e22")),
        (HPARAMS, ("--params", "7B param", "--tokens", "1T token"),
         ("--params", "7B", "--tokens", "1T")),
    ],
)  # fmt: skip
def test_an_option_reads_its_own_quantitys_word(
    capsys: pytest.CaptureFixture[str],
    base: tuple[str, ...],
    worded: tuple[str, ...],
    plain: tuple[str, ...],
) -> None:
    assert _json(capsys, *base, *worded) == _json(capsys, *base, *plain)


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        ([*PREDICT, "--params", "7B", "--tokens", "1.4T params"],
         "error: --tokens '1.4T params' is a count of params, not tokens",
         "hint: write a number of tokens there: 1.4T or '1.4T tokens'"),
        ([*PREDICT, "--params", "1.4T tokens", "--tokens", "7B"],
         "error: --params '1.4T tokens' is a count of tokens, not params",
         "hint: write a number of params there: 1.4T or '1.4T params'"),
        ([*PREDICT, "--params", "7B", "--flops", "1e24 params"],
         "error: --flops '1e24 params' is a count of params, not FLOPs",
         "hint: write a number of FLOPs there: 1e24 or '1e24 FLOPs'"),
        (["plan", "--preset", "hoffmann2022", "--compute", "1e24 tokens"],
         "error: --compute '1e24 tokens' is a count of tokens, not FLOPs",
         "hint: write a number of FLOPs there: 1e24 or '1e24 FLOPs'"),
        ([*HPARAMS, "--params", "7B tokens", "--tokens", "1T"],
         "error: --params '7B tokens' is a count of tokens, not params",
         "hint: write a number of params there: 7B or '7B params'"),
        (["downstream", "predict", "--fit", "ds.json", "--params", "7B", "--tokens",
          "2T parameters"],
         "error: --tokens '2T parameters' is a count of params, not tokens",
         "hint: write a number of tokens there: 2T or '2T tokens'"),
    ],
)  # fmt: skip
def test_an_option_refuses_another_quantitys_word(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str, hint: str
) -> None:
    assert refused(capsys, args) == (error, hint)


def test_downstream_predict_reads_the_words_before_its_fit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The sizes are read first: with words, what is refused is the missing chain."""
    error, _ = refused(
        capsys,
        ["downstream", "predict", "--fit", "ds.json", "--params", "7B params", "--tokens",
         "2T tokens"],
    )  # fmt: skip
    assert error == "error: ds.json: fit file not found"


def test_a_word_typed_apart_goes_unsaid(capsys: pytest.CaptureFixture[str]) -> None:
    """``--tokens 1.4T tokens`` (the word a second argument) was told to join them with a
    comma, ``--tokens 1.4T,tokens``, a list of a size and a word."""
    error, hint = refused(capsys, [*PREDICT, "--params", "7B", "--tokens", "1.4T", "tokens"])
    assert error.startswith("error: Got unexpected extra argument")
    assert hint == "hint: --tokens is in tokens, so the unit goes unsaid: --tokens 1.4T"


def test_a_word_after_a_bare_size_is_still_a_unit_left_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--params "7 params"`` is 7 parameters as ``--params 7`` is: refused as a slip."""
    error, _ = refused(capsys, [*PREDICT, "--params", "7 params", "--tokens", "1.4T"])
    assert error == "error: --params 7 reads as 7 parameters: a unit left off?"


def test_python_arguments_read_their_own_word_and_refuse_another() -> None:
    preset = sl.get_preset("hoffmann2022")
    worded = preset.predict(params="7B params", tokens="1.4T tokens")
    assert worded.loss == preset.predict(params=7e9, tokens=1.4e12).loss
    steps = sl.get_hparam_preset("steplaw2025")
    assert steps.predict(params="7B Parameters", tokens="1T tokens") == steps.predict(
        params=7e9, tokens=1e12
    )
    with pytest.raises(ConfigError, match=r"^params='7B tokens' is a count of tokens, not params"):
        preset.predict(params="7B tokens", tokens="1.4T")
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation("hoffmann2022", flops="1e24 params")
    assert str(err.value.message) == "flops='1e24 params' is a count of params, not FLOPs"
    assert err.value.hint == "write a number of FLOPs there: 1e24 or '1e24 FLOPs'"


def test_a_word_of_no_size_is_still_no_number() -> None:
    """A loss, or a law's symbol, names no quantity: a word there is refused as before."""
    from scalinglab.data._units import as_quantities

    with pytest.raises(ConfigError, match=r"^loss='2 tokens' is not a number"):
        as_quantities("2 tokens", "loss")
