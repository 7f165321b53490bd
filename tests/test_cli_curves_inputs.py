"""What the curve commands say about the inputs a user gets wrong or half right: diverged
runs, sparse loss columns, a W&B panel export, a run column by another name, a scalinglab
result given as data, a curve file of no size, ``--from-curves`` given two paths, and
options that would be ignored (the readers: tests/test_curves_reading.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.test_curves import LR, needs_lr
from tests.test_curves_reading import SPECS, _frame, _with_diverged

from scalinglab.cli import main

FIT = ("--law", "tissue", "--bootstrap", "0")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_curves_fit_and_backtest_leave_a_diverged_run_out_and_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "div.csv"
    _with_diverged("nan").to_csv(path, index=False)
    code, out, err = _run(capsys, "curves", "fit", str(path), *FIT)
    assert code == 0 and "tissue fitted to 3 curves" in out
    assert "warning: run 'con_lr3e-3'" in err and "left out as diverged" in err
    assert "pass --keep-diverged" in err
    # the run stopped the whole file before, even where it is not used
    code, out, err = _run(capsys, "curves", "backtest", str(path), "--train", "cos,con")
    assert code == 0 and "wsd" in out and "left out as diverged" in err
    # a run named for training that the reader left out: said so, not "not among"
    code, out, err = _run(capsys, "curves", "backtest", str(path), "--train", "cos,con_lr3e-3")
    assert code == 2 and "not among the curves read" not in err
    assert (
        "error: training curve 'con_lr3e-3' was left out when the curves were read: diverged "
        "(its loss is NaN or missing from step 2050 on" in err
    )
    assert "hint: pass --keep-diverged (keep_diverged=True) to keep a run that looks" in err
    code, _, err = _run(capsys, "report", str(path), "--curves", "--train", "con_lr3e-3",
                        "--out", str(tmp_path / "r.html"))  # fmt: skip
    assert code == 2 and "'con_lr3e-3' was left out when the curves were read" in err
    code, out, err = _run(capsys, "curves", "fit", str(path), *FIT, "--json")
    assert json.loads(out)["left_out"] == {
        "con_lr3e-3": "diverged (its loss is NaN or missing from step 2050 on (its last 39 "
        "rows), after 3.249 at step 2000)"
    }
    code, out, err = _run(capsys, "curves", "fit", str(path), *FIT, "--keep-diverged")
    assert code == 0 and "fitted to 4 curves" in out and "kept, as asked" in err
    assert "39 rows without a finite loss" in out  # the fit's note, as fit notes skipped runs


def test_a_sparse_loss_column_is_fitted_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _frame()
    frame["val_loss"] = frame["train/loss"].where(frame.index % 4 == 0)
    path = tmp_path / "both.csv"
    frame.to_csv(path, index=False)
    code, out, _ = _run(capsys, "curves", "fit", str(path), "--map", "loss=val_loss", *FIT)
    assert code == 0 and "over 57 points" in out
    # with the fit's notes, as a fit of runs notes the runs it skipped
    assert "note: " in out and "171 rows without a finite loss in column 'val_loss'" in out


def _panel(frame: pd.DataFrame) -> pd.DataFrame:
    """The W&B UI's panel export of ``frame``: Step, '<run> - <metric>' columns."""
    wide = frame.pivot(index="_step", columns="run_name", values=["train/loss", "learning_rate"])
    metric = {"train/loss": "train/loss", "learning_rate": "train/learning_rate"}
    wide.columns = [f"{run} - {metric[m]}" for m, run in wide.columns]
    return wide.rename_axis("Step").reset_index()


def test_a_wandb_panel_export_is_named_and_ingest_reads_it_as_the_hint_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wide = tmp_path / "wide.csv"
    _panel(_frame()).to_csv(wide, index=False)
    code, _, err = _run(capsys, "curves", "fit", str(wide))
    assert code == 2 and "a W&B panel export (Step and '<run> - <metric>' columns: 3 runs" in err
    assert f"scalinglab ingest RUNS.csv --kind wandb --history {wide} --store runs.duckdb" in err
    # the hint, followed: a W&B runs table, its panel export as history, then the store
    runs = tmp_path / "RUNS.csv"
    runs.write_text("Name,State,params\ncos,finished,125M\ncon,finished,125M\nwsd,finished,125M\n")
    store = str(tmp_path / "runs.duckdb")
    ingest = ("ingest", str(runs), "--kind", "wandb", "--history", str(wide), "--store", store)
    assert _run(capsys, *ingest)[0] == 0
    code, out, _ = _run(capsys, "curves", "fit", "--store", store, *FIT)
    assert code == 0 and "tissue fitted to 3 curves" in out


