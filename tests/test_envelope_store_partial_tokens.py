"""``envelope --store`` where some runs logged tokens at only some points: those points are
left out with a note counting them and their runs, and saying why, and the envelope is
that of the points kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves

from scalinglab import envelope
from scalinglab.cli import main


def _store_with_gaps(tmp_path: Path, *, loss_at: tuple[int, int, float] | None = None) -> Any:
    """A store of 12 law curves (steps 1 to 80) where runs 1, 4, 7 and 10 (``m1``, ...)
    logged no tokens at every other point, from their first; ``loss_at``: (run, step, loss)
    stored instead of that point's loss."""
    from scalinglab.store import RunStore, StoredRun

    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "runs.duckdb")
    pairs, kept = [], []
    for i, (run_id, curve) in enumerate(frame.groupby("run", sort=False)):
        tokens = curve["tokens"].to_numpy(dtype=np.float64)
        gaps = np.zeros(len(tokens), dtype=bool)
        gaps[::2] = i % 3 == 1  # runs 1, 4, 7, 10: every other point logged no tokens
        kept.append(curve[~gaps])
        stored = StoredRun(
            run_id=str(run_id), name=str(run_id), params=float(curve["params"].iloc[0])
        )
        loss = curve["loss"].to_numpy(dtype=np.float64, copy=True)
        if loss_at is not None and loss_at[0] == i:
            loss[loss_at[1] - 1] = loss_at[2]
        steps = pd.DataFrame(
            {"step": range(1, len(curve) + 1), "tokens": np.where(gaps, np.nan, tokens),
             "eval_loss": loss}
        )  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    return store, frame, kept


def test_points_without_tokens_are_counted_in_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    store, frame, kept = _store_with_gaps(tmp_path)
    dropped = len(frame) - sum(len(k) for k in kept)
    assert dropped == 4 * 40  # 4 runs of 80 points, every other one without tokens
    assert main(["envelope", "--store", str(store.path), "--bootstrap", "0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        f"{dropped} points without tokens skipped (of 4 runs that logged tokens at other "
        "points: the envelope needs tokens at every point it reads); pass --tokens-per-step N "
        "to count them as step × N"
    ) in data["notes"]
    want = envelope(pd.concat(kept), bootstrap=0)  # the envelope of the points kept
    assert data["a"] == pytest.approx(want.a.value, rel=1e-9)


def test_map_step_fills_tokens_as_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--map step=step fills (or skips) the points without tokens as the stored step column
    does by default: the same notes and the same envelope, not a refusal of the first
    point without tokens (it was 'run 'm1', step 1, column 'tokens': tokens is nan')."""
    pytest.importorskip("duckdb")
    store, _, _ = _store_with_gaps(tmp_path)
    args = ["envelope", "--store", str(store.path), "--bootstrap", "0", "--json"]
    assert main(args) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main([*args, "--map", "step=step"]) == 0
    mapped = json.loads(capsys.readouterr().out)
    assert mapped["a"] == plain["a"] and mapped["n_runs"] == plain["n_runs"] == 12
    assert "160 points without tokens skipped" in " ".join(mapped["notes"])


def test_a_bad_stored_loss_names_the_store_run_and_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
    store, _, _ = _store_with_gaps(tmp_path, loss_at=(5, 7, -1.0))  # run m5, step 7
    assert main(["envelope", "--store", str(store.path), "--bootstrap", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        f"error: {store.path}: run 'm5', step 7, column 'eval_loss': loss is -1; loss must be "
        "a positive, finite number"
    ) in err
    assert "hint: fix the run's stored curve, or remove the run (`scalinglab runs rm`)" in err
