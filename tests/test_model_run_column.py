"""A user's ``Model`` column of text names (``Chinchilla 70B``) is the run column where no
column has a run-id name; a ``model`` of numbers, or of repeated names, is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import read_runs

ROWS = [
    ("Chinchilla 70B", 7e10, 1.4e12, 1.94),
    ("Gopher 280B", 2.8e11, 3e11, 1.99),
    ("small a", 1e8, 2e9, 3.2),
    ("small b", 3e8, 6e9, 2.9),
    ("small c", 1e9, 2e10, 2.6),
    ("small d", 3e9, 6e10, 2.4),
]


def _write(path: Path, header: str, names: list[str]) -> Path:
    lines = [header] + [
        f"{m},{n},{d},{loss}" for m, (_, n, d, loss) in zip(names, ROWS, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_text_model_column_names_the_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [r[0] for r in ROWS]
    path = _write(tmp_path / "myruns.csv", "Model,params,tokens,loss", names)
    runs = read_runs(path)
    assert list(runs.runs) == names
    assert "run ids read from column 'Model'" in runs.notes
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0")
    assert code == 0, err
    assert "no run-id column" not in out + err
    assert "run ids read from column 'Model'" in out + err


def test_a_run_column_still_wins_over_model(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    rows = [f"r{i},{r[0]},{r[1]},{r[2]},{r[3]}" for i, r in enumerate(ROWS)]
    path.write_text("run,model,params,tokens,loss\n" + "\n".join(rows) + "\n")
    assert list(read_runs(path).runs) == [f"r{i}" for i in range(len(ROWS))]


@pytest.mark.parametrize(
    "names",
    [
        [str(i) for i in range(len(ROWS))],  # numbers: an index, not names
        ["a", "a", "b", "b", "c", "c"],  # repeated: several runs of one model
    ],
)
def test_a_model_column_of_numbers_or_repeats_is_not_the_run_column(
    tmp_path: Path, names: list[str]
) -> None:
    path = _write(tmp_path / "runs.csv", "model,params,tokens,loss", names)
    runs = read_runs(path)
    assert list(runs.runs) == [f"row{i + 2}" for i in range(len(ROWS))]
