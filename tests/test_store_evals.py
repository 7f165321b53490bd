"""Evaluations in the run store: the schema-3 ``evals`` table keyed by (run_id, task,
metric), the migration of an older store on its next write (never on a read),
``scalinglab ingest`` of lm-evaluation-harness results joined to stored runs, and
``downstream fit --store`` reading them back to the same chain as the table they came from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import StoreError
from scalinglab.cli import main
from scalinglab.downstream import read_store_evals
from scalinglab.downstream._lmeval import read_lm_eval
from scalinglab.store import SCHEMA_VERSION, RunStore, StoredRun

FIXTURES = Path(__file__).resolve().parent / "data" / "lm_eval"  # the harness's own writer
RUNS = pd.DataFrame(
    {
        "run": ["org/tiny-10m", "org/tiny-40m", "org/tiny-160m"],
        "params": [1e7, 4e7, 1.6e8],
        "tokens": [2e8, 8e8, 3.2e9],
        "loss": [4.1, 3.6, 3.2],
    }
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def two_runs(path: Path) -> RunStore:
    store = RunStore(path)
    store.put_runs(
        [
            (StoredRun(run_id="a", name="small", params=1e6, tokens=2e7, loss=3.0), None),
            (StoredRun(run_id="b", name="big", params=2e6, tokens=4e7, loss=2.9), None),
        ]
    )
    return store


def test_scores_are_keyed_and_joined_to_runs(tmp_path: Path) -> None:
    store = two_runs(tmp_path / "s.duckdb")
    rows = pd.DataFrame(
        {"run": ["small", "b", "big"], "task": ["piqa", "piqa", "arc"],
         "metric": ["acc", "acc", "acc"], "value": [0.6, 0.65, 0.3]}
    )  # fmt: skip
    written = store.put_evals(rows)
    assert (written.added, written.updated, written.unchanged) == (3, 0, 0)
    assert written.runs == ("big", "small")  # joined by name ("small", "big") or id ("b")
    again = store.put_evals(rows.assign(value=[0.6, 0.66, 0.3]))
    assert (again.added, again.updated, again.unchanged) == (0, 1, 2)
    got = store.evals()
    assert list(got.columns) == ["run_id", "task", "metric", "value"]
    assert got.values.tolist() == [["a", "piqa", "acc", 0.6], ["b", "arc", "acc", 0.3],
                                   ["b", "piqa", "acc", 0.66]]  # fmt: skip
    # the key is the store's: a second row of the same (run_id, task, metric) is refused
    con = duckdb.connect(str(store.path))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO evals VALUES ('a', 'piqa', 'acc', 0.1)")
    con.close()
    assert store.delete_run("a") and set(store.evals()["run_id"]) == {"b"}


def test_a_score_without_its_run_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = two_runs(tmp_path / "s.duckdb")
    before = digest(store.path)
    rows = pd.DataFrame({"run": ["small", "ghost"], "task": ["piqa"] * 2,
                         "metric": ["acc"] * 2, "value": [0.6, 0.7]})  # fmt: skip
    with pytest.raises(StoreError, match=r"'ghost'.*stored runs: big, small"):
        store.put_evals(rows)
    assert digest(store.path) == before
    with pytest.raises(Exception, match="given twice"):
        store.put_evals(pd.concat([rows.iloc[:1]] * 2))


def test_an_older_store_is_read_as_it_is_and_migrated_on_its_next_write(tmp_path: Path) -> None:
    store = two_runs(tmp_path / "v2.duckdb")
    con = duckdb.connect(str(store.path))  # make it what version 2 wrote: no evals table
    con.execute("DROP TABLE evals")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    before = digest(store.path)
    assert store.evals().empty and len(store.runs()) == 2  # read-only: opened, not changed
    assert digest(store.path) == before
    store.put_evals(pd.DataFrame({"run": ["big"], "task": ["piqa"], "metric": ["acc"],
                                  "value": [0.7]}))  # fmt: skip
    con = duckdb.connect(str(store.path), read_only=True)
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    con.close()
    assert SCHEMA_VERSION == 3 and version == ("3",)
    assert store.evals()["value"].tolist() == [0.7] and len(store.runs()) == 2


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_ingest_lm_eval_results_next_to_their_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert main(["ingest", str(table), "--store", str(path)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "ingest", str(FIXTURES), "--store", str(path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["kind"] == "lm-eval" and summary["n_models"] == 3
    # one schema with an ingest of runs: the same keys, runs by name, scores under evals
    assert main(["ingest", str(table), "--store", str(path), "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert runs["unchanged"] == RUNS["run"].tolist() and summary["added"] == []
    shared = set(runs) - {"skipped", "mapping", "final"}
    assert shared <= set(summary) and set(summary["evals"]) == set(runs["evals"])
    assert summary["tasks"] == ["arc_easy", "hellaswag", "piqa"]
    # each model's task sizes (n-samples) are stored beside its scores
    assert summary["evals"]["added"] == summary["n_scores"] + summary["n_task_sizes"]
    assert summary["n_scores"] == 36 and summary["n_task_sizes"] == 9
    # the stored acc equals what the harness file says, read by the independent wide reader
    wide = read_lm_eval(FIXTURES).set_index("run")
    stored = RunStore(path).evals()
    ids = RunStore(path).runs_frame().set_index("name")["run_id"]
    for model in RUNS["run"]:
        mine = stored[(stored["run_id"] == ids[model]) & (stored["metric"] == "acc")]
        got = dict(zip(mine["task"], mine["value"], strict=True))
        assert got == {t[4:]: wide.loc[model, t] for t in wide.columns if t.startswith("acc_")}
    assert "acc_norm" in set(stored["metric"])
    before = digest(path)
    code, out, err = run(capsys, "ingest", str(FIXTURES), "--store", str(path))
    assert code == 0, err
    assert "unchanged" in out and "lm-eval" in out
    assert RunStore(path).evals().equals(stored)
    # scores of a model the store does not hold: one line, exit 2, the store as it was
    other = tmp_path / "other.duckdb"
    RUNS.iloc[:2].to_csv(table, index=False)
    assert main(["ingest", str(table), "--store", str(other)]) == 0
    capsys.readouterr()
    before = digest(other)
    code, _, err = run(capsys, "ingest", str(FIXTURES), "--store", str(other))
    assert code == 2 and "'org/tiny-160m'" in err and "the store has runs, but not these" in err
    assert digest(other) == before


@pytest.mark.heavy
def test_downstream_fit_from_the_store_is_the_fit_from_the_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    csv, path = tmp_path / "evals.csv", tmp_path / "s.duckdb"
    frame.to_csv(csv, index=False)
    frame[["run", "params", "tokens", "loss"]].to_csv(tmp_path / "runs.csv", index=False)
    assert main(["ingest", str(tmp_path / "runs.csv"), "--store", str(path)]) == 0
    tasks = [c for c in frame.columns if c.startswith("acc_")]
    long = frame.melt(id_vars="run", value_vars=tasks, var_name="task")
    RunStore(path).put_evals(long.assign(task=long["task"].str[4:], metric="acc"))
    capsys.readouterr()
    outs = []
    for source in (["--store", str(path)], [str(csv)]):
        out_path = tmp_path / f"ds{len(outs)}.json"
        code, _, err = run(capsys, "downstream", "fit", *source, "--task", "task",
                           "--bootstrap", "30", "--out", str(out_path))  # fmt: skip
        assert code == 0, err
        outs.append(json.loads(out_path.read_text()))
    fitted = [o["tasks"]["task"]["step"]["coefs"] for o in outs]
    assert fitted[0] == pytest.approx(fitted[1], rel=1e-6)
    evals = read_store_evals(path)
    assert evals.source == str(path) and len(evals.runs) == len(frame)
    code, _, err = run(capsys, "downstream", "fit", str(csv), "--store", str(path))
    assert code == 2 and "give EVALS or --store" in err
    code, _, err = run(capsys, "downstream", "fit", "--store", str(path), "--metric", "acc_norm")
    assert code == 2 and "no 'acc_norm' scores" in err and "stored metrics: acc" in err


def test_one_results_file_and_the_kind_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert main(["ingest", str(table), "--store", str(path)]) == 0
    one = next((FIXTURES / "org__tiny-40m").glob("results*.json"))
    capsys.readouterr()
    code, out, err = run(capsys, "ingest", str(one), "--store", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["n_models"] == 1
    code, out, err = run(capsys, "ingest", str(FIXTURES), "--kind", "lm-eval", "--store",
                         str(path), "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["n_models"] == 3
    # a JSON that is not a results file, named lm-eval: one line, exit 2
    bad = tmp_path / "results_x.json"
    bad.write_text('{"runs": []}')
    code, _, err = run(capsys, "ingest", str(bad), "--kind", "lm-eval", "--store", str(path))
    assert code == 2 and "not an lm-evaluation-harness results file" in err


@pytest.mark.heavy
def test_the_harness_task_sizes_are_stored_and_read_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # results files of a --limit 100 run: the noise is that of 100 examples, not of 10,042
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    folder, path, runs = tmp_path / "results", tmp_path / "s.duckdb", tmp_path / "runs.csv"
    for model in frame.itertuples():
        (folder / model.run).mkdir(parents=True)
        (folder / model.run / "results_2026-12-02T04-41-41.json").write_text(
            json.dumps({
                "model_name": model.run,
                "results": {"hellaswag": {"acc,none": model.acc_task}},
                "n-samples": {"hellaswag": {"original": 10042, "effective": 100}},
            })
        )  # fmt: skip
    frame[["run", "params", "tokens", "loss"]].to_csv(runs, index=False)
    assert main(["ingest", str(runs), "--store", str(path)]) == 0
    code, out, err = run(capsys, "ingest", str(folder), "--store", str(path))
    assert code == 0, err
    assert f"read {len(frame)} scores and {len(frame)} task sizes (n-samples)" in out
    saved = []
    for source in (["--store", str(path)], [str(folder), "--runs", str(runs)]):
        out_path = tmp_path / f"ds{len(saved)}.json"
        code, _, err = run(capsys, "downstream", "fit", *source, "--bootstrap", "20",
                           "--out", str(out_path))  # fmt: skip
        assert code == 0, err
        task = json.loads(out_path.read_text())["tasks"]["hellaswag"]
        saved.append((task["examples"], task["eval_noise"]))
    assert saved[0] == saved[1] and saved[0][0] == 100
    # a size is no score: not among the stored metrics a reader offers
    code, _, err = run(capsys, "downstream", "fit", "--store", str(path), "--metric", "examples")
    assert code == 2 and "no 'examples' scores" in err and "stored metrics: acc)" in err
