"""A missing or ambiguous loss column's hint names the option of the interface the user
called: ``y=`` for Python's ``fit`` (its loss column's argument), ``--y`` on the command
line, ``columns=`` for ``read_runs``, which has no ``y=``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab
from scalinglab import DataError
from scalinglab.downstream import fit_loss_to_loss

_RUNS = "run,params,tokens,{loss}\na,1e6,1e9,3.0{more}\nb,2e6,2e9,2.8{more}\nc,4e6,4e9,2.6{more}\n"


def _csv(tmp_path: Path, loss: str, more: str = "") -> Path:
    path = tmp_path / "runs.csv"
    path.write_text(_RUNS.format(loss=loss, more=more), encoding="utf-8")
    return path


def test_python_fit_without_a_loss_column_names_y(tmp_path: Path) -> None:
    path = _csv(tmp_path, "val")
    with pytest.raises(DataError, match="no loss column") as err:
        scalinglab.fit("chinchilla", path)
    # was "--y loss=COLUMN (columns={'loss': COLUMN} in Python)": fit takes no columns=
    assert err.value.hint == "say which column holds the loss: y=COLUMN"
    with pytest.raises(DataError, match="no loss column") as iso:
        scalinglab.isoflop(path, budgets=[1e18])
    assert iso.value.hint == "say which column holds the loss: y=COLUMN"
    with pytest.raises(DataError, match="no column 'nope'") as wrong:
        scalinglab.fit("chinchilla", path, y="nope")
    assert wrong.value.hint == "pass an existing column: y=COLUMN"
    with pytest.raises(DataError, match="no column 'nope'") as l2l:
        fit_loss_to_loss(path, x="nope", y="val")  # its x= is the column read as the loss
    assert l2l.value.hint == "pass an existing column: x=COLUMN"


def test_python_fit_of_two_loss_columns_says_which_as_y(tmp_path: Path) -> None:
    path = _csv(tmp_path, "train_loss,val_loss", more=",2.5")
    with pytest.raises(DataError, match="could each be loss") as err:
        scalinglab.fit("chinchilla", path)
    assert err.value.hint == "say which: y='train_loss'"  # was "say which: --y loss=COLUMN"


def test_read_runs_and_the_command_line_keep_their_own_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path, "val")
    with pytest.raises(DataError, match="no loss column") as err:
        scalinglab.read_runs(path)
    # read_runs takes y= as fit does, so its hint names y=, not the command line's --y
    assert err.value.hint == "say which column holds the loss: y=COLUMN"
    code, _, said = cli(capsys, "fit", str(path), one_line=True)
    assert code == 2
    assert "hint: say which column holds the loss: --y loss=COLUMN" in said
    assert "--y loss=COLUMN (y=COLUMN in Python)" in said  # was columns=, which fit refuses


def test_ingest_names_its_own_python_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``scalinglab.ingest`` takes the loss column as ``mapping={'loss': ...}``; it has no
    ``y=`` (the hint said ``y=COLUMN in Python``, which ingest refuses)."""
    path, store = _csv(tmp_path, "val"), str(tmp_path / "s.duckdb")
    code, _, said = cli(capsys, "ingest", str(path), "--store", store, one_line=True)
    assert code == 2
    assert "--map loss=COLUMN (mapping={'loss': COLUMN} in Python)" in said, said
    with pytest.raises(DataError, match="no loss column") as err:
        scalinglab.ingest(path, store=store)
    assert err.value.hint is not None and "mapping={'loss': COLUMN}" in err.value.hint
    done = scalinglab.ingest(path, store=store, mapping={"loss": "val"})  # as the hint says
    assert len(done.written.added) == 3
