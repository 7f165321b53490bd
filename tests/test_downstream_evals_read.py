"""Reading evaluation tables as a new user writes them: a typo in percent among fractions,
--percent on fractions, a standard error asked for as the score (every reader), a wide
table's acc_norm_<task> columns, a run table joined by W&B's 'Name' with --map, the loss
found as fit finds it, and diverged or lossless models (--drop-outliers)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_store_evals import FIXTURES, RUNS

import scalinglab as sl
from scalinglab import ConfigError, DataError
from scalinglab.downstream import fit_downstream, read_evals, read_store_evals
from scalinglab.store import RunStore

FAST = ("--bootstrap", "0", "--max-backtest-error", "inf", "--law", "chinchilla")

#: The run table's note on evaluations without a FLOPs column, carried into Evals.notes.
SIX_ND = "flops derived as 6·N·D (column absent)"


def small() -> pd.DataFrame:
    """Twelve models with three tasks' accuracies, as fractions."""
    return models(np.random.default_rng(3), SIZES, MULTS[:3])


def test_a_value_in_percent_among_fractions_is_named_by_its_row(tmp_path: Path) -> None:
    frame = small()
    frame.loc[4, "acc_task"] = 33.0  # meant 0.33: line 6 of the file
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path)
    assert str(info.value) == (
        f"{path}, row 6, column 'acc_task': 1 of 12 accuracies above 1 in a column of "
        "fractions: 33 (row 6, run 'm4') (fix that row: an accuracy is a fraction correct "
        "(33% is 0.33))"
    )
    assert "--percent" not in str(info.value)  # following that would divide every column
    # a column in percent, most values above 1: read so, by itself, with a note
    frame["acc_task"] = small()["acc_task"] * 100
    frame.to_csv(path, index=False)
    evals = read_evals(path)
    np.testing.assert_allclose(evals.accuracy("task"), small()["acc_task"])
    assert any(n.startswith("column 'acc_task' read as percent (12 runs") for n in evals.notes)


def test_percent_on_fractions_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "evals.csv"
    small().to_csv(path, index=False)
    code, _, err = run(capsys, "downstream", "fit", str(path), "--percent", *FAST)
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}, column 'acc_task': --percent, but every accuracy in acc_task is at "
        "most 1: fractions already",
        "hint: drop --percent (percent=False in Python): it would divide them by 100",
    ]


def test_percent_on_fractions_with_one_value_above_1_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    frame = small()
    frame.loc[2, "acc_task"] = 60.0  # a typo among fractions: --percent would read 0.0025 ...
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path, percent=True)
    assert str(info.value) == (
        f"{path}, row 4, column 'acc_task': --percent, but 11 of 12 accuracies in acc_task are "
        "at most 1: fractions already; above 1: 60 (row 4, run 'm2') (drop --percent "
        "(percent=False in Python): it would divide them by 100; then fix that row (60% is 0.6))"
    )


def test_a_fraction_among_percentages_is_named_by_its_row(tmp_path: Path) -> None:
    frame = small()
    frame[["acc_task", "acc_flat", "acc_hellaswag"]] *= 100
    frame.loc[4, "acc_task"] = 0.6  # meant 60: --percent would read 0.006
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path, percent=True)
    assert str(info.value) == (
        f"{path}, row 6, column 'acc_task': 1 of 12 accuracies at most 1 in a column in "
        "percent (--percent): 0.6 (row 6, run 'm4') (fix that row: with --percent an accuracy "
        "is a percentage (0.6 as a fraction is 60%); a column truly under 1% there: divide it "
        "by 100 yourself and drop --percent)"
    )
    frame.loc[4, "acc_task"] = 0.0  # 0 is 0 in either unit: read
    frame.to_csv(path, index=False)
    assert read_evals(path, percent=True).accuracy("task")[4] == 0.0


