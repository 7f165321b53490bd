"""One rule for which column of a curve file holds each quantity, in every reader of curves
(``curves fit`` and the commands that read curve files, ``envelope``'s :func:`read_curves`,
``ingest --history``), the run tables' rule: ``--map`` first, then the column named as the
quantity, then the one column named like it; several are refused, naming them and the flag
(``ingest --history`` has none: it says to keep one)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_ingest import cli
from tests.test_curves_notes import sized_curves

from scalinglab import DataError
from scalinglab.cli._cmd_curves_use import runs_from_curves
from scalinglab.cli._curves_input import logged_schedule
from scalinglab.curves import read_lr_curves
from scalinglab.data import read_curves
from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _frame() -> pd.DataFrame:
    """``run, params, step, lr, train_loss, val_loss`` of Tissue curves of two sizes (three
    schedules each), val 0.1 above train."""
    return pd.DataFrame(
        [
            {"run": c.run, "params": c.params, "step": int(k), "lr": c.schedule.lr[k],
             "train_loss": v, "val_loss": v + 0.1}
            for c in sized_curves()[0]
            for k, v in zip(c.step, c.loss, strict=True)
        ]
    )  # fmt: skip


def _table(tmp_path: Path, frame: pd.DataFrame) -> Path:
    """A run table of the curves' runs (one row each), for ``ingest --history``."""
    last = frame.groupby("run").last().reset_index()
    path = tmp_path / "runs.csv"
    pd.DataFrame(
        {"name": last["run"], "params": last["params"], "tokens": 1e9, "loss": last["val_loss"]}
    ).to_csv(path, index=False)
    return path


def _message(err: pytest.ExceptionInfo[DataError]) -> str:
    return f"{err.value.message} | {err.value.hint}"


def _commands(path: Path, out: Path) -> list[list[str]]:
    """The commands that read curve files besides ``curves fit`` (tested with it)."""
    runs = list(dict.fromkeys(_frame()["run"]))
    train = ",".join(runs[:2] + runs[3:5])  # two schedules of each size
    return [
        ["fit", "--from-curves", str(path), "--bootstrap", "0", "--no-compare"],
        ["curves", "backtest", str(path), "--train", train, "--law", "sized:tissue"],
        ["report", str(path), "--curves", "--train", train, "--curve-law", "sized:tissue",
         "--bootstrap", "0", "--out", str(out)],
    ]  # fmt: skip


@pytest.mark.heavy
def test_map_reaches_every_command_that_reads_curve_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "both.csv"
    _frame().to_csv(path, index=False)
    page = tmp_path / "c.html"
    for args in _commands(path, page):
        code, _, err = cli(capsys, *args, "--map", "loss=val_loss")
        assert code == 0, err
    assert "--map loss=val_loss" in page.read_text()  # the page's command reproduces it
    # fit --from-curves predicts from the curve mapped: val_loss, 0.1 above train_loss
    val, _, _, _ = runs_from_curves([path], cooldown=0.2, columns={"loss": "val_loss"})
    train, _, _, _ = runs_from_curves([path], cooldown=0.2, columns={"loss": "train_loss"})
    np.testing.assert_allclose(val.columns["loss"] - train.columns["loss"], 0.1, atol=0.01)
    # a store's curves are its train_loss: --map with --store alone is refused
    store = tmp_path / "runs.duckdb"
    for args in (
        ["curves", "fit", "--store", str(store)],
        ["curves", "backtest", "--store", str(store), "--train", "a"],
        ["fit", "--from-curves", str(store)],
    ):
        code, _, err = cli(capsys, *args, "--map", "loss=val_loss")
        assert code == 2 and err == (
            "error: --map reads curve files: a store's curves are its train_loss hint: drop "
            "--map to fit the store's train_loss, or give the curve file (CURVES) instead of "
            "the store to choose its columns"
        )


