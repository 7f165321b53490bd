"""``scalinglab runs`` shows each run's whole name, folded, never cut with an ellipsis: the
name is the text ``runs rm NAME`` and ``--where run=NAME`` take, and names that differ only
at their end (``...-m0.25``, ``...-m0.5``) would read alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._stores import store_of

from scalinglab.cli import main

_NAMES = [
    f"openlm-c4_original-d=1024_l=24_h=8-tokens_per_param_multiplier={m}" for m in (0.25, 0.5)
]


def _run_cells(out: str) -> list[str]:
    """The run column's cells, a folded cell's lines joined."""
    cells: list[str] = []
    for line in out.splitlines():
        parts = line.split("│")
        if len(parts) < 3:
            continue
        name, status = parts[1].strip(), parts[2].strip()
        if status:
            cells.append(name)
        elif cells:
            cells[-1] += name
    return cells


def test_long_names_are_folded_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    table = pd.DataFrame(
        {"run": _NAMES, "params": [4.1e8, 4.1e8], "tokens": [2.1e9, 4.1e9], "loss": [3.5, 3.2]}
    )
    store = store_of(table, tmp_path / "runs.duckdb")
    assert main(["runs", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert _run_cells(out) == _NAMES
