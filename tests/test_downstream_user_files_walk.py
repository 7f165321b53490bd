"""A researcher's own evaluation files, as a new user writes them (the downstream walk of
2026-12-06): task columns named in their own case (``MyTask``), a chance file naming them so,
a typo in ``--tasks``, a run table whose runs are named in a ``model`` column, the loss named
with ``--map loss=``, a target accuracy written ``75%``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused

import scalinglab


def _evals() -> pd.DataFrame:
    """12 models on a Chinchilla law's losses; the accuracy of a four-choice task of the
    user's own (chance 0.25), on a sigmoid of the loss, in a column named ``MyTask``."""
    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(2e7, 1e9, 6), 2)
    d = n * np.tile([20.0, 80.0], 6)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    acc = 0.25 + 0.6 / (1 + np.exp(4.0 * (loss - 3.0))) + rng.normal(0, 0.005, 12)
    return pd.DataFrame(
        {"run": [f"m{i}" for i in range(12)], "params": n, "tokens": d, "loss": loss, "MyTask": acc}
    )


def test_a_chance_level_named_as_the_column_is_read_for_its_task(tmp_path: Path) -> None:
    """The task of column ``MyTask`` goes by ``mytask``: a chance file (or ``chance=``) naming
    it ``MyTask`` gives its level, with a note, never silently no level at all."""
    path = tmp_path / "chance.csv"
    path.write_text("task,chance,examples\nMyTask,0.25,400\n")
    for chance in (path, {"MyTask": 0.25}):
        evals = scalinglab.read_evals(_evals(), tasks=["MyTask"], chance=chance)
        assert evals.tasks == ("mytask",)
        assert evals.chance == {"mytask": 0.25}
        assert any("read regardless of case: 'MyTask' for mytask" in n for n in evals.notes)
    # the chance file's number of examples, by the same name, sets the evaluation noise
    assert scalinglab.read_evals(_evals(), tasks=["MyTask"], chance=path).examples == {
        "mytask": 400.0
    }
    # a level named exactly as the task is read so, without the note
    exact = scalinglab.read_evals(_evals(), tasks=["MyTask"], chance={"mytask": 0.2})
    assert exact.chance == {"mytask": 0.2}
    assert not any("regardless of case" in n for n in exact.notes)


def test_a_typo_in_a_task_named_by_its_column_is_named_with_the_column_it_meant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--tasks MyTsk`` on a table whose task columns are named by the user: the typo is
    refused as an unknown task with the column it meant, not as a table of final losses
    with no scores at all (the command that fits a loss)."""
    frame = _evals().assign(piqa_acc=0.6)
    with pytest.raises(
        scalinglab.ConfigError, match=r"unknown task 'MyTsk'.*did you mean 'MyTask'"
    ):
        scalinglab.read_evals(frame, tasks=["piqa_acc", "MyTsk"])
    path = tmp_path / "mine.csv"
    frame.to_csv(path, index=False)
    for tasks in ("MyTsk,piqa_acc", "MyTsk"):
        error, hint = refused(capsys, ["downstream", "fit", str(path), "--tasks", tasks])
        assert error == (
            f"error: unknown task 'MyTsk' in {path}: no column of that name; did you mean 'MyTask'?"
        )
        assert "'MyTask'" in hint and "looks like final losses" not in error + hint
    # a name close to no column, alone: the table is still said to hold no scores of its own
    error, _ = refused(capsys, ["downstream", "fit", str(path), "--tasks", "zzz"])
    assert "no task columns" in error


def _split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluations (run, score) and the run table (sizes and the loss, named the user's
    way) that a harness's output and a training log give apart."""
    runs = frame[["run", "params", "tokens", "loss"]].rename(columns={"loss": "c4 val loss"})
    return frame[["run", "MyTask"]], runs


