"""A number written past float64's largest (1e400) is refused as written, by its row and
column: it read as inf, so a size was said to be 'inf' and asked to be filled in, and a loss
was taken for a diverged run; a cell that says inf keeps those rules."""

from __future__ import annotations

from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab import DataError

ROWS = [(f"r{i}", 1e8 * (i + 1), 2e9 * (i + 1), 3.0 - 0.1 * i) for i in range(8)]


def _write(path: Path, column: str, text: str) -> Path:
    lines = ["run,params,tokens,loss"] + [",".join(map(str, r)) for r in ROWS]
    cells = lines[2].split(",")  # the file's line 3
    cells[["run", "params", "tokens", "loss"].index(column)] = text
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("column", ["params", "tokens", "loss"])
def test_a_number_too_large_for_a_float_is_refused_as_written(tmp_path: Path, column: str) -> None:
    with pytest.raises(DataError) as info:
        sl.read_runs(_write(tmp_path / "runs.csv", column, "1e400"))
    err = info.value
    assert f"{column} is 1e400, beyond the largest number a float holds" in err.message
    assert (err.row, err.column) == (3, column)
    assert "fill in the value" not in err.hint


def test_a_cell_that_says_inf_keeps_its_rules(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="params is inf; every run needs a finite params"):
        sl.read_runs(_write(tmp_path / "runs.csv", "params", "inf"))
    with pytest.raises(DataError, match=r"loss is inf \(diverged\)"):
        sl.read_runs(_write(tmp_path / "runs2.csv", "loss", "inf"))
