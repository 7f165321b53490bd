"""How curve readers treat what real exports hold: diverged runs (left out, named, unless
kept), rows without a loss (skipped, counted), a lr logged on fewer rows, a size from the
file's folder, fractional steps, and the option combinations they refuse (the command
line's side: tests/test_cli_curves_inputs.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_curves import LR, needs_lr

from scalinglab import ConfigError, DataError, parse_schedule
from scalinglab.curves import CurveFit, Tissue, fit_curves, read_lr_curves
from scalinglab.curves._data import read_noted
from scalinglab.curves._diverged import screen

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = {
    "cos": "cosine:peak=1e-3,end=1e-4,warmup=200,steps=4000",
    "con": "constant:peak=1e-3,warmup=200,steps=4000",
    "wsd": "wsd:peak=1e-3,end=1e-4,warmup=200,decay=0.2,steps=4000",
}


def _frame(runs: dict[str, str] = SPECS, every: int = 50) -> pd.DataFrame:
    """Tissue-law curves as a W&B history export holds them: run_name, _step,
    learning_rate, train/loss (no noise)."""
    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    parts = []
    for run, spec in runs.items():
        s = parse_schedule(spec)
        steps = np.arange(s.warmup, s.steps, every)
        loss = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)[0][0]
        parts.append(
            pd.DataFrame(
                {"run_name": run, "_step": steps, "learning_rate": s.lr[steps], "train/loss": loss}
            )
        )
    return pd.concat(parts, ignore_index=True)


def _with_diverged(tail: float | str) -> pd.DataFrame:
    """The three runs and a fourth at 3x the rate whose loss, from step 2050 on, is
    ``tail`` (11.2: blown up; "nan": NaN), as in the sweep that found the problem."""
    frame = _frame()
    bad = frame[frame["run_name"] == "con"].assign(run_name="con_lr3e-3", learning_rate=3e-3)
    bad["train/loss"] = bad["train/loss"].astype(object)
    bad.loc[bad["_step"] >= 2050, "train/loss"] = tail
    return pd.concat([frame, bad], ignore_index=True)


@pytest.mark.parametrize(
    ("tail", "said"),
    [
        (11.2, "its loss ends at 11.2, 3.4x its lowest (3.26 near step 1900)"),
        ("nan", "its loss is NaN or missing from step 2050 on (its last 39 rows)"),
        ("inf", "its loss is inf at step 2050"),
    ],
)
def test_a_diverged_run_is_left_out_named_and_kept_on_request(
    tmp_path: Path, tail: float | str, said: str
) -> None:
    path = tmp_path / "div.csv"
    _with_diverged(tail).to_csv(path, index=False)
    curves, notes, left, _ = read_noted(path)
    assert [c.run for c in curves] == ["cos", "con", "wsd"]
    assert list(left) == ["con_lr3e-3"] and left["con_lr3e-3"].startswith(f"diverged ({said}")
    (note,) = notes
    assert note.startswith(f"warning: run 'con_lr3e-3' ({path}) left out as diverged: {said}")
    assert "1.5x its lowest" in note and "pass --keep-diverged (keep_diverged=True)" in note
    with pytest.warns(UserWarning, match="'con_lr3e-3'.* left out as diverged") as got:
        assert len(read_lr_curves(path)) == 3  # the Python reader warns the same words
    assert got[0].filename == __file__  # at the call, past the keyword check around it
    kept, notes, left, _ = read_noted(path, keep_diverged=True)
    assert left == {}
    bad = next(c for c in kept if c.run == "con_lr3e-3")
    assert notes[0].startswith("warning: run 'con_lr3e-3'") and "kept, as asked" in notes[0]
    # a kept run keeps its finite losses: all 76 when blown up, the 37 before NaN or inf
    assert len(bad.step) == (76 if tail == 11.2 else 37)


def test_every_run_diverged_is_an_error_that_says_how_to_keep_them(tmp_path: Path) -> None:
    path = tmp_path / "div.csv"
    frame = _with_diverged("nan")
    frame[frame["run_name"] == "con_lr3e-3"].to_csv(path, index=False)
    with pytest.raises(DataError, match="no run left to fit: every run looks diverged") as err:
        read_noted(path)
    assert "--keep-diverged" in err.value.hint


def test_a_table_without_rows_is_said_so_not_called_diverged(tmp_path: Path) -> None:
    empty = pd.DataFrame({"run": [], "step": [], "lr": [], "loss": []})
    with pytest.raises(DataError) as err:
        read_lr_curves(empty)
    assert str(err.value.message) == "<DataFrame>: no runs: the DataFrame has no rows"
    assert err.value.hint == "pass one row per logged step: run, step, lr, loss"
    path = tmp_path / "empty.csv"
    empty.to_csv(path, index=False)
    with pytest.raises(DataError, match="no runs: the file has a header but no data rows"):
        read_lr_curves(path)


@needs_lr
def test_no_shared_schedule_curve_is_called_diverged() -> None:
    """All nine schedules of both sizes (constant, cosine, WSD decays, WSD to a constant
    at 3, 9 and 18%): none flagged, every point kept."""
    for size in ("25M", "100M"):
        curves, notes, _, _ = read_noted(LR / size)
        assert len(curves) == 9 and notes == []
        frames = {p.stem: pd.read_csv(p) for p in (LR / size).glob("*.csv")}
        assert {c.run.split("/")[-1]: len(c.step) for c in curves} == {
            k: len(f) for k, f in frames.items()
        }


def test_warm_up_bumps_spikes_and_sparse_eval_columns_are_not_divergence() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(0, 4000, 20, dtype=float)
    # logged from step 0: the loss starts near ln(50k) = 10.8 and falls
    warm = (3.0 + 7.8 * np.exp(-t / 100) + 0.5 * (t + 1) ** -0.3) * np.exp(
        0.01 * rng.standard_normal(len(t))
    )
    assert screen(t, warm).reason == ""
    # a WSD decay, then the rate raised again: the loss rises 5% by the end
    bump = np.where(t < 3000, 3.3 - 1e-4 * t, 3.0 + 0.15 * (t - 3000) / 1000)
    assert screen(t, bump).reason == ""
    # a spike of two points at the very end: the medians look past it
    spike = warm.copy()
    spike[-2:] = 9.0
    assert screen(t, spike).reason == ""
    # an eval loss on every 4th row (blank after the last eval too), or a last row or two
    # without the training loss (a summary row): gaps, not a divergence
    sparse = np.where(np.arange(len(t)) % 4 == 0, warm, np.nan)
    assert screen(t, sparse).reason == ""
    summary = warm.copy()
    summary[-2:] = np.nan
    assert screen(t, summary).reason == ""
    # ... while a dense loss that turns NaN for 3 rows, or ends 1.5x above its lowest, did
    dense = warm.copy()
    dense[-3:] = np.nan
    assert "NaN or missing from step 3940 on (its last 3 rows)" in screen(t, dense).reason
    high = warm.copy()
    high[-5:] = 2 * warm.min()
    assert "x its lowest" in screen(t, high).reason


def test_rows_before_the_first_logged_loss_are_no_gap() -> None:
    """A NaN tail of 10 rows is a divergence though the first 20 rows hold no loss
    either: rows before the first logged loss do not count as the column's gaps."""
    t = np.arange(0, 1000, 10, dtype=float)
    x = 3.0 + 5.0 * (t + 10) ** -0.3
    x[:20], x[90:] = np.nan, np.nan
    said = screen(t, x).reason
    assert said == (
        "its loss is NaN or missing from step 900 on (its last 10 rows), after 3.65 at step 890"
    )
    # a gap of 10 rows between logged losses still excuses a tail of 10
    x[40:50] = np.nan
    assert screen(t, x).reason == ""


