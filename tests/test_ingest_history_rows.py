"""``ingest RUNS --history CURVES`` says what ``curves fit CURVES`` says of the same rows, in
its words: a run resumed from a checkpoint (its steps go back and rise again) keeps its later
rows at the steps it logged again, the earlier ones dropped, with the curve reader's note;
rows without a finite loss are counted per run. Ingest stored both silently (and kept the
earlier rows at steps the resumed run did not log again)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.curves._data import read_noted
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: Run 'a' logged every 100 steps to 600, then (before the restart) at 650; resumed from
#: its checkpoint at 400, it logs 400, 500, ... 1000 again, 0.01 lower: 400 to 650 of the
#: first segment are superseded (650 logged again at no step: dropped all the same).
_FIRST = [100, 200, 300, 400, 500, 600, 650]
_AGAIN = list(range(400, 1100, 100))


def _loss(step: int, k: int) -> float:
    return 4 - step / 1000 - k / 10


def _history(path: Path, run: str) -> Path:
    rows = [
        {run: "a", "_step": s, "learning_rate": 1e-3, "train/loss": _loss(s, 0)} for s in _FIRST
    ]
    rows += [{run: "a", "_step": s, "learning_rate": 1e-3, "train/loss": _loss(s, 0) - 0.01}
             for s in _AGAIN]  # fmt: skip
    for k, name in ((1, "b"), (2, "c")):
        for s in range(100, 1100, 100):
            nan = name == "b" and s in (300, 500)  # an eval row of a W&B export
            loss = float("nan") if nan else _loss(s, k)
            rows.append({run: name, "_step": s, "learning_rate": 1e-3, "train/loss": loss})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _check(history: Path, notes: tuple[str, ...], store: Path, names: dict[str, str]) -> None:
    """The ingest's notes hold the curve reader's, and run 'a' is stored as it reads it."""
    curves, read, _, _ = read_noted(history)
    resumed = next(n for n in read if "was resumed" in n)
    assert resumed == (
        f"run 'a' ({history}) was resumed: its steps go from 650 back to 400 at row 9; the 4 "
        "earlier rows at the steps logged again are superseded by the later logging, as a "
        "tracker's resume logs over them, and dropped"
    )
    skipped = next(n for n in read if "without a finite loss" in n)
    assert skipped == (
        f"{history}: 2 rows without a finite loss in column 'train/loss' skipped (blank, NaN "
        "or inf): 2 of run 'b'"
    )
    assert resumed in notes
    assert skipped.replace("skipped (", "skipped as loss points (") in notes
    stored = RunStore(store).curves()
    a = stored[stored["run_id"].map(names) == "a"]
    (read_a,) = (c for c in curves if c.run == "a")
    assert a["step"].tolist() == [100, 200, 300, *_AGAIN] == read_a.step.tolist()
    np.testing.assert_allclose(a["train_loss"], read_a.loss)
    assert a["train_loss"].tolist()[3] == pytest.approx(_loss(400, 0) - 0.01)


def test_a_wandb_history_says_what_curves_fit_says(tmp_path: Path) -> None:
    runs = tmp_path / "wbruns.csv"
    table = {"Name": ["a", "b", "c"], "State": "finished", "ID": ["i0", "i1", "i2"],
             "n_params": [1e7, 2e7, 4e7], "tokens": [2e8, 4e8, 8e8],
             "train/loss": [_loss(1000, k) for k in range(3)]}  # fmt: skip
    pd.DataFrame(table).to_csv(runs, index=False)
    history = _history(tmp_path / "wandb_curves.csv", "name")
    done = ingest(runs, store=tmp_path / "s.duckdb", history=history)
    assert done.kind == "wandb"
    names = {r.run_id: r.name for r in RunStore(tmp_path / "s.duckdb").runs()}
    _check(history, done.notes, tmp_path / "s.duckdb", names)


def test_a_plain_tables_history_says_what_curves_fit_says(tmp_path: Path) -> None:
    runs = tmp_path / "runs.csv"
    table = {"name": ["a", "b", "c"], "params": [1e7, 2e7, 4e7], "tokens": [2e8, 4e8, 8e8],
             "loss": [_loss(1000, k) for k in range(3)]}  # fmt: skip
    pd.DataFrame(table).to_csv(runs, index=False)
    history = _history(tmp_path / "curves.csv", "run")
    done = ingest(runs, store=tmp_path / "s.duckdb", history=history)
    names = {r.run_id: r.name for r in RunStore(tmp_path / "s.duckdb").runs()}
    _check(history, done.notes, tmp_path / "s.duckdb", names)
