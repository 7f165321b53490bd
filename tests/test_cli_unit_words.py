"""A number and its unit typed apart (``--tokens 1.4 T``, ``--params 7 billion``,
``--compute 1e24 FLOPs``) or spelled out (``--params 7bn``) is refused with the one word the
quantity parser reads (``1.4T``, ``7B``, ``1e24``), on every command that takes sizes,
tokens or budgets; click said "unexpected extra argument (T)" and the hint joined the unit
as a second value (``--tokens 1.4,T``). Units stay one letter (K, M, B or G, T, P): the
parser of run tables and of every option is one: it reads no unit spelled out (billion,
bn), and the one word it reads after a number is the quantity's own, in one value
(``"1.4T tokens"``, ``"7B params"``, ``"1e24 FLOPs"``: tests/test_option_size_words.py)."""

from __future__ import annotations

import pytest
from tests._cli import refused


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (
            ["predict", "--preset", "hoffmann2022", "--params", "7B", "--tokens", "1.4", "T"],
            "hint: --tokens takes a number and its unit as one word: --tokens 1.4T",
        ),
        (
            ["predict", "--preset", "hoffmann2022", "--params", "7", "billion", "--tokens", "1T"],
            "hint: --params takes a number and its unit as one word: --params 7B",
        ),
        (
            ["hparams", "predict", "--preset", "steplaw2025", "--params", "7", "b", "--tokens",
             "1T"],
            "hint: --params takes a number and its unit as one word: --params 7B",
        ),
        (
            ["plan", "--preset", "hoffmann2022", "--compute", "1e24", "FLOPs"],
            "hint: --compute is in FLOPs, so the unit goes unsaid: --compute 1e24",
        ),
    ],
)  # fmt: skip
def test_a_unit_typed_apart(capsys: pytest.CaptureFixture[str], args: list[str], hint: str) -> None:
    error, said = refused(capsys, args)
    assert error.startswith("error: Got unexpected extra argument")
    assert said == hint


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (
            ["predict", "--preset", "hoffmann2022", "--params", "7bn", "--tokens", "1T"],
            "error: --params '7bn' is not a number",
            "hint: write the unit as one letter, K, M, B (or G), T or P: --params 7B",
        ),
        (
            ["predict", "--preset", "hoffmann2022", "--params", "7B", "--tokens",
             "1.4 trillion"],
            "error: --tokens '1.4 trillion' is not a number",
            "hint: write the unit as one letter, K, M, B (or G), T or P: --tokens 1.4T",
        ),
    ],
)  # fmt: skip
def test_a_unit_spelled_out(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str, hint: str
) -> None:
    assert refused(capsys, args) == (error, hint)


def test_one_word() -> None:
    from scalinglab.cli._options import one_word

    assert one_word("--tokens", "1.4", "t") == "1.4T"
    assert one_word("--params", "7", "Billion") == "7B"
    assert one_word("--flops", "5.9e22", "flop") == "5.9e22"
    assert one_word("--params", "7", "FLOPs") is None  # a size has no FLOPs
    assert one_word("--params", "7B", "13B") is None  # a second value, not a unit
    assert one_word("--params", "7", "x") is None
