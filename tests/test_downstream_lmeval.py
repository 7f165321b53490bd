"""lm-evaluation-harness results files, written by the harness's own writer (see
``tests/data/lm_eval/make_fixtures.py``), read into evaluations joined to a run table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._lmeval import read_lm_eval

FIXTURES = Path(__file__).resolve().parent / "data" / "lm_eval"
RUNS = pd.DataFrame(
    {
        "run": ["org/tiny-10m", "org/tiny-40m", "org/tiny-160m"],
        "params": [1e7, 4e7, 1.6e8],
        "tokens": [2e8, 8e8, 3.2e9],
        "loss": [4.1, 3.6, 3.2],
    }
)


def test_reads_every_model_and_task() -> None:
    frame = read_lm_eval(FIXTURES).set_index("run")
    assert set(frame.index) == set(RUNS["run"])
    assert frame.loc["org/tiny-160m", "acc_hellaswag"] == 0.318  # "acc,none"
    norm = read_lm_eval(FIXTURES, metric="acc_norm").set_index("run")
    assert norm.loc["org/tiny-160m", "acc_hellaswag"] == 0.356  # "acc_norm,none"


def test_joined_to_the_runs_they_evaluate() -> None:
    evals = read_evals(FIXTURES, runs=RUNS)
    assert set(evals.tasks) == {"hellaswag", "piqa", "arc_easy"}
    order = [evals.runs.runs.index(r) for r in RUNS["run"]]
    np.testing.assert_allclose(evals.runs["params"][order], RUNS["params"])
    np.testing.assert_allclose(evals.accuracy("piqa")[order], [0.585, 0.612, 0.648])
    assert evals.chance["piqa"] == 0.5  # known for common tasks
    # three models cannot carry a chain of 5 + 3 parameters
    with pytest.raises(DataError, match="3 models are too few for the chain"):
        fit_downstream(evals, bootstrap=0)


def test_results_without_runs_say_what_is_missing() -> None:
    with pytest.raises(DataError, match="hold no parameter or token counts"):
        read_evals(FIXTURES)
    with pytest.raises(DataError, match="not in the run table: org/tiny-160m"):
        read_evals(FIXTURES, runs=RUNS.iloc[:2])


def test_a_json_that_is_not_a_results_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "results_x.json"
    bad.write_text('{"samples": []}')
    with pytest.raises(DataError, match="not an lm-evaluation-harness results file"):
        read_lm_eval(bad)
    (tmp_path / "results_y.json").write_text("{not json")
    with pytest.raises(DataError, match="results file is not valid JSON"):
        read_lm_eval(tmp_path / "results_y.json")
    runs = tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    code = main(["downstream", "fit", str(tmp_path), "--runs", str(runs)])
    err = capsys.readouterr().err
    assert code == 2 and "not an lm-evaluation-harness results file" in err


def test_task_sizes_come_from_the_harness() -> None:
    # the fixtures' writer records n-samples (1000 per task): they come before the built-in
    # table (hellaswag's validation split has 10,042)
    files = sorted(FIXTURES.rglob("results*.json"))
    counts = {
        task: n["effective"]
        for file in files
        for task, n in json.loads(file.read_text())["n-samples"].items()
    }
    evals = read_evals(FIXTURES, runs=RUNS)
    assert evals.examples == {t: float(counts[t]) for t in evals.tasks}
