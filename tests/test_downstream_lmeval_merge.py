"""Several lm-evaluation-harness files of one model, merged by one rule for ``downstream`` and
``ingest``: scores per (model, task, metric), the newest file's where two give one, by the
harness's own date; and a model the harness named by a checkpoint path. The files are written
by the harness's own writer (``tests/data/lm_eval/make_fixtures.py``)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_store_evals import RUNS, run

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.downstream import Evals, read_evals, read_store_evals
from scalinglab.downstream._lmeval import harness_date, lm_eval_scores, read_lm_eval
from scalinglab.store import RunStore

DATA = Path(__file__).resolve().parent / "data"
BASE, SPLIT, RERUN, CKPT = (DATA / n for n in ("lm_eval", "lm_eval_split", "lm_eval_rerun",
                                                "lm_eval_ckpt"))  # fmt: skip
TASKS = {"hellaswag", "piqa", "arc_easy"}
#: The run table's own reader note (RUNS has no flops column), which read_evals carries too
DERIVED = "flops derived as 6·N·D (column absent)"
#: The harness writes acc and acc_norm of each task: which one was read, said (in task order)
ALSO = "metric acc read for {}; acc_norm is there too (--metric acc_norm reads them)"


def by_run(evals: Evals) -> dict[str, dict[str, float]]:
    """Each model's accuracies, by task."""
    return {
        r: {t: float(evals.accuracy(t)[i]) for t in evals.tasks}
        for i, r in enumerate(evals.runs.runs)
    }


def test_a_models_tasks_from_several_files_are_all_read() -> None:
    # hellaswag and arc_easy in each model's first file, piqa in its later one
    files = sorted(SPLIT.rglob("results*.json"))
    assert len(files) == 6
    evals = read_evals(SPLIT, runs=RUNS)
    also = ALSO.format(", ".join(evals.tasks))  # no score given twice
    assert set(evals.tasks) == TASKS and evals.notes == (DERIVED, also)
    assert by_run(evals) == by_run(read_evals(BASE, runs=RUNS))  # the same scores, one file


def test_the_newest_file_wins_by_the_harness_date_not_the_path() -> None:
    # a_rerun/ sorts first by path, but the harness dated its files later: its hellaswag wins
    first = read_lm_eval(RERUN / "b_first").set_index("run")
    merged = read_lm_eval(RERUN).set_index("run")
    np.testing.assert_allclose(merged["acc_hellaswag"], first["acc_hellaswag"] + 0.02)
    np.testing.assert_allclose(merged["acc_piqa"], first["acc_piqa"])  # only in b_first
    scores = lm_eval_scores(RERUN)
    (note,) = scores.notes
    rerun = next((RERUN / "a_rerun" / "org__tiny-10m").glob("results*.json"))
    older = next((RERUN / "b_first" / "org__tiny-10m").glob("results*.json"))
    # hellaswag's acc, acc_stderr, acc_norm and acc_norm_stderr, of each of the 3 models
    assert note == (
        "12 scores of 3 models given by several results files: the newest file's kept, "
        "by the harness's date (the file name's, else its 'date'); e.g. 'org/tiny-10m': "
        f"{rerun.relative_to(RERUN)} over {older.relative_to(RERUN)}"
    )
    evals = read_evals(RERUN, runs=RUNS)
    assert evals.notes == (note, DERIVED, ALSO.format("hellaswag, piqa, arc_easy"))


def test_the_harness_date_is_the_file_names_else_its_date(tmp_path: Path) -> None:
    file = next((SPLIT / "org__tiny-10m").glob("results*.json"))
    data = json.loads(file.read_text())
    stamp = file.stem.removeprefix("results_")
    assert harness_date(file, data) == datetime.strptime(stamp, "%Y-%m-%dT%H-%M-%S.%f")
    plain = tmp_path / "results.json"  # the name an older harness wrote: no date in it
    assert harness_date(plain, data) == datetime.fromtimestamp(data["date"])
    assert harness_date(plain, {"date": 0}) is None and harness_date(plain, {}) is None


