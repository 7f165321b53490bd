"""A logged lr as a curve file and a ``--schedule-file`` hold it, read alike: blank rows
filled by the one rule, with a note, and every error naming the file's own column and the
row (they said column 'lr' or 'step', and no row)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_curves_warmup_rule import logged_from_warmup

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.cli._curves_input import logged_schedule
from scalinglab.curves import fit_curves, read_lr_curves
from scalinglab.curves._logged_rates import BLANK_LR


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Curves whose lr is blank on every other row but the first and last, and a fit."""
    folder = tmp_path_factory.mktemp("sparse")
    path = logged_from_warmup(folder / "curves.csv")
    frame = pd.read_csv(path)
    blank = frame.index % 2 == 1
    blank &= frame["Name"].ne(frame["Name"].shift(-1)).eq(False)  # not a run's last row
    frame.loc[blank, "train/lr"] = np.nan
    frame.to_csv(path, index=False)
    fit_curves(path, law="tissue", bootstrap=0).save(folder / "fit.json")
    return path, folder / "fit.json"


def test_a_schedule_file_with_blank_rates_is_filled_as_curves_fit_fills_them(
    sparse: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path, fit = sparse
    (curve,) = [c for c in read_lr_curves(path) if c.run == "wsd"]
    assert BLANK_LR in curve.schedule.notes
    assert "lr blank on some rows" in " ".join(json.loads(fit.read_text())["notes"])
    sched = logged_schedule(path, run="wsd")  # was refused: "every row needs one"
    assert np.array_equal(sched.lr, curve.schedule.lr) and sched.warmup == curve.schedule.warmup
    args = ["curves", "predict", "--fit", str(fit), "--schedule-file", str(path), "--run", "wsd"]
    assert main([*args, "--points", "2"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"note: {BLANK_LR}" in out


def _write(path: Path, rows: list[tuple[float, str]]) -> Path:
    lines = ["Name,_step,train/lr,train/loss"]
    lines += [f"a,{step:g},{lr},{4.0 - i / 100}" for i, (step, lr) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            [(100, "3e-4"), (200, "3e-4"), (300, "-1e-4"), (400, "3e-4")],
            "row 4, column 'train/lr': learning rate -0.0001 at step 300 is negative",
        ),
        (
            [(100, "3e-4"), (200, "3e-4"), (300, "inf"), (400, "3e-4")],
            "row 4, column 'train/lr': learning rate inf at step 300 is infinite",
        ),
        (
            [(100, "0"), (200, ""), (300, "0"), (400, "0")],
            "column 'train/lr': the learning rate is 0 at every step after the warm-up",
        ),
        (
            [(100, ""), (200, ""), (300, "")],
            "column 'train/lr': no learning rate logged: every cell is blank or NaN",
        ),
    ],
)
def test_lr_errors_name_the_files_column_and_row(
    tmp_path: Path, rows: list[tuple[float, str]], said: str
) -> None:
    path = _write(tmp_path / "run.csv", rows)
    with pytest.raises(DataError) as err:
        logged_schedule(path)
    assert f"{path}, {said}" in str(err.value)
    if "no learning rate" not in said:  # (curves fit: a run with no rate takes --schedule)
        with pytest.raises(DataError) as err:
            read_lr_curves(path)
        assert f"{path} (run a), {said}" in str(err.value)


def test_step_errors_of_a_schedule_file_name_its_column_and_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "frac.csv", [(100, "3e-4"), (200.5, "3e-4"), (300, "3e-4")])
    with pytest.raises(DataError) as err:
        logged_schedule(path)
    assert f"{path}, row 3, column '_step': step 200.5 is not a step" in str(err.value)
    path = _write(tmp_path / "order.csv", [(100, "3e-4"), (300, "3e-4"), (200, "3e-4")])
    with pytest.raises(DataError) as err:
        logged_schedule(path)
    assert f"{path}, row 4, column '_step': steps must increase: step 200 follows 300" in str(
        err.value
    )


def test_blank_rates_after_the_last_logged_one_are_said_held() -> None:
    """Blank rates between logged ones are interpolated; after the last logged one the rate
    is held (np.interp's ends), and the note says so: it said "interpolated" of both."""
    from scalinglab.curves._logged_rates import logged_rates

    step = np.array([0.0, 100.0, 200.0, 300.0, 400.0])
    inside = logged_rates(step, np.array([3e-4, np.nan, 1e-4, 1e-4, 1e-4]), warmup=0,
                          source="f.csv", columns=("step", "lr"), rows=range(2, 7))  # fmt: skip
    assert BLANK_LR in inside.notes and not any("held" in n for n in inside.notes)
    assert inside.lr[100] == pytest.approx(2e-4)  # halfway from 3e-4 (step 0) to 1e-4 (200)
    tail = logged_rates(step, np.array([3e-4, 2e-4, 1e-4, np.nan, np.nan]), warmup=0,
                        source="f.csv", columns=("step", "lr"), rows=range(2, 7))  # fmt: skip
    (said,) = [n for n in tail.notes if n.startswith(BLANK_LR)]
    assert said.endswith(
        "; after step 200, the last that logs one, its rate 0.0001 held to step 400"
    )
    assert tail.steps == 401 and np.all(tail.lr[200:] == pytest.approx(1e-4))
