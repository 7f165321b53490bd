"""A grouping column given twice (``hparams fit --by N --by N``, or ``N`` and ``params``,
which read one column) is refused as given twice, with the ``--by`` that gives each once;
the hint that extends ``--by`` (group by D too) no longer repeats a column: it was
"--by N --by N --by D"."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.hparams import read_sweep


def _csv(tmp_path: Path) -> str:
    table = sweep(1).rename(columns={"params": "N", "tokens": "D"})
    path = tmp_path / "sweep.csv"
    table.to_csv(path, index=False)
    return str(path)


def test_by_given_twice_is_refused_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["hparams", "fit", _csv(tmp_path), "--by", "N", "--by", "N", "--bootstrap", "0"]
    error, hint = refused(capsys, [*args, "--seq-len", str(SEQ_LEN)])
    assert error == (
        "error: --by N given twice (by= in Python); a cell is grouped by each column once"
    )
    assert hint == "hint: give each once: --by N"


def test_two_names_of_one_column_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        read_sweep(_csv(tmp_path), seq_len=SEQ_LEN, by=["N", "params", "D"])
    assert err.value.message == (
        "--by N and --by params both name column 'N' (by= in Python); a cell is grouped by "
        "each column once"
    )
    assert err.value.hint == "give each once: --by N --by D"


def test_the_group_by_hint_names_each_column_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["hparams", "fit", _csv(tmp_path), "--by", "N", "--bootstrap", "0"]
    _, hint = refused(capsys, [*args, "--seq-len", str(SEQ_LEN)])
    assert hint == "hint: group by D too: --by N --by D"
