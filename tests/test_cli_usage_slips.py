"""Usage errors said for the command typed: several values of a list option separated by
spaces (``--compute 1e22 1e23``, as a shell user writes them) say how to give them, where
click said only "unexpected extra argument"; an option's missing value points at the
subcommand's ``--help``, where it pointed at ``scalinglab --help``."""

from __future__ import annotations

import pytest
from tests._cli import cli


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    return err.splitlines()


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (
            ("predict", "--fit", "fit.json", "--params", "7B", "70B", "700B", "--tokens", "1.4T"),
            "hint: --params takes its values as one word, comma-separated: --params 7B,70B,700B",
        ),
        (
            ("plan", "--fit", "fit.json", "--compute", "1e22", "1e23"),
            "hint: --compute takes its values as one word, comma-separated: --compute "
            "1e22,1e23 (or repeat --compute)",
        ),
        (
            ("fit", "runs.csv", "--compute", "1e22", "1e23", "--json"),
            "hint: --compute takes its values as one word, comma-separated: --compute "
            "1e22,1e23 (or repeat --compute)",
        ),
        (
            ("plan", "--json", "--fit", "fit.json", "--target-loss", "2.1", "2.0"),
            "hint: --target-loss takes its values as one word, comma-separated: "
            "--target-loss 2.1,2.0 (or repeat --target-loss)",
        ),
    ],
)
def test_space_separated_values_are_told_to_take_commas(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], hint: str
) -> None:
    said = _refused(capsys, *args)
    assert said[0].startswith("error: Got unexpected extra argument")
    assert said[1] == hint


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("fit", "runs.csv", "--law", "chinchilla", "kaplan"), "scalinglab fit"),
        (("backtest", "runs.csv", "--where", "dataset=c4", "arch=x"), "scalinglab backtest"),
    ],
)
def test_other_extra_words_keep_the_help_hint(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], where: str
) -> None:
    """``--law`` takes one law, and ``--where`` one pair (its value may hold a comma): no
    comma-separated word is suggested for them."""
    assert _refused(capsys, *args)[1] == f"hint: see '{where} --help'"


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("fit", "runs.csv", "--out"), "scalinglab fit"),
        (("fit", "--bootstrap"), "scalinglab fit"),
        (("hparams", "fit", "--out"), "scalinglab hparams fit"),
        (("plan", "--fit"), "scalinglab plan"),
    ],
)
def test_a_missing_option_value_points_at_the_subcommand_help(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], where: str
) -> None:
    said = _refused(capsys, *args)
    assert said[0] == f"error: Option '{args[-1]}' requires an argument."
    assert said[1] == f"hint: see '{where} --help'"


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("plan", "--compute=1e24", "1e25", "x"), "scalinglab plan"),
        (("predict", "--compute=1e24", "FLOPs", "x"), "scalinglab predict"),
        (("downstream", "nonsuch"), "scalinglab downstream"),
        (("hparams", "fit", "--nonsuch"), "scalinglab hparams fit"),
    ],
)
def test_the_paths_and_joined_values_keep_their_hint(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], where: str
) -> None:
    """The (sub)command's ``--help`` for a group's unknown word and an unknown option; an
    ``--option=value`` followed by more words keeps it too (``extra_values_hint`` scans the
    words typed, not ``_argwalk.walk``, which would read ``--compute=1e24`` as the option's
    value and give that line a new hint)."""
    assert _refused(capsys, *args)[1] == f"hint: see '{where} --help'"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("plan", "--fit", "fit.json", "--compute", "1000", "H100-hours"), "1000 H100-hours"),
        (("fit", "runs.csv", "--compute", "3.5e3", "PF-days"), "3.5e3 PF-days"),
        (("plan", "--fit", "fit.json", "--compute", "1000", "GPU", "hours"), "1000 GPU hours"),
    ],
)
def test_a_budget_in_time_as_two_words_is_told_its_flops(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    """A time budget typed unquoted gets the conversion its quoted form gets, never the
    list hint's ``--compute 1000,H100-hours`` (two budgets, neither a number)."""
    lines = _refused(capsys, *args)
    assert lines[0].startswith("error: Got unexpected extra argument")
    assert lines[1].startswith(f"hint: --compute '{said}' is ")
    assert "not FLOPs" in lines[1]
    assert "--compute 1.42e21" in lines[1] or "--compute 3.02e23" in lines[1]
    assert "," + args[-1] not in lines[1]
