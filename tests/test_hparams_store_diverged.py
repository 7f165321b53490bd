"""``hparams fit/backtest --store`` read a sweep's diverged runs as its file is read, and a
store keeps what the table's reader knew of N's convention.

Ingest stores a run whose loss is ``inf`` or NaN with status ``diverged``; the store was
read for its ``finished`` runs only, so a cell whose runs above its best lr all diverged
lost them: located at the grid's top lr, unbracketed, left out of the laws, and the fit from
the store was another than the file's. And the store said N was "params: total parameters,
as stored" for a table whose ``N`` column says nothing of embeddings (the reader of the file
says "not recorded").

The sweep is the Step Law development table's runs of N < 300M (8 cells), with every run
above one cell's best lr logged diverged (``inf``, or ``nan`` written as such).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import SHARED
from tests.test_cli_sweep_store import _coefs, _json

from scalinglab.store import RunStore

_SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
pytestmark = pytest.mark.skipif(not _SWEEP.exists(), reason="the shared data are not here")
_OPTIONS = ["--y", "smooth loss", "--seq-len", "2048", "--bootstrap", "0", "--json"]
_NOT_RECORDED = "as given in column 'N' (with or without embeddings: not recorded)"


@pytest.fixture(scope="module")
def diverged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """The sweep as a file, ingested into a store, and how many runs it logs diverged."""
    from scalinglab.ingest import ingest

    folder = tmp_path_factory.mktemp("diverged")
    runs = pd.read_csv(_SWEEP)
    runs = runs[runs["N"] < 3e8].reset_index(drop=True)
    cell = (runs["N"] == runs["N"].min()) & (runs["D"] == runs["D"].max())
    best = runs.loc[runs.loc[cell, "smooth loss"].idxmin(), "lr"]
    above = cell & (runs["lr"] > best)
    losses = ["loss", "smooth loss"]
    runs.loc[above, losses] = np.inf
    runs.loc[above & (runs["bs"] > 100), losses] = np.nan  # a NaN, as a logger writes it
    table = folder / "sweep.csv"
    runs.to_csv(table, index=False, na_rep="nan")
    store = folder / "sweep.duckdb"
    ingest(table, store=store)
    return table, store, int(above.sum())


def test_the_store_holds_the_diverged_runs(diverged: tuple[Path, Path, int]) -> None:
    _, store, n = diverged
    assert n == 10 and RunStore(store).counts()["diverged"] == n
    # fit --store reads the finished runs alone, as before; a sweep reads the diverged too
    finished = RunStore(store).to_run_table()
    swept = RunStore(store).to_run_table(sweep=True)
    assert len(swept) == len(finished) + n
    assert int((~np.isfinite(swept["smooth loss"])).sum()) == n
    assert swept.notes[0].startswith(f"read {len(swept)} finished or diverged runs from")


def test_hparams_fit_store_counts_the_diverged_runs_as_the_file(
    capsys: pytest.CaptureFixture[str], diverged: tuple[Path, Path, int]
) -> None:
    table, store, n = diverged
    from_file = _json(capsys, "hparams", "fit", str(table), *_OPTIONS)
    from_store = _json(capsys, "hparams", "fit", "--store", str(store), *_OPTIONS)
    assert from_store["cells"] == from_file["cells"]
    (bounded,) = [c for c in from_file["cells"] if len(c["diverged"]) == n]
    assert bounded["status"].startswith("ok, bounded by divergence: every run above its best lr")
    assert _coefs(from_store) == pytest.approx(_coefs(from_file), rel=1e-12)
    # without them (the finished runs alone, as --store read before) the cell is unbracketed
    # and the laws are others: the diverged runs are what the fit above used
    finished = _json(capsys, "hparams", "fit", "--store", str(store), "--where",
                     "status=finished", *_OPTIONS)  # fmt: skip
    (alone,) = [c for c in finished["cells"] if c["keys"] == bounded["keys"]]
    assert alone["status"].startswith("unbracketed") and not alone["diverged"]
    assert finished["lr_law"]["coefs"]["A"] != pytest.approx(from_file["lr_law"]["coefs"]["A"])


def test_hparams_backtest_store_scores_as_the_file(
    capsys: pytest.CaptureFixture[str], diverged: tuple[Path, Path, int]
) -> None:
    table, store, _ = diverged
    args = ["--holdout", "top-scales:1", *[o for o in _OPTIONS if o not in ("--bootstrap", "0")]]
    from_file = _json(capsys, "hparams", "backtest", str(table), *args)
    from_store = _json(capsys, "hparams", "backtest", "--store", str(store), *args)
    assert from_store["fitted_cells"] == from_file["fitted_cells"]
    assert from_store["held_out"] and from_store["held_out"] == from_file["held_out"]


@pytest.mark.heavy
def test_n_is_said_as_the_tables_reader_says_it(
    capsys: pytest.CaptureFixture[str], diverged: tuple[Path, Path, int], tmp_path: Path
) -> None:
    """The store said "params: total parameters, as stored" of Step Law's N column, which
    does not say whether it counts embeddings (its README: it does not)."""
    table, store, _ = diverged
    from_file = _json(capsys, "hparams", "fit", str(table), *_OPTIONS)
    from_store = _json(capsys, "hparams", "fit", "--store", str(store), *_OPTIONS)
    assert from_store["params_convention"] == from_file["params_convention"] == _NOT_RECORDED
    fit = _json(capsys, "fit", "--store", str(store), "--bootstrap", "0", "--json")
    assert fit["conventions"]["params"] == _NOT_RECORDED
    assert f"(N = params: {_NOT_RECORDED}; --x N=params_non_embedding" in fit["notes"][0]
    # a column that says what it counts is said so, from the store as from the file
    named = tmp_path / "named.csv"
    pd.read_csv(table).rename(columns={"N": "total_params"}).to_csv(named, index=False)
    from scalinglab.ingest import ingest

    ingest(named, store=tmp_path / "named.duckdb")
    said = RunStore(tmp_path / "named.duckdb").to_run_table().params_convention
    assert said == "total parameters (column 'total_params')"
    # runs stored without it (a ladder's, a tracker's) keep the stored count's words, and a
    # store of both says each with its count
    from scalinglab.store import StoredRun

    both = RunStore(shutil.copy(store, tmp_path / "both.duckdb"))
    both.put_run(StoredRun(run_id="x", name="x", params=1e8, tokens=1e9, loss=3.0))
    mixed = both.to_run_table().params_convention
    finished = both.counts()["finished"] - 1
    assert mixed == (
        f"{_NOT_RECORDED} ({finished} runs); params: total parameters, as stored (1 run)"
    )
