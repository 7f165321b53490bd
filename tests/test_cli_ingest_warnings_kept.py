"""``scalinglab ingest`` prints at most a dozen notes below its summary (``--json`` has
them all), but never cuts a warning: a sweep with many runs that look diverged (a note
each) and a few ``inf`` losses still says which runs were stored ``diverged``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main


def _sweep(path: Path) -> None:
    rows = []
    for n in (5e7, 1e8, 2e8, 4e8):
        for d in (10 * n, 40 * n):
            for lr in (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2):
                for batch in (64, 256, 1024):
                    loss = 1.8 + 400 / n**0.34 + 400 / d**0.28 + 0.01 * np.log(lr / 1e-3) ** 2
                    if lr == 3e-2:  # diverged: 10.0 (a note: looks diverged), or inf (stored so)
                        loss = np.inf if batch == 64 else 10.0
                    rows.append({"run": f"n{n:.0e}_d{d:.0e}_lr{lr:.0e}_b{batch}", "params": n,
                                 "tokens": d, "lr": lr, "batch_size": batch, "loss": loss})  # fmt: skip
    pd.DataFrame(rows).to_csv(path, index=False)


def test_ingest_prints_every_warning_past_the_notes_it_cuts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, store = tmp_path / "sweep.csv", tmp_path / "runs.duckdb"
    _sweep(table)
    assert main(["ingest", str(table), "--store", str(store), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    notes = list(result["notes"])
    warnings = [n for n in notes if n.startswith("warning: ")]
    plain = [n for n in notes if not n.startswith("warning: ")]
    assert len(plain) > 12 and len(warnings) == 1  # the runs stored diverged: their inf losses
    assert "stored with status 'diverged'" in warnings[0]
    store.unlink()
    assert main(["ingest", str(table), "--store", str(store)]) == 0
    lines = " ".join(capsys.readouterr().out.split())
    assert "warning: " + " ".join(warnings[0].removeprefix("warning: ").split()) in lines
    assert f"... and {len(plain) - 12} more notes (see --json)" in lines
    assert sum(f"note: {' '.join(n.split())}" in lines for n in plain) == 12
