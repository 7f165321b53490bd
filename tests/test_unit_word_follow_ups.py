"""Unit words, the same everywhere a size or a budget is read: ``simulate_ladder``,
``IsoFLOPResult.at`` and a ladder's ``[rules] flops`` refuse another quantity's word in
the one line options and arguments give (they said "must be positive FLOP counts", "not a
number of FLOPs"); ``--tokens-per-step`` reads its own word (``0.5M tokens``, ``0.5M
tokens/step``, ``0.5M tokens per step``; it said "not a number"); another quantity's word
typed as a word of its own (``--tokens 1.4T params``) is refused as the quoted value is
(it was told to join them with a comma); and every refusal's hint writes the number typed,
not a fixed 1.4T, 7B or 1e24."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli, refused
from tests.test_fit_from_curves import _curves, _write

import scalinglab as sl
from scalinglab._errors import ConfigError

TINY = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"
PREDICT = ("predict", "--preset", "hoffmann2022", "--json")


def test_simulate_ladder_refuses_another_quantitys_word_in_one_line() -> None:
    with pytest.raises(ConfigError) as err:
        sl.simulate_ladder(budgets=["1e19 FLOPs", "1e19 tokens"])
    assert err.value.message == "budgets='1e19 tokens' is a count of tokens, not FLOPs"
    assert err.value.hint == "write a number of FLOPs there: 1e19 or '1e19 FLOPs'"


def test_isoflop_at_reads_flops_and_refuses_tokens() -> None:
    result = sl.isoflop(TINY, bootstrap=0)
    assert result.at(flops="3e11 FLOPs").params_opt == result.at(flops=3e11).params_opt
    with pytest.raises(ConfigError) as err:
        result.at(flops="1e23 tokens")
    assert err.value.message == "flops='1e23 tokens' is a count of tokens, not FLOPs"
    assert err.value.hint == "write a number of FLOPs there: 1e23 or '1e23 FLOPs'"


def test_a_ladders_flops_budget_refuses_another_quantitys_word(tmp_path: Path) -> None:
    from scalinglab.ladder import get_recipe

    path = tmp_path / "iso.toml"
    path.write_text(
        'name = "iso"\n[model]\ncontext = 64\n[rules]\nflops = [1e11, "3e11 tokens"]\n'
        "[[rungs]]\nwidth = 16\ndepth = 2\nheads = 2\n"
    )
    with pytest.raises(ConfigError) as err:
        get_recipe(str(path))
    assert err.value.message.endswith(
        "[rules]: flops budget '3e11 tokens' is a count of tokens, not FLOPs"
    )
    assert err.value.hint == "write a number of FLOPs there: 3e11 or '3e11 FLOPs'"


@pytest.mark.parametrize("text", ["0.5M tokens", "0.5M Tokens/step", "0.5M tokens per step"])
def test_tokens_per_step_reads_its_own_word(text: str) -> None:
    from scalinglab.cli._options import quantity

    assert quantity("--tokens-per-step", text) == quantity("--tokens-per-step", "0.5M") == 5e5


@pytest.mark.parametrize(
    ("value", "said"), [("0.5M params", "params"), ("524288 FLOPs/step", "FLOPs")]
)
def test_tokens_per_step_refuses_another_quantitys_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    path = _write(tmp_path, _curves(0, n=2))
    number = value.split()[0]
    assert refused(
        capsys, ["fit", "--from-curves", path, "--bootstrap", "0", "--tokens-per-step", value]
    ) == (
        f"error: --tokens-per-step {value!r} is a count of {said}, not tokens",
        f"hint: write a number of tokens there: {number} or '{number} tokens'",
    )


@pytest.mark.heavy
def test_fit_from_curves_with_a_worded_tokens_per_step_fits_as_the_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _curves(0, n=2))
    args = ("fit", "--from-curves", path, "--law", "E + B*D**-beta", "--bootstrap", "0")
    fits = []
    for text in ("0.5M", "0.5M tokens/step", "0.5M tokens per step"):
        code, out, err = cli(capsys, *args, "--json", "--tokens-per-step", text)
        assert code == 0, err
        fits.append(json.loads(out)["coefs"])
    assert fits[1] == fits[0] and fits[2] == fits[0]


@pytest.mark.parametrize(
    ("apart", "quoted"),
    [
        ([*PREDICT, "--params", "7B", "--tokens", "1.4T", "params"],
         [*PREDICT, "--params", "7B", "--tokens", "1.4T params"]),
        ([*PREDICT, "--params", "70M", "tokens", "--tokens", "1.4T"],
         [*PREDICT, "--params", "70M tokens", "--tokens", "1.4T"]),
        (["plan", "--preset", "hoffmann2022", "--compute", "3e23", "tokens"],
         ["plan", "--preset", "hoffmann2022", "--compute", "3e23 tokens"]),
        (["plan", "--preset", "hoffmann2022", "--compute", "3e23", "tokens", "1e24"],
         ["plan", "--preset", "hoffmann2022", "--compute", "3e23 tokens"]),
    ],
)  # fmt: skip
def test_another_quantitys_word_typed_apart_is_refused_as_quoted(
    capsys: pytest.CaptureFixture[str], apart: list[str], quoted: list[str]
) -> None:
    """``--tokens 1.4T params`` was told ``--tokens 1.4T,params``: a list of a size and a
    word. It is the refusal of ``--tokens '1.4T params'``, word for word."""
    said = refused(capsys, apart)
    assert said == refused(capsys, quoted)
    assert "is a count of" in said[0] and "," not in said[1]


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        ([*PREDICT, "--params", "2T tokens", "--tokens", "1.4T"],
         "hint: write a number of params there: 2T or '2T params'"),
        ([*PREDICT, "--params", "7B", "--tokens", "300B params"],
         "hint: write a number of tokens there: 300B or '300B tokens'"),
        (["plan", "--preset", "hoffmann2022", "--compute", "5e22 tokens"],
         "hint: write a number of FLOPs there: 5e22 or '5e22 FLOPs'"),
        ([*PREDICT, "--params", "7B", "--tokens", "2.5 T params"],
         "hint: write a number of tokens there: 2.5T or '2.5T tokens'"),
    ],
)  # fmt: skip
def test_the_refusals_hint_writes_the_number_typed(
    capsys: pytest.CaptureFixture[str], args: list[str], hint: str
) -> None:
    assert refused(capsys, args)[1] == hint


def test_a_python_arguments_refusal_writes_the_number_typed() -> None:
    preset = sl.get_preset("hoffmann2022")
    with pytest.raises(ConfigError) as err:
        preset.predict(params="70M tokens", tokens="1.4T")
    assert err.value.hint == "write a number of params there: 70M or '70M params'"


def test_tokens_per_step_with_its_word_typed_apart_goes_unsaid(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error, hint = refused(capsys, ["envelope", "c.csv", "--tokens-per-step", "0.5M", "tokens/step"])
    assert error == "error: Got unexpected extra argument(s) (tokens/step)"
    assert hint == "hint: --tokens-per-step is in tokens, so the unit goes unsaid: " + (
        "--tokens-per-step 0.5M"
    )
