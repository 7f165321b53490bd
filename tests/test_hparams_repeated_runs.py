"""A sweep's runs that repeat another run exactly (cell, lr, batch and loss, to the last digit)
are copies, not a second measurement: the sweep warns, naming each copy and the run it
repeats; repeats with their own loss (another seed) and diverged runs are not warned of."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import read_sweep


def _repeats(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "repeat" in w and "an earlier run's cell" in w]


def test_rows_copied_into_the_file_are_named_with_the_rows_they_repeat(tmp_path: Path) -> None:
    runs = sweep(3)
    finite = np.flatnonzero(np.isfinite(runs["loss"].to_numpy()))
    copied = finite[[0, 7, 40]]  # positions; a file's line is its position + 2 (the header)
    path = tmp_path / "s.csv"
    pd.concat([runs, runs.iloc[copied]]).to_csv(path, index=False)
    (said,) = _repeats(read_sweep(path, seq_len=SEQ_LEN).warnings)
    lines = [len(runs) + 2 + i for i in range(3)]
    pairs = ", ".join(f"{a} (as row {p + 2})" for a, p in zip(lines, copied, strict=True))
    assert said.startswith(
        "3 runs repeat an earlier run's cell, lr, batch and loss exactly, to the last digit: "
        f"rows {pairs}; each copy counts as a run of its own"
    )
    assert _repeats(read_sweep(runs, seq_len=SEQ_LEN).warnings) == []  # the file as it was


def test_named_runs_are_named_and_repeats_with_their_own_loss_are_not_copies() -> None:
    runs = sweep(3).iloc[:40].reset_index(drop=True)
    runs["run"] = [f"r{k}" for k in range(len(runs))]
    twin = runs.iloc[[5]].assign(run="r5-again")  # the same values under another name
    seed = runs.iloc[[6]].assign(run="r6-seed1", loss=runs["loss"][6] * 1.001)
    (said,) = _repeats(read_sweep(pd.concat([runs, twin, seed]), seq_len=SEQ_LEN).warnings)
    assert said.startswith(
        "1 run repeats an earlier run's cell, lr, batch and loss exactly, to the last digit: "
        "run 'r5-again' (as run 'r5'); "
    )


def test_diverged_runs_are_no_copies() -> None:
    runs = sweep(3)
    blown = runs[~np.isfinite(runs["loss"].to_numpy())]
    assert len(blown) > 0  # the sweep's NaN losses (above 4x the optimal lr)
    assert _repeats(read_sweep(pd.concat([runs, blown]), seq_len=SEQ_LEN).warnings) == []