def test_a_run_column_by_another_name_is_mapped_as_the_hint_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wb3.csv"
    _frame().rename(columns={"run_name": "experiment"}).to_csv(path, index=False)
    code, _, err = _run(capsys, "curves", "fit", str(path), *FIT)
    assert code == 2 and "could name the runs: --map run=experiment" in err
    code, out, _ = _run(capsys, "curves", "fit", str(path), "--map", "run=experiment", *FIT)
    assert code == 0 and "fitted to 3 curves" in out


def test_a_scalinglab_result_given_as_data_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hp, curve = tmp_path / "hp.json", tmp_path / "curve.json"
    hp.write_text(json.dumps({"format": "scalinglab.hparams/1", "cells": []}))
    curve.write_text(json.dumps({"format": "scalinglab.curve_fit", "law": "tissue"}))
    code, _, err = _run(capsys, "curves", "fit", str(hp))
    assert code == 2 and "hp.json: is an hparams fit, a scalinglab result, not a table" in err
    assert "hint: read it with `hparams predict --fit`" in err
    code, _, err = _run(capsys, "hparams", "fit", str(curve))
    assert code == 2 and "curve.json: is a curve fit, a scalinglab result, not a table" in err
    assert "`curves predict --fit`" in err


def test_options_a_command_would_ignore_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nolr.csv"
    _frame({"cos": SPECS["cos"]}).drop(columns="learning_rate").to_csv(path, index=False)
    code, _, err = _run(capsys, "curves", "fit", str(path), "--schedule", SPECS["cos"],
                         "--warmup", "100", *FIT)  # fmt: skip
    assert code == 2 and "--warmup (warmup=) is for runs with a logged lr column" in err
    assert "hint: write it into the spec" in err
    code, _, err = _run(capsys, "fit", "--keep-diverged")
    assert code == 2 and "--keep-diverged shapes the runs --from-curves predicts" in err
    code, _, err = _run(capsys, "report", str(path), "--keep-diverged")
    assert code == 2 and "--keep-diverged keeps curves of a --curves page" in err


def test_fit_from_curves_names_a_curve_file_without_a_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "con.csv"
    _frame({"con": SPECS["con"]}).to_csv(path, index=False)
    code, _, err = _run(capsys, "fit", "--from-curves", str(path), "--bootstrap", "0")
    assert code == 2 and "<DataFrame>" not in err
    assert f"error: {path}: the curves give no model size (N)" in err
    assert "folder named like it (25M/cosine_24000.csv)" in err and "--map params=" in err
    # a law of D alone needs no size
    code, out, err = _run(capsys, "fit", "--from-curves", str(path), "--law", "E + B*D**-beta",
                          "--bootstrap", "0")  # fmt: skip
    assert code == 0 and "the curves give no model size" in out


@needs_lr
def test_fit_from_curves_reads_a_size_folder_and_two_paths_need_the_option_twice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    one, two = str(LR / "25M" / "constant_24000.csv"), str(LR / "25M" / "wsdcon_9.csv")
    code, out, _ = _run(capsys, "fit", "--from-curves", one, "--law", "E + B*D**-beta",
                        "--bootstrap", "0")  # fmt: skip
    # a law of D alone has no N-dependent parameter to identify: nothing said of sizes
    assert code == 0 and "curves of one model size" not in out
    code, _, err = _run(capsys, "fit", "--from-curves", one, two)
    assert code == 2 and "--from-curves takes one path each time" in err
    assert f"--from-curves {one} --from-curves {two}" in err.replace("\n", "")


@needs_lr
def test_a_fit_across_sizes_reads_files_of_size_folders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = [str(LR / "25M" / "cosine_24000.csv"), str(LR / "100M" / "cosine_24000.csv")]
    code, out, err = _run(capsys, "curves", "fit", *files, "--law", "sized:tissue",
                          "--bootstrap", "0")  # fmt: skip
    assert code == 0 and "sized:tissue fitted to 2 curves" in out and "error" not in err
