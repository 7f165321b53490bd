"""``envelope --store`` where some runs logged tokens at only some points: those points are
left out with a note counting them and their runs, and saying why, and the envelope is
that of the points kept."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves

from scalinglab import envelope
from scalinglab.cli import main


def test_points_without_tokens_are_counted_in_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("duckdb")
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
        steps = pd.DataFrame(
            {"step": range(1, len(curve) + 1), "tokens": np.where(gaps, np.nan, tokens),
             "eval_loss": curve["loss"].to_numpy()}
        )  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
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
