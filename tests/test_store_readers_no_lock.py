"""Commands that only read a store create nothing beside it: the ``<store>.lock`` is the
writers' (``store._atomic.store_lock``); readers open the file read-only and wait on
DuckDB's own lock, never on that file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

_RUNS = [(n, 20 * n, 1.8 + 400 * n**-0.34 + 2000 * (20 * n) ** -0.37) for n in
         (1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8, 6.4e8, 1.28e9)]  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [
        ["runs"],
        ["runs", "--evals"],
        ["runs", "--json"],
        ["runs", "rm", "row2", "--dry-run"],
        ["fit", "--bootstrap", "0"],
        ["report", "--bootstrap", "0", "--out", "{out}/report.html"],
    ],
    ids=" ".join,
)
@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_a_read_leaves_no_lock_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    table = tmp_path / "runs.csv"
    table.write_text("params,tokens,loss\n" + "".join(f"{n:g},{d:g},{y}\n" for n, d, y in _RUNS))
    folder = tmp_path / "stores"
    folder.mkdir()
    store = folder / "s.duckdb"
    assert cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    (folder / "s.duckdb.lock").unlink()  # the ingest's: a writer's lock file stays
    out = tmp_path / "out"
    out.mkdir()
    args = [part.format(out=out) for part in command]
    code, _, err = cli(capsys, *args, "--store", str(store))
    assert code == 0, err
    assert [p.name for p in folder.iterdir()] == ["s.duckdb"]
