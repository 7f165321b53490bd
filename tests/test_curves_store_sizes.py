"""``curves fit --store`` reads a store as ``fit --store`` does: N is the count ``fit
--store`` fits on (a ladder's non-embedding N, said in a note), and only finished runs'
curves are fitted (failed and interrupted ones left out with ``fit --store``'s note, each
by the status ``runs`` shows), unless ``--where status=...`` asks for them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.curves._store_data import read_store_noted
from scalinglab.store import RunStore, StoredRun

STEPS = np.arange(0, 1000, 10)
#: name -> (status, total params, non-embedding params)
RUNS = {
    "w16": ("finished", 15_000.0, 7_000.0),
    "w32": ("finished", 42_000.0, 25_000.0),
    "w48": ("finished", 80_000.0, 55_000.0),
    "w64": ("running", 133_000.0, 101_000.0),
    "w80": ("failed", 200_000.0, 160_000.0),
}


def _store(path: Path, runs: dict[str, tuple[str, float, float]] = RUNS) -> Path:
    store = RunStore(path)
    for name, (status, total, non_embedding) in runs.items():
        loss = 2 + 30 * non_embedding**-0.3 * (STEPS + 10.0) ** -0.2
        curve = pd.DataFrame({"step": STEPS, "lr": np.full(len(STEPS), 3e-3), "train_loss": loss})
        run = StoredRun(run_id=f"id-{name}", name=name, status=status, source="ladder:tiny",
                        params=total, params_non_embedding=non_embedding, loss=float(loss[-1]))  # fmt: skip
        store.put_run(run, curve=curve)
    return path


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_curves_n_is_the_count_fit_store_reads_and_a_note_says_so(tmp_path: Path) -> None:
    store = _store(tmp_path / "runs.duckdb")
    curves, notes, _, _ = read_store_noted(store)
    assert {c.run: c.params for c in curves} == {"w16": 7e3, "w32": 2.5e4, "w48": 5.5e4}
    assert list(RunStore(store).to_run_table()["params"]) == [7e3, 2.5e4, 5.5e4]
    assert (
        f"{store}: the curves' model sizes are N = params_non_embedding: non-embedding "
        "parameters, the convention the ladder planned its rungs in (tokens/param, 6·N·D), as `fit "
        "--store` reads N"
    ) in notes


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_unfinished_runs_are_left_out_with_fit_stores_note(tmp_path: Path) -> None:
    store = _store(tmp_path / "runs.duckdb")
    curves, notes, left, selection = read_store_noted(store)
    assert [c.run for c in curves] == ["w16", "w32", "w48"]
    assert notes[0] == (
        f"{store}: left out 2 stored runs that are not finished: 1 failed (w80); 1 "
        "interrupted (w64) (--where status=STATUS (where={'status': ...}) fits their curves)"
    )
    # w64 is stored running with no worker: shown interrupted, as `runs` shows it
    assert left == {"w80": "failed, not finished", "w64": "interrupted, not finished"}
    fitted = RunStore(store).to_run_table().notes[1]  # fit --store's words
    assert fitted.startswith(
        "left out 2 stored runs that are not finished: 1 failed (w80); 1 interrupted (w64)"
    )
    assert selection.kept == 3
    running, notes, _, _ = read_store_noted(store, where={"status": "interrupted"})
    assert [c.run for c in running] == ["w64"] and not any("left out" in n for n in notes)


def test_a_store_of_no_finished_curve_says_so(tmp_path: Path) -> None:
    store = _store(tmp_path / "runs.duckdb", {k: RUNS[k] for k in ("w64", "w80")})
    with pytest.raises(DataError, match=r"no run with a curve finished: 1 failed \(w80\); "
                       r"1 interrupted \(w64\)") as err:  # fmt: skip
        read_store_noted(store)
    assert "--where status=STATUS" in str(err.value.hint)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_the_cli_warns_of_the_non_embedding_sizes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path / "runs.duckdb")
    code = main(["curves", "fit", "--store", str(store), "--bootstrap", "0"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "the curves are of 3 model sizes (7K, 25K, 55K)" in out
    assert "left out 2 stored runs that are not finished" in err
