"""Copies that differ only in float precision: TensorBoard keeps scalars as float32, so the
run MLflow logged as loss 3.0582 reads 3.058199882507324 there. Both stores of one run
are the same run to a fit (counted once) and to ingest (noted as identical); `curves fit
--store` says which copies it counted once, as `fit --store` does."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main
from scalinglab.ingest import ingest
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._copies import copy_of


def _tables(tmp_path: Path) -> tuple[Path, Path]:
    """Twelve runs as MLflow gives them (float64), and as TensorBoard does (float32)."""
    n = np.repeat([1e7, 3e7, 1e8, 3e8], 3)
    d = n * np.tile([10.0, 20.0, 40.0], 4)
    loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28 + np.linspace(-0.004, 0.004, 12)
    frame = pd.DataFrame({"run": [f"m{k}" for k in range(12)], "params": n, "tokens": d})
    exact, rounded = tmp_path / "mlflow_runs.csv", tmp_path / "tb_runs.csv"
    frame.assign(loss=np.round(loss, 4)).to_csv(exact, index=False)
    as_f32 = np.round(loss, 4).astype(np.float32).astype(np.float64)
    frame.assign(loss=[repr(float(x)) for x in as_f32]).to_csv(rounded, index=False)
    assert not np.array_equal(pd.read_csv(exact)["loss"], pd.read_csv(rounded)["loss"])
    return exact, rounded


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_float32_copies_are_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exact, rounded = _tables(tmp_path)
    store = tmp_path / "both.duckdb"
    ingest(exact, store=store)
    written = ingest(rounded, store=store)
    assert any(
        note.startswith(f"12 runs of {rounded} are identical (same name, params, tokens, loss)")
        for note in written.notes
    ), written.notes
    runs = RunStore(store).to_run_table()
    assert len(runs) == 12
    assert (
        f"counted once: 12 runs from {rounded} are identical (same name, params, tokens, "
        f"loss) to runs stored from {exact}"
    ) in runs.notes
    assert main(["fit", "--store", str(store), "--bootstrap", "0", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["runs"]) == 12


def test_runs_apart_by_more_than_float32_precision_are_two_runs() -> None:
    frame = pd.DataFrame({
        "run_id": ["a", "b", "c", "d"],
        "name": ["r"] * 4,
        "source": ["x", "y", "y", "z"],
        "params": [1e7] * 4,
        "tokens": [2e8, 2e8, 2e8 * (1 + 3e-6), 2e8],
        # b: float32 of a's loss; d: apart by 1e-5, a loss a fit tells apart
        "loss": [3.0582, float(np.float32(3.0582)), 3.0582, 3.0582 * (1 + 1e-5)],
    })  # fmt: skip
    assert copy_of(frame).tolist() == [-1, 0, -1, -1]


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_curves_fit_over_a_store_says_which_copies_it_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    steps = np.arange(100, 2100, 100)
    items = []
    for k, n in enumerate((1e7, 3e7, 1e8)):
        curve = pd.DataFrame({"step": steps, "lr": 1e-3, "train_loss": 3 + n**-0.1 + 5 / steps})
        loss = float(curve["train_loss"].iloc[-1])
        for source, value in (("mlruns", loss), ("tb_logs", float(np.float32(loss)))):
            run = StoredRun(run_id=f"{source}{k}", name=f"m{k}", params=n, tokens=4e8,
                            loss=value, source=source)  # fmt: skip
            items.append((run, curve))
    store.put_runs(items)
    # which copies are counted once is read before the fit: the cheap power-s1 law fits them
    args = ["curves", "fit", "--store", str(store.path), "--law", "power-s1", "--bootstrap", "0",
            "--max-iter", "3000"]  # fmt: skip
    assert main([*args, "--json"]) == 0
    out, err = capsys.readouterr()
    assert (
        "counted once: 3 runs from tb_logs are identical (same name, params, tokens, loss) "
        "to runs stored from mlruns"
    ) in " ".join(err.split())
    left = json.loads(out)["left_out"]
    assert left == {
        f"m{k} (tb_logs)": "identical to the run stored from mlruns: counted once" for k in range(3)
    }
    assert main(args) == 0
    assert "counted once: 3 runs from tb_logs" in " ".join(capsys.readouterr().err.split())
