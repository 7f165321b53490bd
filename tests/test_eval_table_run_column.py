"""A long evaluation table's run column goes by a run table's names (``name``, ``run_id``,
...) or the one ``--map run=COL`` names: ``name,task,metric,value`` was read as a run table
("no loss column"), ``--kind evals`` refused it, and ``downstream fit`` found no scores."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.downstream import read_evals
from scalinglab.ingest import detect_kind, ingest_evals
from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)

RUNS = pd.DataFrame(
    {"run": ["a", "b", "c", "d"], "params": [1e7, 2e7, 4e7, 8e7],
     "tokens": [2e8, 4e8, 8e8, 1.6e9], "loss": [4.0, 3.7, 3.4, 3.2]}
)  # fmt: skip
PIQA = [0.55, 0.58, 0.61, 0.64]


def _long(tmp_path: Path, run: str) -> Path:
    path = tmp_path / f"e_{run}.csv"
    table = pd.DataFrame({run: RUNS["run"], "task": "piqa", "metric": "acc", "value": PIQA})
    table.to_csv(path, index=False)
    return path


def _store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert _cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    return store


@pytest.mark.parametrize("kind", [[], ["--kind", "evals"]])
def test_a_long_table_named_by_name_is_ingested_as_evaluations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: list[str]
) -> None:
    store, path = _store(capsys, tmp_path), _long(tmp_path, "name")
    assert detect_kind(path) == "evals"
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store), *kind)
    assert code == 0, err
    assert f"read 4 scores of 4 models on 1 task from {path} (evals)" in " ".join(out.split())
    np.testing.assert_allclose(sorted(RunStore(store).evals()["value"]), PIQA)


def test_map_run_names_a_long_tables_run_column_in_ingest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store, path = _store(capsys, tmp_path), _long(tmp_path, "model")
    assert detect_kind(path) == "table"  # model is no run table's run column
    assert detect_kind(path, run="model") == "evals"
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 2 and "no loss column" in err  # as before: read as runs
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store), "--map", "run=model")
    assert code == 0, err
    assert "read 4 scores of 4 models" in " ".join(out.split())
    np.testing.assert_allclose(sorted(RunStore(store).evals()["value"]), PIQA)
    with pytest.raises(ConfigError, match=r"--map loss=value: .* nothing reads loss"):
        ingest_evals(path, store=store, mapping={"run": "model", "loss": "value"})


@pytest.mark.parametrize(("run", "mapping"), [("name", None), ("model", {"run": "model"})])
def test_downstream_reads_a_long_table_by_its_run_column(
    tmp_path: Path, run: str, mapping: dict[str, str] | None
) -> None:
    path = _long(tmp_path, run)
    evals = read_evals(path, runs=RUNS, columns=mapping)
    assert evals.tasks == ("piqa",)
    np.testing.assert_allclose(evals.accuracy("piqa"), PIQA)
    np.testing.assert_allclose(evals.runs["loss"], RUNS["loss"])


def test_downstream_fit_of_a_long_table_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, runs = _long(tmp_path, "name"), tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    code, _, err = _cli(capsys, "downstream", "fit", str(path), "--runs", str(runs))
    assert code == 2 and "4 models are too few for the chain" in err  # read, not refused
    code, _, err = _cli(capsys, "fit", str(path))
    assert code == 2
    assert "hint: it holds evaluations (name, task, metric, value), not runs" in err


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_map_run_naming_no_column_is_refused_for_an_evaluation_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, layout: str
) -> None:
    """As for a run table: the table's own run column was read instead, and stored."""
    store, path = _store(capsys, tmp_path), _long(tmp_path, "run")
    if layout == "wide":
        pd.DataFrame({"run": RUNS["run"], "acc_piqa": PIQA}).to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store), "--map",
                          "run=nosuch")  # fmt: skip
    assert (code, out) == (2, "")
    assert f"error: {path}, column 'nosuch': no column 'nosuch' to read run ids from" in err
    assert "hint: name the table's run column: --map run=COLUMN" in err
    assert RunStore(store).evals().empty


def test_long_scores_without_a_run_column_name_the_map_that_reads_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Task, metric and value are there: the run column is what is missing, and the column
    of text beside them is the likeliest (where ``--kind evals`` was said to be wrong)."""
    store, path = _store(capsys, tmp_path), _long(tmp_path, "model")
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store), "--kind", "evals")
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: long evaluations (task, metric, value) without a run column (looked "
        "for run, name, run_name, exp_name, run_id, id); the columns are 'model', 'task', "
        "'metric', 'value' hint: name the column of run names: --map run=model "
        "(mapping={'run': 'model'} in Python)"
    )
    # fit with the run column mapped: the same hint as a table with a run column gets
    code, _, err = _cli(capsys, "fit", str(path), "--map", "run=model")
    assert code == 2
    assert (
        "hint: it holds evaluations (model, task, metric, value), not runs: scalinglab "
        f"downstream fit {path} --runs RUNS --map run=model reads them"
    ) in err
