"""``--where``'s help speaks of a --store only on a command that has one: ``hparams fit`` and
``hparams backtest`` read a sweep file alone, and their help said "Of a --store, the
finished runs ..." (the shared :data:`scalinglab.cli._params.Where`)."""

from __future__ import annotations

import re

import pytest
from tests._cli import cli

_STORE_SENTENCE = "Of a --store, the finished runs among those `scalinglab runs --where` lists"
_SWEEP_WHERE = (
    "--where COLUMN=VALUE Only the sweep's runs whose text column has this value (one "
    "training corpus: dataset=c4_original), before its cells are formed; a law holds for one "
    "training distribution. Repeat to require several."
)


def _help(capsys: pytest.CaptureFixture[str], command: str) -> tuple[str, bool]:
    """The command's help on one line, and whether it has a --store option."""
    code, out, _ = cli(capsys, *command.split(), "--help")
    assert code == 0
    has_store = re.search(r"^ *--store [A-Z<]", out, re.MULTILINE) is not None  # the option
    return " ".join(out.split()), has_store


@pytest.mark.parametrize("command", ["hparams fit", "hparams backtest"])
def test_sweep_commands_say_no_store(capsys: pytest.CaptureFixture[str], command: str) -> None:
    said, has_store = _help(capsys, command)
    assert not has_store and "--store" not in said
    assert _SWEEP_WHERE in said


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
