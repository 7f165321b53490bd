"""The input-hash helper the ingest and error tests use: it finds the inputs of a command line
and notices a changed, removed or added file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._hashes import cli_inputs, unchanged


def test_cli_inputs_are_the_files_named_less_what_the_command_writes(tmp_path: Path) -> None:
    table, history, store, out = (tmp_path / n for n in ("t.csv", "h.parquet", "s.db", "o.json"))
    for path in (table, history, store, out):
        path.write_text("x")
    ingest = ["ingest", str(table), f"--history={history}", "--store", str(store)]
    assert cli_inputs(ingest) == [table, history]
    assert cli_inputs(["fit", "--store", str(store), "--out", str(out)]) == [store]
    assert cli_inputs(["fit", str(tmp_path / "gone.csv"), "--bootstrap", "0"]) == []


def test_unchanged_notices_a_write_a_removal_and_an_added_file(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("run,loss\na,3.0\n")
    folder = tmp_path / "mlruns"
    folder.mkdir()
    with unchanged(path, folder, None):
        pass
    with pytest.raises(AssertionError, match="was changed"), unchanged(path):
        path.write_text("run,loss\na,3.1\n")
    with pytest.raises(AssertionError, match="was changed"), unchanged(folder):
        (folder / ".trash").mkdir()
    with pytest.raises(AssertionError, match="was removed"), unchanged(path):
        path.unlink()

    def refused() -> None:  # a command that writes, then fails: checked when it raises, too
        (folder / "meta.yaml").write_text("name: x\n")
        raise ValueError("a refused command")

    with pytest.raises(AssertionError, match="was changed"), unchanged(folder):
        refused()
