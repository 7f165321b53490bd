"""One rule for a harness metric under several filters, in a folder of results and in the
store alike: gsm8k's ``exact_match,strict-match`` and ``exact_match,flexible-extract``.
``--metric exact_match`` reads a task's only filter (said), never picks one of several
(refused, or the task left out, naming them); ``--metric exact_match,flexible-extract``
reads that one; a task asked for without the metric names its metrics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_store_evals import FIXTURES, RUNS

from scalinglab import ConfigError, DataError
from scalinglab.downstream import read_evals, read_store_evals

#: Each model's gsm8k scores by filter, and triviaqa's under its one filter.
STRICT = {"org/tiny-10m": 0.01, "org/tiny-40m": 0.02, "org/tiny-160m": 0.04}
FLEXIBLE = {"org/tiny-10m": 0.03, "org/tiny-40m": 0.05, "org/tiny-160m": 0.09}
TRIVIA = {"org/tiny-10m": 0.1, "org/tiny-40m": 0.2, "org/tiny-160m": 0.3}


def filtered(folder: Path, *, trivia: bool = False) -> Path:
    """The harness fixtures rewritten into ``folder`` with gsm8k under two filters (and,
    with ``trivia``, triviaqa's exact_match under one)."""
    for file in FIXTURES.rglob("results*.json"):
        data = json.loads(file.read_text())
        model = data["model_name"]
        data["results"]["gsm8k"] = {
            "alias": "gsm8k",
            "exact_match,strict-match": STRICT[model],
            "exact_match_stderr,strict-match": 0.001,
            "exact_match,flexible-extract": FLEXIBLE[model],
            "exact_match_stderr,flexible-extract": 0.002,
        }
        if trivia:
            data["results"]["triviaqa"] = {"exact_match,remove_whitespace": TRIVIA[model]}
        (folder / file.parent.name).mkdir(parents=True)
        (folder / file.parent.name / file.name).write_text(json.dumps(data))
    return folder


def stored(capsys: pytest.CaptureFixture[str], tmp_path: Path, folder: Path) -> Path:
    path, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert run(capsys, "ingest", str(runs), "--store", str(path))[0] == 0
    assert run(capsys, "ingest", str(folder), "--store", str(path))[0] == 0
    return path


def test_a_filtered_name_reads_that_filter_from_a_folder_and_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = filtered(tmp_path / "lm")
    store = stored(capsys, tmp_path, folder)
    want = [FLEXIBLE[r] for r in RUNS["run"]]
    for evals in (
        read_evals(folder, runs=RUNS, metric="exact_match,flexible-extract"),
        read_store_evals(store, metric="exact_match,flexible-extract"),
    ):
        assert evals.tasks == ("gsm8k",)
        got = dict(zip(evals.runs.runs, evals.accuracy("gsm8k"), strict=True))
        np.testing.assert_allclose([got[r] for r in RUNS["run"]], want)
        assert "gsm8k" not in evals.left_out  # read, so not said to be left out
        assert set(evals.left_out) == {"hellaswag", "piqa", "arc_easy"}


def test_a_metric_under_several_filters_is_never_picked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = filtered(tmp_path / "lm")
    store = stored(capsys, tmp_path, folder)
    for source, read in ((folder, lambda: read_evals(folder, runs=RUNS, metric="exact_match")),
                         (store, lambda: read_store_evals(store, metric="exact_match"))):  # fmt: skip
        with pytest.raises(DataError) as info:
            read()
        names = sorted(["exact_match,strict-match", "exact_match,flexible-extract"])
        message = str(info.value)
        assert message.startswith(f"{source}: exact_match of gsm8k is under several filters (")
        assert all(name in message for name in names), message
        assert info.value.hint.startswith("choose one: --metric exact_match,")


def test_a_task_under_one_filter_is_read_with_a_note_and_one_under_several_left_out(
    tmp_path: Path,
) -> None:
    folder = filtered(tmp_path / "lm", trivia=True)
    evals = read_evals(folder, runs=RUNS, metric="exact_match")
    assert evals.tasks == ("triviaqa",)
    np.testing.assert_allclose(evals.accuracy("triviaqa"), [TRIVIA[r] for r in evals.runs.runs])
    assert (
        "exact_match of triviaqa read under its only filter (exact_match,remove_whitespace)"
        in evals.notes
    )
    why = (
        "exact_match of gsm8k is under several filters (exact_match,strict-match, "
        "exact_match,flexible-extract): --metric exact_match,strict-match reads one"
    )
    assert evals.left_out["gsm8k"] == why
    with pytest.raises(ConfigError) as info:
        read_evals(folder, runs=RUNS, metric="exact_match", tasks=["gsm8k"])
    assert str(info.value) == (
        f"task 'gsm8k' in {folder} has exact_match under several filters: "
        "exact_match,strict-match, exact_match,flexible-extract (choose one: --metric "
        "exact_match,strict-match or --metric exact_match,flexible-extract)"
    )


def test_a_task_asked_for_without_the_metric_names_its_metrics(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = filtered(tmp_path / "lm")
    with pytest.raises(ConfigError) as info:
        read_evals(folder, runs=RUNS, tasks=["gsm8k"])
    assert str(info.value) == (
        f"task 'gsm8k' in {folder} has no acc score; its metrics are exact_match,strict-match, "
        "exact_match,flexible-extract (--metric exact_match,strict-match reads it (metric=... "
        "in Python))"
    )
    store = stored(capsys, tmp_path, folder)
    code, _, err = run(capsys, "downstream", "fit", "--store", str(store), "--tasks", "gsm8k")
    assert code == 2
    assert err.startswith(f"error: task 'gsm8k' in {store} has no acc score; its metrics are ")
    # a task that is nowhere is still unknown
    with pytest.raises(ConfigError, match="unknown task 'nope'"):
        read_evals(folder, runs=RUNS, tasks=["nope"])
