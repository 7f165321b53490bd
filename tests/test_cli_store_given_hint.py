"""A run store given where a command reads a table file: the hint is the command's own.

Before, every command said "pass --store s.duckdb on the command line", the reader's guess,
also where the command had no ``--store`` (``ingest``, whose ``--store`` is the store it
writes) and where the store went to an option that takes another table (``--chance``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

import scalinglab
from scalinglab import DataError
from scalinglab.hparams import read_sweep
from scalinglab.store import RunStore, StoredRun


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, tokens=2e7, loss=3.0))
    return path


#: Each command that reads its input (named) from a file, and has a --store to read a store's.
_WITH_STORE = {
    "fit": ("RUNS", []),
    "backtest": ("RUNS", []),
    "isoflop": ("RUNS", []),
    "envelope": ("CURVES", []),
    "report": ("RUNS", []),
    "curves fit": ("CURVES", []),
    "downstream fit": ("EVALS", []),
    "downstream backtest": ("EVALS", []),
    "hparams fit": ("SWEEP", []),
    "hparams backtest": ("SWEEP", []),
    "loss2loss fit": ("RUNS", ["--x", "loss", "--y", "loss_code"]),
}


@pytest.mark.parametrize("command", sorted(_WITH_STORE))
def test_a_command_with_store_says_store_in_place_of_its_input(
    capsys: pytest.CaptureFixture[str], store: Path, command: str
) -> None:
    argument, more = _WITH_STORE[command]
    error, hint = refused(capsys, [*command.split(), str(store), *more])
    assert error == f"error: {store}: is a run store (DuckDB), not a table file"
    assert hint == (
        f"hint: pass it with --store, in place of {argument}: scalinglab {command} --store {store}"
    )


def test_given_to_runs_it_says_store_in_place_of_runs(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    evals = tmp_path / "evals.csv"
    evals.write_text("run,task,metric,value\na,piqa,acc,0.6\n")
    _, hint = refused(capsys, ["downstream", "fit", str(evals), "--runs", str(store)])
    assert hint == (
        f"hint: pass it with --store, in place of --runs: scalinglab downstream fit --store {store}"
    )


def test_given_to_another_option_it_says_that_option_takes_a_table(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    evals = tmp_path / "evals.csv"
    evals.write_text("run,params,tokens,loss,acc_piqa\na,1e6,2e7,3.0,0.6\n")
    _, hint = refused(capsys, ["downstream", "fit", str(evals), "--chance", str(store)])
    assert hint == (
        f"hint: --chance takes a table file, not a run store; 'scalinglab downstream fit' "
        f"reads a store's runs with --store: scalinglab downstream fit --store {store}"
    )


def test_a_command_reading_no_store_says_where_its_runs_are_read(
    capsys: pytest.CaptureFixture[str], store: Path, tmp_path: Path
) -> None:
    """``ingest``'s --store is the store it writes: no place for the store it was given."""
    target = tmp_path / "t.duckdb"
    _, hint = refused(capsys, ["ingest", str(store), "--store", str(target)])
    assert hint == (
        f"hint: 'scalinglab ingest' reads no run store; the commands that fit read its runs "
        f"with --store (scalinglab fit --store {store}), and `scalinglab runs --store {store}` "
        "lists them"
    )
    assert not target.exists()


def test_python_is_told_the_python_way(store: Path) -> None:
    for call in (
        lambda: scalinglab.read_runs(store),
        lambda: read_sweep(store),
        lambda: scalinglab.fit_loss_to_loss(store, x="loss", y="loss_code"),
    ):
        with pytest.raises(DataError) as err:
            call()
        assert "--store" not in err.value.hint
        assert err.value.hint == (
            f"read its runs with scalinglab.RunStore({str(store)!r}).to_run_table() and pass "
            "that table"
        )
