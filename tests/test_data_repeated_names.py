"""Repeated column names: refused, naming the positions, only where the repeated column is
read; one no value is read from is left out with one warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import DataError, read_runs

_ROWS = "".join(
    f"r{k},{n},{20 * n},{2 + 1e3 / n**0.3:.4f},a,b\n" for k, n in enumerate((1e7, 3e7, 1e8, 3e8))
)


def test_a_repeated_column_not_read_is_left_out_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss,note,note\n" + _ROWS)
    runs = read_runs(path)
    assert len(runs) == 4
    assert "note" not in runs.labels
    warnings = [n for n in runs.notes if "named 'note'" in n]
    assert warnings == [
        "warning: columns 5 and 6 are named 'note': not read (no value is read from them), "
        "so left out"
    ]


def test_a_repeated_column_that_is_read_is_refused_by_its_positions(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss,note,loss\n" + _ROWS)
    with pytest.raises(DataError) as caught:
        read_runs(path)
    assert str(caught.value) == (
        f"{path}, column 'loss': columns 4 and 6 are both named 'loss', which is read: which "
        "one is meant is not clear (rename or remove the other column of that name)"
    )
