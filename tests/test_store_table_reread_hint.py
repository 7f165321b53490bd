"""A run store's table given to ``fit(drop_outliers=True)`` is refused with the call that
reads the store again with the option (``read_runs``, the hint for a table file, refuses a
store), and that call drops the run that looks diverged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scalinglab
from scalinglab._errors import ConfigError
from scalinglab.store import RunStore, StoredRun


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "runs.duckdb"
    store = RunStore(path)
    k = 0
    for n in (2e7, 5e7, 1e8, 2e8, 4e8):
        for tpp in (5, 20, 80):
            loss = 1.69 + 406.4 * n**-0.34 + 410.7 * (n * tpp) ** -0.28
            loss *= 1.6 if k == 7 else 1.0  # one run far above the trend: diverged-looking
            store.put_run(StoredRun(run_id=f"t{k}", name=f"r{k}", status="finished",
                                    source="runs.csv", params=n, tokens=n * tpp, loss=loss))  # fmt: skip
            k += 1
    return path


@pytest.mark.heavy  # 3.1 s in the suite on a 2-core AMD EPYC
def test_a_store_table_refused_drop_outliers_names_the_store_call(tmp_path: Path) -> None:
    path = _store(tmp_path)
    table = RunStore(path).to_run_table()
    with pytest.raises(ConfigError) as caught:
        scalinglab.fit("chinchilla", table, bootstrap=0, drop_outliers=True)
    hint = caught.value.hint or ""
    assert f"scalinglab.RunStore({str(path)!r}).to_run_table(drop_outliers=True)" in hint
    assert "read_runs" not in hint
    dropped = RunStore(path).to_run_table(drop_outliers=True)  # the call the hint names
    assert len(table) == 15 and len(dropped) == 14
    assert "r7" not in list(dropped.runs) and np.all(np.isfinite(dropped["loss"]))


def test_a_file_table_keeps_the_read_runs_hint(tmp_path: Path) -> None:
    csv = tmp_path / "runs.csv"
    csv.write_text("params,tokens,loss\n" + "".join(
        f"{n},{20 * n},{3 + 1e3 / n:.4f}\n" for n in (1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8)))  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        scalinglab.fit("power-law:flops", scalinglab.read_runs(csv), best_per_cell=True)
    assert "read_runs(path, best_per_cell=True)" in (caught.value.hint or "")