def test_a_standard_error_is_no_score_in_any_reader(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    refused = "metric 'acc_stderr' is a standard error, not a score"
    with pytest.raises(DataError, match=refused):
        read_evals(FIXTURES, runs=RUNS, metric="acc_stderr")  # lm-evaluation-harness results
    with pytest.raises(DataError, match=refused):
        read_evals(small(), metric="acc_stderr")  # a wide table
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert run(capsys, "ingest", str(table), "--store", str(path))[0] == 0
    assert run(capsys, "ingest", str(FIXTURES), "--store", str(path))[0] == 0
    assert "acc_stderr" in set(RunStore(path).evals()["metric"])  # stored, yet not a score
    with pytest.raises(DataError, match=refused):
        read_store_evals(path, metric="acc_stderr")
    code, _, err = run(capsys, "downstream", "fit", "--store", str(path), "--metric", "acc_stderr")
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}: {refused}",
        "hint: read the score it is the error of: --metric acc (metric=... in Python)",
    ]


def test_acc_norm_columns_are_a_metric_of_their_task() -> None:
    frame = small()
    frame["acc_norm_task"] = frame["acc_task"] + 0.02
    frame["acc_stderr_task"] = 0.01
    evals = read_evals(frame)
    assert evals.tasks == ("task", "flat", "hellaswag")  # no made-up norm_task, stderr_task
    np.testing.assert_allclose(evals.accuracy("task"), frame["acc_task"])
    assert evals.notes == ("metric acc read for task; acc_norm is there too (--metric acc_norm "
                           "reads acc_norm_<task>)", SIX_ND)  # the run table's note too  # fmt: skip
    norm = read_evals(frame, metric="acc_norm")
    assert norm.tasks == ("task",)
    np.testing.assert_allclose(norm.accuracy("task"), frame["acc_task"] + 0.02)
    assert norm.notes[0] == "no acc_norm for flat, hellaswag: left out (--metric acc reads them)"
    assert norm.left_out == {
        "flat": "no acc_norm for flat (--metric acc reads it)",
        "hellaswag": "no acc_norm for hellaswag (--metric acc reads it)",
    }
    assert evals.left_out == {}
    with pytest.raises(ConfigError, match=r"task 'flat' has no acc_norm column \(acc_norm_flat\)"):
        read_evals(frame, metric="acc_norm", tasks=["flat"])
    # a table of acc_norm alone is refused for acc, naming what it has: never read in its place
    only = frame.drop(columns=["acc_task", "acc_flat", "acc_hellaswag", "acc_stderr_task"])
    with pytest.raises(DataError) as info:
        read_evals(only)
    assert str(info.value) == (
        "<DataFrame>: no task columns of metric 'acc' (acc_<task>); its score columns are of "
        "acc_norm (choose one with --metric acc_norm (metric=... in Python))"
    )
    assert read_evals(only, metric="acc_norm").tasks == ("task",)
    # and a table of acc alone for acc_norm
    with pytest.raises(DataError, match=r"metric 'acc_norm' .*its score columns are of acc \("):
        read_evals(small(), metric="acc_norm")