def test_undated_files_of_one_score_keep_the_later_path_and_say_so(tmp_path: Path) -> None:
    source = next((BASE / "org__tiny-40m").glob("results*.json"))
    data = json.loads(source.read_text())
    for folder, shift in (("a", 0.0), ("b", 0.05)):
        (tmp_path / folder).mkdir()
        data.pop("date", None)
        data["results"]["piqa"]["acc,none"] = 0.612 + shift
        (tmp_path / folder / "results.json").write_text(json.dumps(data))
    scores = lm_eval_scores(tmp_path)
    piqa = scores.frame.query("task == 'piqa' and metric == 'acc'")["value"]
    assert piqa.tolist() == [pytest.approx(0.662)]
    (note,) = scores.notes
    assert "by the harness's date; 12 of them undated or dated alike, the later path's kept" in note
    assert "b/results.json over a/results.json" in note


@pytest.mark.heavy  # 2.0 s in the suite on a 2-core AMD EPYC
def test_ingest_merges_as_downstream_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert main(["ingest", str(table), "--store", str(path)]) == 0
    capsys.readouterr()
    for source in (SPLIT, RERUN):
        code, out, err = run(capsys, "ingest", str(source), "--store", str(path), "--json")
        assert code == 0, err
    summary = json.loads(out)
    assert summary["notes"] == [  # and the scores the re-run replaced, by where they came from
        *lm_eval_scores(RERUN).notes,
        "3 updated scores replaced scores stored before: 3 from an earlier ingest of "
        "evaluations (the store keeps no source per score); of 3 runs: 'org/tiny-10m', "
        "'org/tiny-160m', 'org/tiny-40m' (hellaswag acc)",
    ]
    assert summary["evals"]["runs"] == sorted(RUNS["run"])  # run names, not store ids
    assert summary["evals"]["updated"] == 3  # hellaswag's acc, re-run: 0.02 higher
    stored = by_run(read_store_evals(path))
    assert stored == by_run(read_evals(RERUN, runs=RUNS))  # the folder and the store agree
    # the text summary: the note, and a second ingest said to be a no-op
    code, out, err = run(capsys, "ingest", str(RERUN), "--store", str(path))
    assert code == 0, err
    text = " ".join(out.split())
    assert f"from {RERUN} (lm-eval) into {path}, joined to 3 stored runs: " in text
    assert "36 scores and 9 task sizes (n-samples)" in text and "45 unchanged (nothing new)" in text
    assert "note: 12 scores of 3 models given by several results files" in text