def test_rows_without_a_loss_are_skipped_and_counted(tmp_path: Path) -> None:
    frame = _frame().astype({"train/loss": object})
    frame.loc[[5, 80, 81], "train/loss"] = ["", "nan", None]
    path = tmp_path / "gaps.csv"
    frame.to_csv(path, index=False)
    curves, notes, _, _ = read_noted(path)
    assert [len(c.step) for c in curves] == [75, 74, 76]
    assert notes == [
        f"{path}: 3 rows without a finite loss in column 'train/loss' skipped (blank, NaN "
        "or inf): 1 of run 'cos', 2 of run 'con'"
    ]
    assert curves[0].rows[5] == 8  # row numbers stay the file's (row 7, the blank, skipped)


def test_a_sparse_eval_column_is_read_with_the_lr_of_every_row(tmp_path: Path) -> None:
    """``--map loss=val_loss`` on a W&B history export: the eval loss on every 4th row,
    the learning rate on all of them (the schedule is read from every row)."""
    frame = _frame()
    frame["val_loss"] = frame["train/loss"].where(frame.index % 4 == 0)
    path = tmp_path / "both.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="could each be loss"):
        read_noted(path)
    curves, notes, _, _ = read_noted(path, columns={"loss": "val_loss"})
    assert [len(c.step) for c in curves] == [19, 19, 19]
    assert "171 rows without a finite loss in column 'val_loss'" in notes[0]
    cosine = parse_schedule(SPECS["cos"]).lr
    np.testing.assert_allclose(curves[0].schedule.lr[200:3951], cosine[200:3951], rtol=1e-3)