def _piqa_without_acc_norm(folder: Path) -> Path:
    """The harness fixtures rewritten into ``folder`` with piqa's acc_norm scores removed."""
    for file in FIXTURES.rglob("results*.json"):
        data = json.loads(file.read_text())
        data["results"]["piqa"] = {k: v for k, v in data["results"]["piqa"].items()
                                   if not k.startswith("acc_norm")}  # fmt: skip
        (folder / file.parent.name).mkdir(parents=True)
        (folder / file.parent.name / file.name).write_text(json.dumps(data))
    return folder


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_task_without_the_metric_is_left_out_with_one_note_by_every_reader(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    said = "no acc_norm for piqa: left out (--metric acc reads it)"
    why = {"piqa": "no acc_norm for piqa (--metric acc reads it)"}  # Evals.left_out
    # lm-evaluation-harness results whose piqa has acc alone
    folder = _piqa_without_acc_norm(tmp_path / "lm")
    harness = read_evals(folder, runs=RUNS, metric="acc_norm")
    assert set(harness.tasks) == {"hellaswag", "arc_easy"} and said in harness.notes
    assert harness.left_out == why
    # a long table (run, task, metric, value) of the same scores
    long = read_lm_eval_long(folder).merge(RUNS, on="run")
    table = read_evals(long, metric="acc_norm")
    assert set(table.tasks) == {"hellaswag", "arc_easy"} and said in table.notes
    assert table.left_out == why
    # the run store they were ingested into
    path, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert run(capsys, "ingest", str(runs), "--store", str(path))[0] == 0
    assert run(capsys, "ingest", str(folder), "--store", str(path))[0] == 0
    stored = read_store_evals(path, metric="acc_norm")
    assert set(stored.tasks) == {"hellaswag", "arc_easy"} and said in stored.notes
    assert stored.left_out == why
    # a long table of one score: refused for another, naming the metrics it has
    acc = long[~long["metric"].str.startswith("acc_norm")]
    with pytest.raises(DataError) as info:
        read_evals(acc, metric="acc_norm")
    assert str(info.value) == (
        "<DataFrame>, column 'metric': no rows of metric 'acc_norm'; the metrics here are acc, "
        "acc_stderr (choose the one read as accuracy: --metric acc (metric=... in Python))"
    )
    # two tasks without it, each with acc: "them"
    both = long[(long["task"] != "arc_easy") | ~long["metric"].str.startswith("acc_norm")]
    assert read_evals(both, metric="acc_norm").notes == (
        SIX_ND,
        "metric acc_norm read for hellaswag; acc is there too (--metric acc reads it)",
        "no acc_norm for piqa, arc_easy: left out (--metric acc reads them)",
    )


def read_lm_eval_long(folder: Path) -> pd.DataFrame:
    """The harness results of ``folder`` as a long table: run, task, metric, value."""
    from scalinglab.downstream._lmeval import lm_eval_scores

    return lm_eval_scores(folder).frame


@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_a_wandb_run_table_joins_by_name_and_map(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = small()
    runs = pd.DataFrame(
        {
            "Name": frame["run"],
            "model_size": frame["params"],
            "train_tokens": frame["tokens"],
            "eval/c4_loss": frame["loss"],
        }
    )
    evals_path, runs_path = tmp_path / "evals.csv", tmp_path / "runs.csv"
    frame[["run", "acc_task", "acc_flat"]].to_csv(evals_path, index=False)
    runs.to_csv(runs_path, index=False)
    args = ("downstream", "fit", str(evals_path), "--runs", str(runs_path), *FAST)
    # train_tokens is a tracker's name for tokens, as ingest maps it: found without --map
    code, _, err = run(capsys, *args, "--via", "eval/c4_loss")
    assert code == 0, err
    code, out, err = run(capsys, *args, "--via", "eval/c4_loss", "--map", "tokens=train_tokens")
    assert code == 0, err
    assert f"runs of {runs_path} named by its column 'Name'" in " ".join(out.split())
    evals = read_evals(
        evals_path, runs=runs_path, loss="eval/c4_loss", columns={"tokens": "train_tokens"}
    )
    np.testing.assert_allclose(evals.runs["tokens"], frame["tokens"])
    with pytest.raises(ConfigError, match="two losses named: --via x and --map loss=eval/c4_loss"):
        read_evals(evals_path, runs=runs_path, loss="x", columns={"loss": "eval/c4_loss"})
    # no run column: the columns listed, and how to name one
    runs.rename(columns={"Name": "model id"}).to_csv(runs_path, index=False)
    code, _, err = run(capsys, *args, "--via", "eval/c4_loss", "--map", "tokens=train_tokens")
    assert code == 2
    assert err.splitlines() == [
        f"error: {runs_path}: no run column (run, name, run_name, exp_name, run_id, id) to "
        "join the evaluations and the runs on; the columns are 'model id', 'model_size', "
        "'train_tokens', 'eval/c4_loss'",
        "hint: say which column names the runs: --map run=COLUMN (columns={'run': COLUMN} in "
        "Python)",
    ]
    code, _, err = run(capsys, *args, "--via", "eval/c4_loss", "--map", "tokens=train_tokens",
                       "--map", "run=model id")  # fmt: skip
    assert code == 0, err


def test_the_loss_is_found_as_fit_finds_it(tmp_path: Path) -> None:
    frame = small().rename(columns={"loss": "val_loss"})
    evals = read_evals(frame)
    assert evals.via == "val_loss"
    np.testing.assert_allclose(evals.runs["loss"], frame["val_loss"])
    with pytest.raises(DataError, match="columns 'val_loss', 'eval_loss' could each be the loss"):
        read_evals(frame.assign(eval_loss=frame["val_loss"]))


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_a_diverged_model_is_warned_of_or_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = models(np.random.default_rng(3), SIZES, MULTS)  # 20 models
    frame.loc[3, "loss"] *= 3  # m3: a diverged run, line 5 of the file
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    kept = read_evals(path)
    assert len(kept.runs) == 20
    (warning,) = [n for n in kept.notes if "looks diverged" in n]
    assert warning.startswith("run 'm3' (row 5) looks diverged: loss ")
    assert warning.endswith(
        "kept — pass --drop-outliers (drop_outliers=True to read_evals()) to exclude"
    )
    chain = fit_downstream(kept, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert warning in chain.notes  # as fit warns of it
    dropped = read_evals(path, drop_outliers=True)
    assert "m3" not in dropped.runs.runs and dropped.runs.excluded[0][0] == "m3"
    assert dropped.notes[-1].startswith("run 'm3' (row 5) excluded: loss ")
    code, out, err = run(capsys, "downstream", "fit", str(path), "--drop-outliers", "--json",
                         *FAST)  # fmt: skip
    assert code == 0, err
    assert len(json.loads(out)["runs"]) == 19 and "run 'm3' (row 5) excluded" in err
    code, out, err = run(capsys, "downstream", "backtest", str(path), "--drop-outliers",
                         "--holdout", "largest:2", "--json", *FAST)  # fmt: skip
    assert code == 0, err
    assert "m3" not in json.loads(out)["held_out_runs"]


def test_a_task_asked_for_and_left_out_for_its_metric_says_so(tmp_path: Path) -> None:
    folder = _piqa_without_acc_norm(tmp_path / "lm")
    evals = read_evals(folder, runs=RUNS, metric="acc_norm")
    with pytest.raises(ConfigError, match=r"task 'piqa' in .* was left out: no acc_norm for piqa"):
        evals.task("piqa")
    with pytest.raises(ConfigError, match=r"unknown task 'nope'"):
        evals.task("nope")
    # read from Evals.left_out, not from the notes' wording
    quiet = dataclasses.replace(evals, notes=())
    with pytest.raises(ConfigError, match=r"was left out: no acc_norm for piqa \(--metric acc "):
        quiet.task("piqa")
    with pytest.raises(ConfigError, match=r"unknown task 'piqa'"):
        dataclasses.replace(evals, left_out={}).task("piqa")
    with pytest.raises(ConfigError, match=r"task 'piqa' in .* was left out: no acc_norm for piqa"):
        sl.fit_downstream(evals, tasks=["piqa"], bootstrap=0)


def test_stored_scores_in_percent_name_the_store_and_how_to_fix_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, table = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(table, index=False)
    assert run(capsys, "ingest", str(table), "--store", str(path))[0] == 0
    # as an ingest that stored a tracker's percentages as they were logged left them
    scores = RUNS[["run"]].assign(task="hellaswag", metric="acc", value=[28.0, 33.5, 41.0])
    RunStore(path).put_evals(scores)
    code, _, err = run(capsys, "downstream", "fit", "--store", str(path))
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}: the stored hellaswag acc scores look like percent (3 runs, 28% to 41%); "
        "the store holds fractions correct",
        f"hint: ingest their source again (scalinglab ingest SOURCE --store {path}): ingest "
        "stores a tracker's scores logged in percent as fractions",
    ]  # not '<DataFrame>', and no --percent, which --store refuses