def test_a_checkpoint_path_is_joined_to_the_run_it_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evals = read_evals(CKPT, runs=RUNS)
    assert evals.runs.runs == ("org/tiny-40m",)
    assert evals.notes == (
        "models joined to the run their path names: '/ckpts/org/tiny-40m/step-5000' as "
        "'org/tiny-40m'",
        DERIVED,
        ALSO.format("hellaswag, piqa, arc_easy"),
    )
    assert by_run(evals)["org/tiny-40m"] == by_run(read_evals(BASE, runs=RUNS))["org/tiny-40m"]
    # two runs a part of the path: no guess
    both = pd.concat([RUNS, RUNS.iloc[[1]].assign(run="tiny-40m")])
    with pytest.raises(DataError, match=r"1 evaluated model.* not in the run table: /ckpts/org"):
        read_evals(CKPT, runs=both)
    # ingest joins it the same way, and says so
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert main(["ingest", str(table), "--store", str(path)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "ingest", str(CKPT), "--store", str(path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["evals"]["runs"] == ["org/tiny-40m"]
    assert summary["notes"] == [
        "models joined to the run their path names: '/ckpts/org/tiny-40m/step-5000' as "
        "'org/tiny-40m'"
    ]
    ids = RunStore(path).runs_frame().set_index("name")["run_id"]
    assert set(RunStore(path).evals()["run_id"]) == {ids["org/tiny-40m"]}


def checkpoint(folder: Path, model: str, *, gain: float) -> None:
    """CKPT's results file as the harness writes it for ``model`` (another checkpoint's
    path, or a run's name) into ``folder``, each acc ``gain`` higher."""
    file = next(CKPT.rglob("results*.json"))
    data = json.loads(file.read_text())
    data["model_name"], data["config"]["model_args"] = model, f"pretrained={model}"
    for scores in data["results"].values():
        scores.update({k: v + gain for k, v in scores.items() if k.startswith("acc,")})
    out = folder / model.strip("/").replace("/", "__")
    out.mkdir(parents=True)
    (out / file.name).write_text(json.dumps(data))


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_two_checkpoints_of_one_run_keep_the_later_step_and_name_both(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # step-5000 (dated later by the harness) and step-10000: the run's loss is step 10000's
    folder, early, late = (
        tmp_path / "ck",
        "/ckpts/org/tiny-40m/step-5000",
        "/ckpts/org/tiny-40m/step-10000",
    )
    checkpoint(folder / "a", late, gain=0.05)
    checkpoint(folder / "b", early, gain=0.0)
    evals = read_evals(folder, runs=RUNS)
    assert evals.runs.runs == ("org/tiny-40m",)  # not "run id appears twice, at rows 1 and 2"
    assert evals.notes == (
        f"models joined to the run their path names: {late!r} as 'org/tiny-40m'",
        "1 earlier checkpoint left out, each run's latest kept (the higher step in its "
        f"path, or the model named as the run itself): {early!r} for {late!r} of run "
        "'org/tiny-40m'",
        DERIVED,
        ALSO.format("hellaswag, piqa, arc_easy"),
    )
    base = by_run(read_evals(CKPT, runs=RUNS))["org/tiny-40m"]
    assert by_run(evals)["org/tiny-40m"]["piqa"] == pytest.approx(base["piqa"] + 0.05)
    # ingest keeps the same one (not "acc is given twice in one write")
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert run(capsys, "ingest", str(table), "--store", str(path))[0] == 0
    code, out, err = run(capsys, "ingest", str(folder), "--store", str(path), "--json")
    assert code == 0, err
    # the ingest's notes are the evaluations' own (the run table's reader notes are read_evals')
    assert json.loads(out)["notes"] == [
        n for n in evals.notes if n not in (DERIVED, evals.notes[-1])
    ]
    assert by_run(read_store_evals(path)) == by_run(evals)
    # the model named as the run itself is the run's, over any checkpoint of it
    checkpoint(folder / "c", "org/tiny-40m", gain=0.1)
    evals = read_evals(folder, runs=RUNS)
    assert by_run(evals)["org/tiny-40m"]["piqa"] == pytest.approx(base["piqa"] + 0.1)
    assert "2 earlier checkpoints left out" in evals.notes[0]
    # paths that do not tell which step is later: refused, naming both
    other = tmp_path / "other"
    checkpoint(other / "a", early, gain=0.0)
    checkpoint(other / "b", "/ckpts/org/tiny-40m/final", gain=0.0)
    for read in (lambda: read_evals(other, runs=RUNS), lambda: _ingest(other, path)):
        with pytest.raises(DataError) as info:
            read()
        assert str(info.value) == (
            f"{other}: 2 evaluated models are checkpoints of run 'org/tiny-40m': "
            f"'/ckpts/org/tiny-40m/final' and {early!r}, and their paths do not tell which "
            "step is later (keep the results of one checkpoint per run (the final one: the "
            "run's loss and tokens are its), or give the other a run of its own)"
        )


def _ingest(folder: Path, store: Path) -> None:
    from scalinglab.ingest._evals import ingest_evals

    ingest_evals(folder, store=store)


def test_a_file_copied_in_twice_keeps_the_later_path(tmp_path: Path) -> None:
    # the same file in two folders: dated alike, so the later path's is kept, and said
    for folder in ("x", "y"):
        shutil.copytree(BASE / "org__tiny-10m", tmp_path / folder)
    scores = lm_eval_scores(tmp_path)
    assert len(scores.frame) == len(lm_eval_scores(BASE / "org__tiny-10m").frame) == 12
    (note,) = scores.notes
    assert (
        "12 of them undated or dated alike, the later path's kept; e.g. 'org/tiny-10m': y/" in note
    )
