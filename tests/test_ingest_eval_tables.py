"""``scalinglab ingest`` of an evaluation table: long rows (run, task, metric, value) or a
run column beside score columns alone are scores of stored runs, stored as evaluations as
``RunStore.put_evals`` stores them (not read as runs without a loss); a task's metric in
percent stored as fractions with a note; a bad score named by its row."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.downstream import read_evals, read_store_evals
from scalinglab.ingest import EvalsIngestResult, detect_kind, ingest, ingest_evals
from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)

RUNS = pd.DataFrame(
    {
        "run": ["a", "b", "c", "d"],
        "params": [1e7, 2e7, 4e7, 8e7],
        "tokens": [2e8, 4e8, 8e8, 1.6e9],
        "loss": [4.0, 3.7, 3.4, 3.2],
    }
)
PIQA = [0.55, 0.58, 0.61, 0.64]
ARC = [0.30, 0.34, 0.41, 0.47]


def long_table() -> pd.DataFrame:
    """piqa as fractions, arc_easy in percent, each with a standard error."""
    rows = []
    for run, piqa, arc in zip(RUNS["run"], PIQA, ARC, strict=True):
        rows += [(run, "piqa", "acc", piqa), (run, "piqa", "acc_stderr", 0.01),
                 (run, "arc_easy", "acc", arc * 100), (run, "arc_easy", "acc_stderr", 1.0)]  # fmt: skip
    return pd.DataFrame(rows, columns=["run", "task", "metric", "value"])


def with_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert _cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    return store


def test_an_evaluation_table_is_detected_in_every_format(tmp_path: Path) -> None:
    long = long_table()
    long.to_csv(tmp_path / "long.csv", index=False)
    long.to_json(tmp_path / "long.jsonl", orient="records", lines=True)
    long.to_parquet(tmp_path / "long.parquet")
    wide = pd.DataFrame({"run": RUNS["run"], "acc_piqa": PIQA, "acc_norm_piqa": PIQA})
    wide.to_csv(tmp_path / "wide.csv", index=False)
    RUNS.assign(acc_piqa=PIQA).to_csv(tmp_path / "runs.csv", index=False)
    for name in ("long.csv", "long.jsonl", "long.parquet", "wide.csv"):
        assert detect_kind(tmp_path / name) == "evals", name
    assert detect_kind(tmp_path / "runs.csv") == "table"  # a loss: runs, and their scores


def test_a_gzipped_evaluation_table_is_detected_and_one_read_as_runs_names_kind_evals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    path = tmp_path / "long.csv.gz"
    long_table().to_csv(path, index=False)  # gzipped by its name
    assert detect_kind(path) == "evals"
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert f"read 16 scores of 4 models on 2 tasks from {path} (evals)" in " ".join(out.split())
    # read as runs (--kind table): the hint gives the --kind that stores it, not the same run
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store), "--kind", "table")
    assert code == 2
    assert err == (
        f"error: {path}: holds evaluations of runs (run, task, metric, value), not runs: it "
        f"has no loss to store runs by hint: store them as the stored runs' scores: "
        f"scalinglab ingest {path} --store STORE --kind evals (scalinglab.ingest.ingest_evals"
        "(..., kind='evals') in Python)"
    )


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_a_long_table_is_stored_as_evaluations_of_the_stored_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    path = tmp_path / "long.csv"
    long_table().to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    said = " ".join(out.split())
    assert f"read 16 scores of 4 models on 2 tasks from {path} (evals)" in said
    assert (
        "note: task 'arc_easy' acc read as percent (4 runs, 30% to 47%): stored as fractions "
        "(divided by 100), with its standard error"
    ) in said
    scores = RunStore(store).evals().set_index(["task", "metric"]).sort_index()
    np.testing.assert_allclose(sorted(scores.loc[("arc_easy", "acc"), "value"]), ARC)
    np.testing.assert_allclose(scores.loc[("arc_easy", "acc_stderr"), "value"], 0.01)
    evals = read_store_evals(store)
    assert set(evals.tasks) == {"piqa", "arc_easy"}
    np.testing.assert_allclose(evals.accuracy("piqa"), PIQA)
    # ingesting it again changes nothing; from Python, ingest() stores it as the CLI does
    code, out, _ = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0 and "16 unchanged" in " ".join(out.split())
    again = ingest(path, store=store)
    assert isinstance(again, EvalsIngestResult)
    assert (again.kind, again.written.unchanged, again.written.added) == ("evals", 16, 0)


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_scores_written_with_percent_signs_and_a_text_metric_are_read_as_downstream_reads_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    long = long_table().astype({"value": object})
    piqa = long["task"].eq("piqa") & long["metric"].eq("acc")
    long.loc[piqa, "value"] = [f"{v * 100:g}%" for v in PIQA]  # 55%: a spreadsheet's
    alias = pd.DataFrame([["a", "piqa", "alias", "PIQA"]], columns=long.columns)
    path = tmp_path / "pct.csv"
    pd.concat([long, alias], ignore_index=True).to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    said = " ".join(out.split())
    assert f"read 16 scores of 4 models on 2 tasks from {path} (evals)" in said
    assert (
        "note: task 'piqa' acc read as percent (4 runs, 55% to 64%): read as fractions "
        "(divided by 100)"
    ) in said
    assert "note: metric 'alias' of task 'piqa' left out: text, not a score ('PIQA')" in said
    scores = RunStore(store).evals()
    assert "alias" not in set(scores["metric"])
    np.testing.assert_allclose(read_store_evals(store).accuracy("piqa"), PIQA)
    # the same rule as downstream's reader of the file: the same fractions, the same notes
    evals = read_evals(path, runs=RUNS)
    np.testing.assert_allclose(evals.accuracy("piqa"), PIQA)
    assert "metric 'alias' of task 'piqa' left out: text, not a score ('PIQA')" in evals.notes


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_wide_table_of_scores_alone_is_stored_as_evaluations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    path = tmp_path / "scores.csv"
    pd.DataFrame({"run": RUNS["run"], "acc_piqa": PIQA}).to_csv(path, index=False)
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    np.testing.assert_allclose(read_store_evals(store).accuracy("piqa"), PIQA)


def test_a_bad_score_is_named_by_its_row_and_a_run_table_is_no_evaluation_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    long = long_table().astype({"value": object})
    long.loc[4, "value"] = "abc"  # b's piqa acc: line 6 of the file
    path = tmp_path / "long.csv"
    long.to_csv(path, index=False)
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 2
    assert err == (
        f"error: {path}, row 6, column 'value': not a number: 'abc' (run 'b', task 'piqa', "
        "metric 'acc')"
    )
    runs = tmp_path / "runs.csv"
    code, _, err = _cli(capsys, "ingest", str(runs), "--store", str(store), "--kind", "evals")
    assert code == 2
    assert err.startswith(f"error: {runs}: neither long evaluations (run, task, metric, value)")
    assert "drop --kind evals" in err


def test_a_score_given_twice_is_named_by_its_file_and_rows_or_read_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    long = long_table()
    path = tmp_path / "dup.csv"
    pd.concat([long, long.iloc[[4]].assign(value=0.99)], ignore_index=True).to_csv(
        path, index=False
    )  # b's piqa acc again (line 18), another value than line 6's
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 2
    assert err == (
        f"error: {path}, row 6: run 'b' has 2 different 'piqa' scores of metric 'acc' hint: "
        "keep one row per run, task and metric (rows 6, 18)"
    )
    # the same value twice is one score, as downstream reads it
    pd.concat([long, long.iloc[[4]]], ignore_index=True).to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert "read 16 scores of 4 models" in " ".join(out.split())
    # a wide table's two columns of one task and metric: the row and both columns
    wide = tmp_path / "wide.csv"
    pd.DataFrame({"run": RUNS["run"], "acc_piqa": PIQA, "piqa/acc": ARC}).to_csv(wide, index=False)
    code, _, err = _cli(capsys, "ingest", str(wide), "--store", str(store))
    assert code == 2
    assert err == (
        f"error: {wide}, row 2: run 'a' has 2 different 'piqa' scores of metric 'acc' hint: "
        "keep one column per task and metric (row 2; columns 'acc_piqa', 'piqa/acc')"
    )


def test_python_without_a_kind_says_the_file_is_neither_kind_not_drop_kind_evals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = with_runs(capsys, tmp_path)
    runs = tmp_path / "runs.csv"
    with pytest.raises(DataError) as info:
        ingest_evals(runs, store=store)  # no kind given: none to drop
    assert str(info.value) == (
        f"{runs}: neither an lm-evaluation-harness results file nor an evaluation table (run, "
        "task, metric, value rows, or a run column beside score columns acc_<task>) (a table of "
        "runs (params, tokens, loss) is ingested as runs, its acc_<task> columns as their "
        f"scores: scalinglab.ingest.ingest({str(runs)!r}, store=...) (scalinglab ingest on the "
        "command line))"
    )
    assert "--kind" not in str(info.value)
    with pytest.raises(DataError, match=r"drop --kind evals \(scalinglab.ingest.ingest in Python"):
        ingest_evals(runs, store=store, kind="evals")


def test_fit_of_an_evaluation_table_says_where_it_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    long_table().to_csv(path, index=False)
    code, _, err = _cli(capsys, "fit", str(path))
    assert code == 2
    assert (
        f"hint: it holds evaluations (run, task, metric, value), not runs: scalinglab "
        f"downstream fit {path} --runs RUNS reads them"
    ) in err


@pytest.mark.parametrize("shape", ["long", "wide"])
def test_whole_number_percent_scores_are_stored_as_fractions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, shape: str
) -> None:
    """Scores written as whole percents (55, 58, ...) are an int64 column: they were refused
    with 'internal error: TypeError: Invalid value ... for dtype int64'."""
    store = with_runs(capsys, tmp_path)
    whole = [55, 58, 61, 64]
    if shape == "long":
        table = pd.DataFrame({"run": RUNS["run"], "task": "piqa", "metric": "acc", "value": whole})
    else:
        table = pd.DataFrame({"run": RUNS["run"], "acc_piqa": whole})
    path = tmp_path / f"{shape}.csv"
    table.to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert "read as percent (4 runs, 55% to 64%): stored as fractions (divided by 100)" in out
    np.testing.assert_allclose(read_store_evals(store).accuracy("piqa"), PIQA)
