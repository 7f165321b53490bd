"""How the curve readers read a run store's curves as they read a file's: rows without a
training loss through the diverged screen (a NaN tail leaves the run out, a gap is skipped
and counted), a run with no training loss at all named, and ``schedule`` (``--schedule``)
for the runs that log no lr, refused when every run logs one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, DataError
from scalinglab.cli import main
from scalinglab.curves import read_store_curves
from scalinglab.curves._data import read_noted
from scalinglab.curves._store_data import read_store_noted
from scalinglab.store import RunStore, StoredRun

STEPS = np.arange(0, 2000, 10)
LR = np.full(len(STEPS), 3e-4)
GOOD = 3 + 5 * (STEPS + 10.0) ** -0.3
SPEC = "constant:peak=3e-4,steps=2000"


def _losses() -> dict[str, np.ndarray]:
    """'good'; 'bad', NaN from step 1000 on; 'gaps', NaN at 3 steps along the way."""
    bad, gaps = GOOD.copy(), GOOD.copy()
    bad[100:] = np.nan
    gaps[[20, 50, 51]] = np.nan
    return {"good": GOOD, "bad": bad, "gaps": gaps}


def _store(path: Path, curves: dict[str, pd.DataFrame]) -> Path:
    store = RunStore(path)
    for name, curve in curves.items():
        run = StoredRun(run_id=f"id-{name}", name=name, status="finished", params=1e8, loss=3.1)
        store.put_run(run, curve=curve)
    return path


def test_a_stores_nan_rows_are_screened_and_said_as_a_files(tmp_path: Path) -> None:
    losses = _losses()
    curves = {
        k: pd.DataFrame({"step": STEPS, "lr": LR, "train_loss": v}) for k, v in losses.items()
    }
    store = _store(tmp_path / "runs.duckdb", curves)
    read, notes, left, _ = read_store_noted(store)
    assert sorted((c.run, len(c.step)) for c in read) == [("gaps", 197), ("good", 200)]
    assert left == {
        "bad": "diverged (its loss is NaN or missing from step 1000 on (its last 100 rows), "
        "after 3.629 at step 990)"
    }
    assert notes == [
        f"warning: run 'bad' ({store}) left out as diverged: its loss is NaN or missing from "
        "step 1000 on (its last 100 rows), after 3.629 at step 990 (a loss that turns inf, or "
        "NaN and stays so, or whose median over its last 5 points is above 1.5x its lowest "
        "median over 5 consecutive ones, counts as diverged); pass --keep-diverged "
        "(keep_diverged=True) to keep it",
        f"{store}: 3 rows without a finite loss in column 'train_loss' skipped (blank, NaN "
        "or inf): 3 of run 'gaps'",
    ]
    # the same runs in a file: the same notes but for the source and the column's name
    path = tmp_path / "c.csv"
    pd.concat(
        pd.DataFrame({"run": k, "step": STEPS, "lr": LR, "loss": v}) for k, v in losses.items()
    ).to_csv(path, index=False)
    from_file = read_noted(path)[1]
    assert [n.replace(str(path), str(store)) for n in from_file] == [
        n.replace("'train_loss'", "'loss'") for n in notes
    ]
    kept, notes, _, _ = read_store_noted(store, keep_diverged=True)
    assert {c.run: len(c.step) for c in kept} == {"bad": 100, "gaps": 197, "good": 200}
    assert "; kept, as asked" in notes[0] and "100 of run 'bad', 3 of run 'gaps'" in notes[1]


def test_a_run_without_a_training_loss_is_named_not_called_diverged(tmp_path: Path) -> None:
    evals = pd.DataFrame({"step": STEPS, "lr": LR, "eval_loss": GOOD})
    store = _store(
        tmp_path / "runs.duckdb",
        {"good": pd.DataFrame({"step": STEPS, "lr": LR, "train_loss": GOOD}), "evals": evals},
    )
    with pytest.warns(UserWarning, match="no train_loss") as said:
        (curve,) = read_store_curves(store)
    assert curve.run == "good"
    assert read_store_noted(store)[2] == {"evals": "no train_loss in its stored curves"}
    assert [str(w.message) for w in said] == [
        f"{store}: 1 run has no train_loss in its stored curve ('evals'): left out; "
        "ingest their training loss with the curves (--map train_loss=METRIC)"
    ]
    only = _store(tmp_path / "evals.duckdb", {"evals": evals})
    with pytest.raises(DataError) as err:
        read_store_curves(only)
    assert err.value.message == (
        f"{only}: no curve to fit: 1 run has no train_loss in its stored curve ('evals')"
    )


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_a_schedule_is_for_the_store_runs_that_log_no_lr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logged = _store(
        tmp_path / "logged.duckdb",
        {"good": pd.DataFrame({"step": STEPS, "lr": LR, "train_loss": GOOD})},
    )
    # every run logs its lr: the schedule is refused, as for files, on the command line too
    with pytest.raises(ConfigError, match="every run has a logged lr column"):
        read_store_curves(logged, schedule=SPEC)
    args = ["curves", "fit", "--store", str(logged), "--schedule", SPEC, "--law", "tissue"]
    code = main([*args, "--bootstrap", "0"])
    err = capsys.readouterr().err
    assert code == 2 and "error: every run has a logged lr column, which is its schedule" in err
    assert "drop --schedule" in err
    # a run that logs none takes the schedule given; without one, the error says to give it
    bare = _store(
        tmp_path / "bare.duckdb",
        {
            "good": pd.DataFrame({"step": STEPS, "lr": LR, "train_loss": GOOD}),
            "nolr": pd.DataFrame({"step": STEPS, "train_loss": GOOD}),
        },
    )
    with pytest.raises(DataError, match="run 'nolr' logs no learning rate") as no:
        read_store_curves(bare)
    assert no.value.hint.startswith("fill in its lr, or pass --schedule 'cosine:peak=3e-4,")
    read = {c.run: c.schedule.spec for c in read_store_curves(bare, schedule=SPEC)}
    assert read == {"good": "logged", "nolr": "constant:peak=0.0003,steps=2000"}
    code = main(["curves", "fit", "--store", str(bare), "--schedule", SPEC, "--law", "tissue",
                 "--bootstrap", "0", "--json"])  # fmt: skip
    assert code == 0 and '"runs": [' in capsys.readouterr().out


def test_a_files_run_with_blank_lr_cells_takes_the_schedule_given(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    blank = pd.DataFrame({"run": "nolr", "step": STEPS, "lr": np.nan, "loss": GOOD})
    pd.concat([pd.DataFrame({"run": "good", "step": STEPS, "lr": LR, "loss": GOOD}), blank]).to_csv(
        path, index=False
    )
    with pytest.raises(DataError, match="run 'nolr' logs no learning rate"):
        read_noted(path)
    read = {c.run: c.schedule.spec for c in read_noted(path, schedule=SPEC)[0]}
    assert read == {"good": "logged", "nolr": "constant:peak=0.0003,steps=2000"}
