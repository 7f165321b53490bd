"""A run table's score columns (``acc_<task>``, as the wide evaluation tables name them) are
stored as evaluations of its runs at ingest, so ``downstream --store`` reads them; a store
that holds them only as run columns says so and how to store them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.downstream._stored import store_evals_frame
from scalinglab.ingest import ingest
from scalinglab.store import RunStore, StoredRun


def _table(path: Path) -> Path:
    n = np.repeat([1e7, 3e7, 1e8, 3e8], 2)
    d = n * np.tile([20.0, 80.0], 4)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    frame = pd.DataFrame({"run": [f"m{k}" for k in range(8)], "params": n, "tokens": d})
    frame["val_loss"] = loss
    frame["acc_hellaswag"] = 0.25 + 0.5 / (1 + np.exp(4 * (loss - 3.3)))
    frame["acc_piqa"] = 100 * (0.5 + 0.3 / (1 + np.exp(4 * (loss - 3.3))))  # in percent
    frame["lr"] = 3e-3
    frame.to_csv(path, index=False)
    return path


def test_a_wide_table_s_scores_are_stored_as_evaluations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table, store = _table(tmp_path / "models.csv"), tmp_path / "s.duckdb"
    result = ingest(table, store=store, mapping={"loss": "val_loss"})
    assert result.written.evals is not None and result.written.evals.added == 16
    assert any("'acc_piqa' read as percent (8 runs" in n for n in result.notes), result.notes
    frame = pd.read_csv(table)
    stored = RunStore(store).evals().pivot_table(index="run_id", columns="task", values="value")
    names = {r.run_id: r.name for r in RunStore(store).runs()}
    stored.index = stored.index.map(names)
    got = stored.loc[frame["run"]]
    assert got["hellaswag"].to_numpy() == pytest.approx(frame["acc_hellaswag"].to_numpy())
    assert got["piqa"].to_numpy() == pytest.approx(frame["acc_piqa"].to_numpy() / 100)
    assert "lr" not in stored.columns  # a hyperparameter is not a score
    code, out, err = cli(capsys, "runs", "--store", str(store), "--evals")
    assert code == 0 and "m0: hellaswag acc" in out, err


def test_a_store_with_scores_only_as_run_columns_says_how_to_store_them(
    tmp_path: Path,
) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(
        (StoredRun(run_id=f"r{k}", name=f"m{k}", params=1e7 * 2**k, tokens=2e8 * 2**k,
                   loss=3.5 - 0.1 * k, source="models.csv", extra={"acc_hellaswag": 0.3}), None)
        for k in range(4)
    )  # fmt: skip
    with pytest.raises(DataError) as err:
        store_evals_frame(store.path)
    assert "its runs hold acc scores as run columns (acc_hellaswag)" in str(err.value)
    assert f"ingest models.csv again (scalinglab ingest FILE --store {store.path})" in str(
        err.value
    )


def test_runs_with_scores_only_as_columns_beside_stored_scores_are_named(
    tmp_path: Path,
) -> None:
    """An old store: a table's runs hold acc_* only as columns, lm-eval runs have stored
    evaluations; the table's runs were dropped from the chain without a word."""
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(
        (StoredRun(run_id=f"r{k}", name=f"m{k}", params=1e7 * 2**k, tokens=2e8 * 2**k,
                   loss=3.5 - 0.1 * k, source="models.csv", extra={"acc_hellaswag": 0.3}), None)
        for k in range(4)
    )  # fmt: skip
    store.put_runs(
        (StoredRun(run_id=f"e{k}", name=f"lm{k}", params=3e7 * 2**k, tokens=6e8 * 2**k,
                   loss=3.4 - 0.1 * k, source="lm"), None)
        for k in range(3)
    )  # fmt: skip
    store.put_evals(
        pd.DataFrame({"run_id": [f"e{k}" for k in range(3)], "task": "hellaswag",
                      "metric": "acc", "value": [0.3, 0.32, 0.35]})
    )  # fmt: skip
    frame, notes, _ = store_evals_frame(store.path)  # the note on run columns
    assert sorted(frame["run"]) == ["lm0", "lm1", "lm2"]
    assert any(
        n.startswith("left out 4 runs that hold acc scores only as run columns (acc_hellaswag)")
        for n in notes
    ), notes


def test_ingest_and_downstream_word_a_percent_column_alike(tmp_path: Path) -> None:
    """Accuracies in percent read as fractions: ingest said ``(8 runs, 23.79 to 51.1)``
    where downstream fit says ``(8 runs, 23.79% to 51.1%)`` of the same column; one
    function (:func:`~scalinglab.data._percent.percent_span`) writes both."""
    from scalinglab.downstream import read_evals

    path = _table(tmp_path / "models.csv")
    frame = pd.read_csv(path)
    frame["acc_piqa"] = np.linspace(23.79, 51.1, 8)
    frame.to_csv(path, index=False)
    span = "(8 runs, 23.79% to 51.1%)"
    read = [n for n in read_evals(path).notes if "'acc_piqa' read as percent" in n]
    assert read == [f"column 'acc_piqa' read as percent {span}: read as fractions (divided by 100)"]
    result = ingest(path, store=tmp_path / "s.duckdb", mapping={"loss": "val_loss"})
    stored = [n for n in result.notes if "'acc_piqa' read as percent" in n]
    assert stored == [f"'acc_piqa' read as percent {span}: stored as fractions (divided by 100)"]
