"""A DataFrame's index that ``to_parquet`` saved in the file is read back as columns, by
every reader of Parquet: run tables (``fit``, ``read_runs``), sweeps, curve files (both
readers), evaluation tables and ``ingest`` (a run table, a W&B export, a history). A named
index keeps its name (``set_index("run")``: the run column, as a ``run`` column is), an
unnamed one is ``index``, a MultiIndex's levels are a column each (``level_<k>`` when
unnamed), as ``DataFrame.reset_index`` names them; a RangeIndex, saved as metadata only,
is no column. Before, the index was dropped: the runs were named ``row<k>`` and
``--map run=run`` was refused (no column 'run')."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused
from tests._ingest_sources import STEPS, ladder, wandb_table

from scalinglab import DataError, read_evals, read_lr_curves, read_runs
from scalinglab.data._curves import read_curves
from scalinglab.hparams._sweep import read_sweep
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

_NAMES = [f"m{k}" for k in range(8)]
_PARAMS = [1e7 * 2**k for k in range(8)]
_LOSS = [2.0 + 30 * n**-0.3 for n in _PARAMS]
_LAW = ("--law", "E + A*N**-alpha", "--x", "N=params", "--bootstrap", "0", "--json")


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {"run": _NAMES, "params": _PARAMS, "tokens": [20 * n for n in _PARAMS], "loss": _LOSS}
    )


def _fit_runs(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> list[str]:
    code, out, err = cli(capsys, "fit", str(path), *_LAW, *options)
    assert code == 0, err
    return list(json.loads(out)["runs"])


def test_a_named_index_is_the_run_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.parquet"
    _runs().set_index("run").to_parquet(path)
    table = read_runs(path)
    assert table.runs == tuple(_NAMES) and table.run_column == "run"
    assert not [n for n in table.notes if "no run-id column" in n]
    np.testing.assert_array_equal(table["loss"], _LOSS)  # each run keeps its own row
    assert _fit_runs(capsys, path) == _NAMES
    assert _fit_runs(capsys, path, "--map", "run=run") == _NAMES  # refused before


def test_an_unnamed_index_is_the_column_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.parquet"
    _runs().set_index("run").rename_axis(None).to_parquet(path)  # __index_level_0__
    assert read_runs(path).runs == tuple(f"row{k}" for k in range(1, 9))  # no id by name
    assert read_runs(path, run_column="index").runs == tuple(_NAMES)
    assert _fit_runs(capsys, path, "--map", "run=index") == _NAMES


@pytest.mark.parametrize("name", [None, "run"])
def test_a_range_index_saved_as_metadata_is_no_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str | None
) -> None:
    path = tmp_path / "runs.parquet"
    frame = _runs().drop(columns="run").rename_axis(name)
    assert isinstance(frame.index, pd.RangeIndex)
    frame.to_parquet(path)
    table = read_runs(path)
    assert table.runs == tuple(f"row{k}" for k in range(1, 9))
    assert sorted(table.columns) == ["flops", "loss", "params", "tokens"]
    column = name or "index"
    error, _ = refused(capsys, ["fit", str(path), *_LAW, "--map", f"run={column}"])
    assert error == (
        f"error: {path}, column '{column}': no column '{column}' to read run ids from; the "
        "columns are 'params', 'tokens', 'loss'"
    )


def test_a_multiindex_is_read_level_by_level(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.parquet"
    frame = _runs().assign(dataset=["c4", "rpj"] * 4)
    frame.set_index(["run", "dataset"]).to_parquet(path)
    table = read_runs(path)
    assert table.runs == tuple(_NAMES)
    assert table.where("dataset", "rpj").runs == tuple(_NAMES[1::2])
    assert _fit_runs(capsys, path, "--where", "dataset=c4") == _NAMES[::2]
    unnamed = tmp_path / "unnamed.parquet"
    frame.set_index(["run", "dataset"]).rename_axis([None, None]).to_parquet(unnamed)
    assert read_runs(unnamed, run_column="level_0").runs == tuple(_NAMES)
    assert (
        _fit_runs(capsys, unnamed, "--map", "run=level_0", "--where", "level_1=rpj")
        == (_NAMES[1::2])
    )


def test_an_index_named_as_a_column_is_refused_as_a_repeated_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.parquet"
    frame = _runs().assign(run=[f"x{k}" for k in range(8)])
    frame.index = pd.Index(_NAMES, name="run")
    frame.to_parquet(path)
    with pytest.raises(DataError, match="columns 1 and 2 are both named 'run'"):
        read_runs(path)


def test_a_sweep_keeps_its_index_as_run_names(tmp_path: Path) -> None:
    lr = np.tile([1e-3, 2e-3, 4e-3], 2)
    frame = pd.DataFrame(
        {
            "run": [f"s{k}" for k in range(6)],
            "params": [1e8] * 6,
            "tokens": [2e9] * 6,
            "lr": lr,
            "bs": np.repeat([256, 512], 3),
            "loss": 3 + (np.log(lr) - np.log(2e-3)) ** 2,
        }
    )
    path = tmp_path / "sweep.parquet"
    frame.set_index("run").to_parquet(path)
    sweep = read_sweep(path)
    assert sweep.table.runs == tuple(frame["run"])
    np.testing.assert_array_equal(sweep.lr, lr)


def _curve_frame() -> pd.DataFrame:
    steps = np.arange(100, 1100, 100)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "run": run,
                    "step": steps,
                    "lr": np.linspace(1e-3, 1e-4, len(steps)),
                    "loss": 3 + 10 * scale * steps**-0.5,
                }
            )
            for run, scale in (("cosA", 1.0), ("cosB", 1.1))
        ],
        ignore_index=True,
    )


@pytest.mark.parametrize("index", [["run"], ["run", "step"]])
def test_curve_files_keep_their_index_as_columns(tmp_path: Path, index: list[str]) -> None:
    frame = _curve_frame()
    path = tmp_path / "curves.parquet"
    frame.set_index(index).to_parquet(path)
    curves = read_lr_curves(path, warmup=0)
    assert [c.run for c in curves] == ["cosA", "cosB"]
    np.testing.assert_array_equal(curves[1].loss, frame["loss"][10:])
    read = read_curves(path, runs={"cosA": 1e7, "cosB": 2e7}, tokens_per_step=1000.0)
    assert read.runs == tuple(frame["run"])
    np.testing.assert_array_equal(read.params, [1e7] * 10 + [2e7] * 10)


def test_an_evaluation_table_keeps_its_index_as_run_names(tmp_path: Path) -> None:
    frame = _runs().assign(acc_piqa=np.linspace(0.55, 0.7, 8))
    path = tmp_path / "evals.parquet"
    frame.set_index("run").to_parquet(path)
    evals = read_evals(path, tasks="piqa")
    assert evals.runs.runs == tuple(_NAMES)
    np.testing.assert_array_equal(evals.accuracy("piqa"), frame["acc_piqa"])


def test_ingest_stores_the_runs_by_their_index(tmp_path: Path) -> None:
    path = tmp_path / "runs.parquet"
    _runs().set_index("run").to_parquet(path)
    store = tmp_path / "s.duckdb"
    result = ingest(path, store=store)
    assert result.kind == "table"
    stored = RunStore(store).runs_frame().set_index("name")["loss"]
    assert sorted(stored.index) == sorted(_NAMES)
    assert stored["m3"] == pytest.approx(_LOSS[3], rel=1e-12)


def test_ingest_reads_a_history_whose_run_and_step_are_its_index(tmp_path: Path) -> None:
    table = tmp_path / "runs.csv"
    _runs().iloc[:2].replace({"m0": "cosA", "m1": "cosB"}).to_csv(table, index=False)
    history = tmp_path / "curves.parquet"
    curves = _curve_frame()
    curves.set_index(["run", "step"]).to_parquet(history)
    store = tmp_path / "s.duckdb"
    result = ingest(table, store=store, history=history)
    assert result.written.curve_points == len(curves)
    st = RunStore(store)
    names = dict(zip(st.runs_frame()["run_id"], st.runs_frame()["name"], strict=True))
    by_name = {names[k]: c for k, c in st.curves().groupby("run_id")}
    np.testing.assert_array_equal(by_name["cosB"]["step"], curves["step"][10:])
    np.testing.assert_allclose(by_name["cosB"]["train_loss"], curves["loss"][10:], rtol=1e-12)


def test_ingest_reads_a_wandb_export_and_wide_history_by_their_index(tmp_path: Path) -> None:
    runs = ladder(n_sizes=1)
    export = tmp_path / "export.parquet"
    wandb_table(runs).set_index("Name").to_parquet(export)  # W&B's Name column: the index
    wide = pd.DataFrame(
        {f"{r.name} - eval/loss": r.eval_curve() for r in runs},
        index=pd.Index(runs[0].steps(), name="Step"),  # a panel export's Step: the index
    )
    history = tmp_path / "history.parquet"
    wide.to_parquet(history)
    store = tmp_path / "s.duckdb"
    result = ingest(export, store=store, history=history)
    assert result.kind == "wandb" and result.written.curve_points == len(runs) * STEPS
    st = RunStore(store)
    names = dict(zip(st.runs_frame()["run_id"], st.runs_frame()["name"], strict=True))
    assert sorted(names.values()) == sorted(r.name for r in runs)
    by_name = {names[k]: c for k, c in st.curves().groupby("run_id")}
    for run in runs:
        np.testing.assert_array_equal(by_name[run.name]["step"], run.steps())
        np.testing.assert_allclose(by_name[run.name]["eval_loss"], run.eval_curve(), rtol=1e-12)
