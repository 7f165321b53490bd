"""A run store given where a run table is read says to read it as a store (it said
"unknown file type '.duckdb'"), in ``read_runs`` and ``fit`` alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import scalinglab
from scalinglab import DataError


def test_a_duckdb_file_is_pointed_at_the_store(tmp_path: Path) -> None:
    store = tmp_path / "st.duckdb"
    store.write_bytes(b"\0" * 16)  # judged by its name, before any reading
    for call in (lambda: scalinglab.read_runs(store), lambda: scalinglab.fit("chinchilla", store)):
        with pytest.raises(DataError) as err:
            call()
        assert err.value.message == f"{store}: is a run store (DuckDB), not a table file"
        assert err.value.hint == (  # Python's way: the command line says its command's
            f"read its runs with scalinglab.RunStore({str(store)!r}).to_run_table() and pass "
            "that table"
        )
    assert callable(scalinglab.RunStore.to_run_table)  # the method the hint names
