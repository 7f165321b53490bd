"""Values written with a percent sign (``26.3%``, an accuracy as leaderboards write it): read
as fractions with a note, as bare percentages are where evaluations are stored; read as a
loss or a size, refused with a hint that says the column holds percentages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.data import read_runs
from scalinglab.downstream import read_evals
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

N = np.repeat([2e7, 5e7, 1.25e8, 3.5e8, 7.6e8], 2)
D = N * np.tile([20.0, 80.0], 5)
LOSS = 1.8 + 400 * N**-0.34 + 400 * D**-0.28
ACC = 0.25 + 0.5 / (1 + np.exp(4 * (LOSS - 3.3)))


def _table(path: Path) -> Path:
    frame = pd.DataFrame({"name": [f"m{k}" for k in range(10)], "params": N, "tokens": D})
    frame["loss"] = LOSS
    frame["acc_hellaswag"] = [f"{100 * a:.2f}%" for a in ACC]
    frame["warmup"] = "1%"
    frame.to_csv(path, index=False)
    return path


def test_a_column_of_percent_signs_is_read_as_fractions(tmp_path: Path) -> None:
    table = read_runs(_table(tmp_path / "runs.csv"))
    assert table["acc_hellaswag"] == pytest.approx(np.round(100 * ACC, 2) / 100)
    assert table["warmup"] == pytest.approx(np.full(10, 0.01))
    low, high = np.round(100 * ACC, 2).min(), np.round(100 * ACC, 2).max()
    assert (
        f"column 'acc_hellaswag' read as percent (10 runs, {low:g}% to {high:g}%): read as "
        "fractions (divided by 100)"
    ) in table.notes
    assert "acc_hellaswag" not in table.labels


def test_a_loss_column_of_percentages_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _table(tmp_path / "runs.csv")
    code, _, err = cli(capsys, "fit", str(path), "--y", "loss=acc_hellaswag", one_line=True)
    first = pd.read_csv(path)["acc_hellaswag"][0]
    assert code == 2
    assert f"row 2, column 'acc_hellaswag': '{first}' is not a number" in err
    assert (
        f"hint: the column holds percentages ({first}), and a loss is none: read loss from "
        "another column: --y loss=COLUMN (accuracies against the loss: scalinglab downstream "
        "fit, which reads 26.3% as 0.263)"
    ) in err


def test_ingest_stores_them_as_evaluations(tmp_path: Path) -> None:
    """They were stored as text of the runs' config: no evaluation, and nothing said."""
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(_table(tmp_path / "runs.csv"), store=store.path)
    assert result.written.evals is not None and result.written.evals.added == 10
    assert any(
        n.startswith("column 'acc_hellaswag' read as percent (10 runs") for n in result.notes
    )
    stored = store.evals().set_index("run_id")["value"]
    names = {r.run_id: r.name for r in store.runs()}
    stored.index = stored.index.map(names)
    assert stored.loc[[f"m{k}" for k in range(10)]].to_numpy() == pytest.approx(
        np.round(100 * ACC, 2) / 100
    )


def test_downstream_reads_them_as_percent(tmp_path: Path) -> None:
    evals = read_evals(_table(tmp_path / "runs.csv"))
    assert evals.accuracy("hellaswag") == pytest.approx(np.round(100 * ACC, 2) / 100)
    assert any(n.startswith("column 'acc_hellaswag' read as percent (10 runs") for n in evals.notes)