def test_train_and_val_loss_are_refused_until_one_is_mapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused by each command that reads curve files (``curves fit``: in
    test_cli_curves_notes), naming both and the --map that reads each (tested above)."""
    frame = _frame()
    path = tmp_path / "both.csv"
    frame.to_csv(path, index=False)
    both = "columns 'train_loss', 'val_loss' could each be loss; which one is it?"
    for args in _commands(path, tmp_path / "c.html"):
        code, _, err = cli(capsys, *args)
        assert code == 2 and f"error: {path}: {both}" in err, err
        assert "hint: say which: --map loss=train_loss, or columns={'loss': 'train_loss'}" in err
    assert not (tmp_path / "c.html").exists()
    # envelope's and isoflop's reader: the same rule, the same message
    with pytest.raises(DataError) as err:
        read_curves(frame.assign(tokens=frame["step"] * 1e3))
    assert _message(err) == (
        f"<DataFrame>: {both} | say which: --map loss=train_loss, or "
        "columns={'loss': 'train_loss'} in Python"
    )
    # ingest stores both: the store has a column for each kind of loss
    store = tmp_path / "s.duckdb"
    result = ingest(_table(tmp_path, frame), store=store, history=path)
    assert (
        "curves of both.csv: rows matched by 'run'; read train_loss <- train_loss, "
        "eval_loss <- val_loss, lr <- lr"
    ) in result.notes
    stored = RunStore(store).curves()
    np.testing.assert_allclose(stored["eval_loss"] - stored["train_loss"], 0.1, atol=1e-12)


@pytest.mark.parametrize(("first", "second"), [("Loss", "loss"), ("lr", "LR")])
def test_headers_that_read_alike_are_refused_by_every_reader(
    tmp_path: Path, first: str, second: str
) -> None:
    what = second.lower()
    frame = _frame().drop(columns="val_loss").rename(columns={"train_loss": "loss"})
    frame.insert(4, "Loss" if what == "loss" else "LR", frame[what])  # after ..., step, lr
    path = tmp_path / "alike.csv"
    frame.to_csv(path, index=False)
    assert [n for n in frame.columns if n.lower() == what] == [first, second]
    alike = f"columns {first!r}, {second!r} could each be {what}; which one is it?"
    with pytest.raises(DataError) as err:
        read_lr_curves(path)
    assert _message(err) == (
        f"{path}: {alike} | say which: --map {what}={first}, or "
        f"columns={{{what!r}: {first!r}}} in Python"
    )
    if what == "loss":
        with pytest.raises(DataError) as err:
            read_curves(path)
        assert alike in str(err.value)
    with pytest.raises(DataError) as err:
        ingest(_table(tmp_path, _frame()), store=tmp_path / "s.duckdb", history=path)
    stored_as = "train_loss" if what == "loss" else "lr"  # the store's column of a plain loss
    assert _message(err) == (
        f"{path}: columns {first!r}, {second!r} could each be {stored_as}; which one is it? "
        "| keep one of them: rename or drop the others"
    )
    assert not (tmp_path / "s.duckdb").exists()
    if what == "lr":  # a schedule file (curves predict --schedule-file has no --map)
        with pytest.raises(DataError) as err:
            logged_schedule(path)
        assert _message(err) == f"{path}: {alike} | keep one of them: rename or drop the others"


def test_tracker_headers_read_without_flags(tmp_path: Path) -> None:
    """W&B's names read as they are; a column named as the quantity wins over its aliases
    (``lr`` over ``train/learning_rate``, ``step`` over ``_step``); ``iter`` beside
    ``global_step`` is refused until one is mapped (``_step`` beside it is W&B's log counter:
    the trainer's step is read, tests/test_trainer_step_column.py)."""
    lines = ["run_name,_step,train/learning_rate,train/loss"]
    lines += [f"a,{k},0.001,{4 - k / 1000}" for k in range(100, 600, 100)]
    (tmp_path / "wandb.csv").write_text("\n".join(lines) + "\n")
    (curve,) = read_lr_curves(tmp_path / "wandb.csv")
    assert curve.run == "a" and list(curve.step) == [100, 200, 300, 400, 500]
    # the canonical name first: 'lr' (1e-3) is the schedule, not train/learning_rate (5e-4)
    lines = ["run,step,_step,lr,train/learning_rate,loss"]
    lines += [f"a,{k},{k // 100},0.001,0.0005,{4 - k / 1000}" for k in range(100, 600, 100)]
    (tmp_path / "both.csv").write_text("\n".join(lines) + "\n")
    (curve,) = read_lr_curves(tmp_path / "both.csv")
    assert list(curve.step) == [100, 200, 300, 400, 500] and curve.schedule.lr[300] == 1e-3
    lines = ["run_name,iter,global_step,train/loss"]
    lines += [f"a,{k // 100},{k},{4 - k / 1000}" for k in range(100, 600, 100)]
    (tmp_path / "steps.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as err:
        read_lr_curves(tmp_path / "steps.csv", schedule="constant:peak=1e-3,steps=1000")
    assert "columns 'iter', 'global_step' could each be step" in str(err.value)
    assert err.value.hint.startswith("say which: --map step=iter")
    (curve,) = read_lr_curves(
        tmp_path / "steps.csv",
        schedule="constant:peak=1e-3,steps=1000",
        columns={"step": "global_step"},
    )
    assert list(curve.step) == [100, 200, 300, 400, 500]
    # ingest --history has no --map for the curves: keep one of them
    (tmp_path / "runs.csv").write_text("name,params,tokens,loss\na,1e8,1e9,3.5\n")
    with pytest.raises(DataError) as err:
        ingest(tmp_path / "runs.csv", store=tmp_path / "s.duckdb", history=tmp_path / "steps.csv")
    assert _message(err) == (
        f"{tmp_path / 'steps.csv'}: columns 'iter', 'global_step' could each be step; which "
        "one is it? | keep one of them: rename or drop the others"
    )


def test_run_ids_take_the_first_run_column_as_run_tables_do(tmp_path: Path) -> None:
    """A W&B history carries the run's name and its id: either tells runs apart, so run ids
    are the rule's exception in curve files as in run tables (the first alias there is)."""
    lines = ["run_id,run_name,_step,train/loss"]
    lines += [f"x7k2,{name},{k},{4 - k / 1000}" for name in ("a",) for k in range(100, 600, 100)]
    (tmp_path / "hist.csv").write_text("\n".join(lines) + "\n")
    (curve,) = read_lr_curves(tmp_path / "hist.csv", schedule="constant:peak=1e-3,steps=1000")
    assert curve.run == "a"  # run_name comes before run_id among the aliases
    (tmp_path / "runs.csv").write_text("name,params,tokens,loss\na,1e8,1e9,3.5\n")
    ingest(tmp_path / "runs.csv", store=tmp_path / "s.duckdb", history=tmp_path / "hist.csv")
    stored = RunStore(tmp_path / "s.duckdb").curves()
    assert len(stored) == 5


def test_model_sizes_in_a_curve_file_read_as_in_a_run_table(tmp_path: Path) -> None:
    """``25M`` in a curve file's params column is 2.5e7, as the README promises for run
    tables (the curve reader took only plain numbers)."""
    lines = ["run,params,step,lr,loss"]
    lines += [f"{r},{n},{k},0.001,{4 - k / 1000}" for r, n in (("a", "25M"), ("b", "0.1B"))
              for k in range(100, 600, 100)]  # fmt: skip
    (tmp_path / "sized.csv").write_text("\n".join(lines) + "\n")
    a, b = read_lr_curves(tmp_path / "sized.csv")
    assert (a.params, b.params) == (25e6, 1e8)