def test_a_blank_lr_is_interpolated_and_text_is_still_an_error(tmp_path: Path) -> None:
    frame = _frame({"con": SPECS["con"]}).astype({"learning_rate": object})
    frame.loc[3, "learning_rate"] = ""
    path = tmp_path / "lr.csv"
    frame.to_csv(path, index=False)
    (curve,), _, _, _ = read_noted(path)
    assert len(curve.step) == 76 and curve.schedule.lr[350] == pytest.approx(1e-3)
    frame = frame.astype({"train/loss": object})
    frame.loc[3, ["learning_rate", "train/loss"]] = [1e-3, "abc"]
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 5, column 'train/loss': 'abc' is not a number") as e:
        read_noted(path)
    assert e.value.hint == "write a number; leave the cell blank where nothing was logged"


def test_a_fractional_step_is_refused_with_a_hint(tmp_path: Path) -> None:
    frame = _frame({"con": SPECS["con"]}).astype({"_step": float})
    frame.loc[3, "_step"] = 350.5
    path = tmp_path / "frac.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match=r"row 5, column '_step': step 350\.5 is not a whole") as e:
        read_noted(path)
    assert "--map step=COLUMN" in e.value.hint


@needs_lr
def test_a_file_in_a_size_folder_takes_its_size_and_name_from_it() -> None:
    """As when the folder is read: ``25M/constant_24000``, N = 25M; so files of two sizes
    given one by one fit across sizes, and same-named files of two sizes are two runs."""
    files = [LR / "25M" / "cosine_24000.csv", LR / "100M" / "cosine_24000.csv"]
    curves = read_lr_curves(files)
    assert [(c.run, c.params) for c in curves] == [
        ("25M/cosine_24000", 25e6),
        ("100M/cosine_24000", 100e6),
    ]
    folder = {c.run: c.params for c in read_lr_curves(LR / "25M")}
    assert folder["25M/cosine_24000"] == 25e6


def test_warmup_with_only_a_schedule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nolr.csv"
    _frame({"cos": SPECS["cos"]}).drop(columns="learning_rate").to_csv(path, index=False)
    with pytest.raises(ConfigError, match="--warmup \\(warmup=\\) is for runs with a logged lr"):
        read_lr_curves(path, schedule=SPECS["cos"], warmup=100)
    assert len(read_lr_curves(path, schedule=SPECS["cos"])) == 1


def test_a_curve_fit_records_the_runs_left_out_and_loads_them_back(tmp_path: Path) -> None:
    path = tmp_path / "div.csv"
    _with_diverged(11.2).to_csv(path, index=False)
    why = {"con_lr3e-3": "diverged (its loss ends at 11.2, 3.4x its lowest (3.26 near step 1900))"}
    with pytest.warns(UserWarning, match="'con_lr3e-3'.* left out as diverged") as got:
        fit = fit_curves(path, law="tissue", bootstrap=0)  # read here: recorded
    assert got[0].filename == __file__
    assert fit.left_out == why and fit.runs == ("cos", "con", "wsd")
    assert fit.to_dict()["left_out"] == why
    fit.save(tmp_path / "fit.json")
    assert CurveFit.load(tmp_path / "fit.json").left_out == why
    given = fit_curves(read_noted(path)[0], law="tissue", bootstrap=0, left_out=why)
    assert given.left_out == why  # curves read before: as the reader gave them
    assert fit_curves(read_noted(path)[0], law="tissue", bootstrap=0).left_out == {}
