"""An ingest of evaluations (an evaluation table, lm-evaluation-harness results) given
``--final``, ``--history`` or ``--on-conflict`` says, in one note, that those options concern
runs and were not applied, naming each one given (and that a changed score replaces the
stored one whatever ``--on-conflict`` says); they were dropped unsaid, from the command line
and from Python's ``scalinglab.ingest`` alike. No option given: no note."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab.ingest import EvalsIngestResult

_RUNS = pd.DataFrame(
    {
        "run": ["a", "b", "c"],
        "params": [1e7, 2e7, 4e7],
        "tokens": [2e8, 4e8, 8e8],
        "loss": [4.0, 3.7, 3.4],
    }
)


def _store_and_scores(tmp_path: Path) -> tuple[Path, Path]:
    store, runs, scores = tmp_path / "s.duckdb", tmp_path / "runs.csv", tmp_path / "evals.csv"
    _RUNS.to_csv(runs, index=False)
    scalinglab.ingest(runs, store=store)
    pd.DataFrame({"run": ["a", "b", "c"], "acc_piqa": [0.55, 0.6, 0.65]}).to_csv(
        scores, index=False
    )
    return store, scores


def test_the_command_names_the_options_it_did_not_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, scores = _store_and_scores(tmp_path)
    history = tmp_path / "curves.csv"
    history.write_text("run,step,loss\na,1,4.0\n", encoding="utf-8")
    code, out, err = cli(
        capsys, "ingest", str(scores), "--store", str(store), "--final", "min",
        "--history", str(history), "--on-conflict", "keep",
    )  # fmt: skip
    assert code == 0, err
    said = " ".join(out.split())
    assert (
        f"note: --final min, --history {history} and --on-conflict keep (final=, history=, "
        "on_conflict= in Python) not applied: they concern runs, and an evaluation table "
        "holds scores of stored runs; a changed score replaces the stored one"
    ) in said
    assert said.count("not applied") == 1


def test_json_holds_the_note_and_a_plain_ingest_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, scores = _store_and_scores(tmp_path)
    code, out, err = cli(capsys, "ingest", str(scores), "--store", str(store), "--json")
    assert code == 0, err
    assert not [n for n in json.loads(out)["notes"] if "not applied" in n]
    args = ["ingest", str(scores), "--store", str(store), "--final", "last", "--json"]
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    (note,) = [n for n in json.loads(out)["notes"] if "not applied" in n]
    assert note == (
        "--final last (final= in Python) not applied: it concerns runs, and an evaluation "
        "table holds scores of stored runs"
    )


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_python_ingest_says_it_of_harness_results(tmp_path: Path) -> None:
    store, _ = _store_and_scores(tmp_path)
    results = tmp_path / "lm-eval"
    results.mkdir()
    for i, run in enumerate(_RUNS["run"]):
        body = {"results": {"piqa": {"acc,none": 0.55 + 0.05 * i}}, "model_name": run}
        (results / f"results_{run}.json").write_text(json.dumps(body), encoding="utf-8")
    result = scalinglab.ingest(results, store=store, on_conflict="keep")
    assert isinstance(result, EvalsIngestResult)
    assert result.notes[0] == (
        "--on-conflict keep (on_conflict= in Python) not applied: it concerns runs, and "
        "lm-evaluation-harness results hold scores of stored runs; a changed score replaces "
        "the stored one"
    )
    plain = scalinglab.ingest(results, store=store)
    assert isinstance(plain, EvalsIngestResult)
    assert not [n for n in plain.notes if "not applied" in n]