def test_a_run_table_naming_its_runs_in_a_model_column_is_joined_as_fit_reads_it() -> None:
    """``fit`` and ``ingest`` read a text ``model`` column of distinct names as the run ids;
    ``--runs`` (``runs=``) joins the evaluations on it too, rather than refusing the table
    as having no run column."""
    evals, runs = _split(_evals())
    runs = runs.rename(columns={"run": "model"})
    joined = scalinglab.read_evals(evals, runs=runs, loss="c4 val loss", tasks=["MyTask"])
    assert len(joined.runs) == 12
    np.testing.assert_array_equal(joined.accuracy("mytask"), evals["MyTask"].to_numpy())
    assert "runs of <DataFrame> named by its column 'model'" in joined.notes
    # a model column of sizes (no names) names no run: still refused, with --map run= said
    sizes = runs.assign(model=[f"{p / 1e6:.0f}M" for p in runs["params"]])
    with pytest.raises(scalinglab.DataError, match="no run column"):
        scalinglab.read_evals(evals, runs=sizes.drop_duplicates("model"), loss="c4 val loss")


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_loss_mapped_with_map_is_not_said_chosen_without_via(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--map loss=loss_c4`` names the loss the chain goes through: no note that there was
    no ``--via`` and the loss column was chosen by the reader's rule."""
    evals, runs = _split(_evals())
    paths = tmp_path / "evals.csv", tmp_path / "runs.csv"
    evals.to_csv(paths[0], index=False)
    runs.rename(columns={"c4 val loss": "loss_c4"}).to_csv(paths[1], index=False)
    args = ["downstream", "fit", str(paths[0]), "--runs", str(paths[1]), "--task", "MyTask"]
    args += ["--law", "chinchilla", "--bootstrap", "0"]
    code, out, err = cli(capsys, *args, "--map", "loss=loss_c4")
    assert code == 0, out + err
    assert "no --via" not in out + err and "column 'loss_c4' read as loss" in out
    # without it the reader's choice is said, as before
    code, out, err = cli(capsys, *args)
    assert code == 0, out + err
    assert "no --via: the chain goes through loss_c4" in " ".join(err.split())


@pytest.mark.parametrize("command", [["plan"], ["downstream", "plan", "--fit", "DS"]])
def test_a_target_accuracy_written_as_a_percentage_is_read_back_as_its_fraction(
    capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """``hellaswag=75%``, as a table prints accuracies: refused with the fraction it meant,
    as ``hellaswag=75`` is, not as a value that is no number at all."""
    args = [*command, "--target-accuracy", "hellaswag=0.6,piqa=75%"]
    args += ["--downstream", "DS"] if command == ["plan"] else []
    error, hint = refused(capsys, args)  # refused before the chain's file is read
    assert error == "error: --target-accuracy piqa=75%: a percentage; accuracies are fractions"
    assert hint == "hint: did you mean 0.75? (--target-accuracy piqa=0.75)"


def test_evaluations_joined_to_a_run_table_are_not_said_to_look_like_its_losses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An evaluation file of run and ``MyTask`` joined to a run table, without ``--task``:
    the refusal is of the evaluation file's own columns, never "it looks like final losses"
    for the run table's loss column with the hint to ``scalinglab fit`` the evaluations."""
    evals, runs = _split(_evals())
    paths = tmp_path / "evals.csv", tmp_path / "runs.csv"
    evals.to_csv(paths[0], index=False)
    runs.to_csv(paths[1], index=False)
    args = ["downstream", "fit", str(paths[0]), "--runs", str(paths[1]), "--via", "c4 val loss"]
    error, hint = refused(capsys, args)
    assert error == f"error: {paths[0]}: no task columns of metric 'acc' (acc_<task>)"
    assert "looks like" not in error and "scalinglab fit" not in hint


def test_a_metric_misspelled_is_named_with_the_stored_or_harness_metric_it_meant(
    tmp_path: Path,
) -> None:
    """``--metric acc_nrom``: the harness's files and the run store name the metrics they
    hold and the one it meant, as every other misspelled name is answered."""
    from scalinglab.downstream import read_store_evals
    from scalinglab.store import RunStore, StoredRun

    runs = pd.DataFrame(
        {"run": ["org/tiny-10m", "org/tiny-40m", "org/tiny-160m"], "params": [1e7, 4e7, 1.6e8]}
    ).assign(tokens=lambda f: 20 * f["params"], loss=[4.0, 3.6, 3.2])
    harness = Path(__file__).parent / "data" / "lm_eval"
    with pytest.raises(scalinglab.DataError, match=r"'acc_nrom'.*; did you mean 'acc_norm'\?"):
        scalinglab.read_evals(harness, runs=runs, metric="acc_nrom")
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(
        [(StoredRun(run_id=r, name=r, params=p, tokens=20 * p, loss=3.0), None)
         for r, p in zip(runs["run"], runs["params"], strict=True)]
    )  # fmt: skip
    rows = [(r, "piqa", m, 0.6) for r in runs["run"] for m in ("acc", "acc_norm")]
    store.put_evals(pd.DataFrame(rows, columns=["run", "task", "metric", "value"]))
    with pytest.raises(scalinglab.DataError, match=r"'acc_nrom'.*; did you mean 'acc_norm'\?"):
        read_store_evals(store.path, metric="acc_nrom")
