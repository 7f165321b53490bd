"""The Python notebook walk's follow-ups: a curve fit keeps the rows it skipped as a note
(Python, ``curves fit --json`` alike, with no second channel), ``fit(y=)`` records the
column it read, ``distance`` of one point is a float, and a task typo is offered the tasks
named by their own column too."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED
from tests.test_curves import SPECS, _synthetic

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.curves import Tissue

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SKIPPED = "1 row without a finite loss in column 'loss' skipped (blank, NaN or inf): 1 of run"


def _curves_frame() -> pd.DataFrame:
    """Synthetic curves with one NaN loss, as a notebook's frame holds one."""
    rows = []
    for c in _synthetic(Tissue(), TRUTH, SPECS[:3], noise=1e-3, seed=4, every=100):
        rows += [{"run": c.run, "step": int(k), "lr": float(c.schedule.lr[k]), "loss": float(v)}
                 for k, v in zip(c.step, c.loss, strict=True)]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.loc[10, "loss"] = np.nan
    return frame


def test_a_curve_fit_keeps_the_rows_it_skipped_as_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = _curves_frame()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one channel: the note, as fit() notes a skipped run
        fit = sl.fit_curves(frame, law="tissue", bootstrap=0)
    said = [n for n in fit.notes if SKIPPED in n]
    assert said and said[0].startswith("<DataFrame>: ")
    assert said[0] in fit.to_dict()["notes"]
    path = tmp_path / "curves.csv"
    frame.to_csv(path, index=False)
    code, out, err = cli(capsys, "curves", "fit", str(path), "--law", "tissue", "--bootstrap",
                         "0", "--json")  # fmt: skip
    assert code == 0, err
    assert [n for n in json.loads(out)["notes"] if SKIPPED in n] == [f"{path}: {said[0][13:]}"]
    with pytest.warns(UserWarning, match="without a finite loss"):  # a list has no notes
        sl.read_lr_curves(frame)


@pytest.mark.heavy
def test_fit_records_the_loss_column_it_read() -> None:
    src = pd.read_csv(SHARED / "overtraining" / "models.dev.csv")
    src = src[src.dataset == "c4_original"].reset_index(drop=True)
    frame = pd.DataFrame({"params": src.params, "tokens": src.tokens, "val loss": src.loss_c4_val})
    result = sl.fit("chinchilla", frame, y="val_loss", bootstrap=0)
    assert result.y == "val loss" and result.to_dict()["y"] == "val loss"
    plain = frame.rename(columns={"val loss": "loss"})
    assert sl.fit("chinchilla", plain, bootstrap=0).y == "loss"


def test_distance_of_one_point_is_a_float() -> None:
    result = sl.fit("chinchilla", sl.default_runs(), bootstrap=0)
    one = result.distance(params=1e10, tokens=2e11)
    assert type(one) is float
    assert one == pytest.approx(float(result.predict(params=1e10, tokens=2e11).distance[0]))
    many = result.distance(params=[1e10], tokens=2e11)
    assert isinstance(many, np.ndarray) and many.shape == (1,)


def test_a_task_typo_is_offered_the_tasks_read_by_their_name() -> None:
    frame = pd.DataFrame({
        "name": ["a", "b", "c"], "params": [1e8, 2e8, 4e8], "tokens": [2e9, 4e9, 8e9],
        "loss": [3.5, 3.3, 3.1], "HellaSwag (%)": [28.0, 30.0, 33.0],
        "acc_arc_easy": [0.4, 0.42, 0.45],
    })  # fmt: skip
    with pytest.raises(ConfigError, match="did you mean 'hellaswag'") as got:
        sl.read_evals(frame, tasks="hellaswg")
    assert "hellaswag ('HellaSwag (%)')" in str(got.value.hint)
