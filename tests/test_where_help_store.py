"""``--where``'s help speaks of a --store only on a command that has one (``hparams fit`` and
``hparams backtest`` once read a sweep file alone, and their help said "Of a --store, the
finished runs ..."; they have a --store now, and say it)."""

from __future__ import annotations

import re

import pytest
from tests._cli import cli

_STORE_SENTENCE = "Of a --store, the finished runs among those `scalinglab runs --where` lists"
_SWEEP_WHERE = (
    "--where COLUMN=VALUE Only the sweep's runs whose text column has this value (one "
    "training corpus: dataset=c4_original), before its cells are formed; a law holds for one "
    "training distribution. Or compare a number column: COLUMN OP NUMBER, OP one of >= > <= "
    "< == != and units allowed ('params>=2e7', 'seq_len==2048', 'params<1.5B'; quote it in "
    "the shell). A column written with % is read as fractions, so give its value "
    "with % (data_frac=45%, alike 45.0%: the fraction 0.45); a bare 0.45 or 45 is refused. "
    "Repeat to require several."
)


def _help(capsys: pytest.CaptureFixture[str], command: str) -> tuple[str, bool]:
    """The command's help on one line, and whether it has a --store option."""
    code, out, _ = cli(capsys, *command.split(), "--help")
    assert code == 0
    has_store = re.search(r"^ *--store [A-Z<]", out, re.MULTILINE) is not None  # the option
    return " ".join(out.split()), has_store


@pytest.mark.parametrize("command", ["hparams fit", "hparams backtest"])
def test_sweep_commands_say_their_store(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """They read a --store now (test_cli_sweep_store.py), and --where of one as fit's does."""
    said, has_store = _help(capsys, command)
    assert has_store
    file_part = _SWEEP_WHERE.removesuffix(" Repeat to require several.")
    assert f"{file_part} {_STORE_SENTENCE}" in said
    assert "Read the finished runs of a run store (.duckdb) instead of SWEEP." in said


@pytest.mark.parametrize(
    "command",
    [
        "fit",
        "backtest",
        "isoflop",
        "envelope",
        "report",
        "curves fit",
        "curves backtest",
        "hparams fit",
        "hparams backtest",
        "loss2loss fit",
    ],
)
def test_where_names_a_store_only_where_there_is_one(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    said, has_store = _help(capsys, command)
    assert "--where COLUMN=VALUE" in said
    assert (_STORE_SENTENCE in said) == has_store
