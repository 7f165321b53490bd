"""A run store given where a subcommand goes (``scalinglab runs runs.duckdb``) is hinted to
``--store``: the group's own option, or its subcommands'; a table (``scalinglab
fixed.csv``) to the command that reads it; any other unknown name (a folder, a file that is
no store) keeps click's ``see '... --help'``."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.store import RunStore, StoredRun


def _err(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, " ".join(capsys.readouterr().err.split())


def test_a_store_as_a_command_name_hints_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = _err(capsys, "runs", "runs.duckdb")  # not there yet: by its name
    assert code == 2 and "No such command 'runs.duckdb'." in err
    assert "hint: a run store is given with --store: 'scalinglab runs --store runs.duckdb'" in err
    RunStore(tmp_path / "my store").put_run(StoredRun(run_id="a", name="a"))  # a store
    code, err = _err(capsys, "ladder", "my store")
    assert code == 2 and (  # a shell's quotes inside: the command in backticks
        "hint: a run store is the --store option of plan, run, status: "
        "e.g. `scalinglab ladder status --store 'my store'`" in err
    )
    code, err = _err(capsys, "curves", "runs.duckdb")
    assert "e.g. 'scalinglab curves fit --store runs.duckdb'" in err
    code, err = _err(capsys, "runs", "nothing")
    assert code == 2 and "hint: see 'scalinglab runs --help'" in err
    code, err = _err(capsys, "hparams", "runs.duckdb")  # its fit and backtest read one now
    assert code == 2 and (
        "hint: a run store is the --store option of fit, backtest: "
        "e.g. 'scalinglab hparams fit --store runs.duckdb'" in err
    )


def test_a_table_or_a_folder_as_a_command_name_is_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fixed.csv").write_text("params,tokens,loss\n1e6,2e7,4.0\n")
    code, err = _err(capsys, "fixed.csv")
    assert code == 2 and err.endswith(
        "hint: a table is given to a command, not as one: e.g. 'scalinglab fit fixed.csv', "
        "or stored with 'scalinglab ingest fixed.csv --store runs.duckdb'"
    )
    code, err = _err(capsys, "curves", "my curves.csv.gz")  # there or not, by its name
    assert "e.g. `scalinglab curves fit 'my curves.csv.gz'`" in err
    (tmp_path / "my dir").mkdir()
    code, err = _err(capsys, "my dir")
    assert code == 2 and err.endswith("hint: see 'scalinglab --help'")
    (tmp_path / "notes").write_text("not a store")
    code, err = _err(capsys, "runs", "notes")
    assert code == 2 and err.endswith("hint: see 'scalinglab runs --help'")
