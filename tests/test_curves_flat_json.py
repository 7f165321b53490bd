"""``curves predict --json`` and ``curves compare --json`` write each estimate as ``plan
--json`` does: ``loss``, ``loss_lower``, ``loss_upper`` (so the baseline's
``baseline_loss_*``, beside ``gain_lower``), with ``level``; the old ``lower``/``upper``
(``baseline_lower``/``baseline_upper``) stay beside them for one release, holding the same
numbers. ``ScheduleChoice.to_dict()`` is a compared schedule's row."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import fit_curves
from scalinglab.curves import CurveFit, Tissue, compare_schedules


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Tissue fit of 4 curves (warm-up 200 of 3000 steps), 40 whole-curve resamples."""
    path = tmp_path_factory.mktemp("flat") / "curve.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=40, resample="curves").save(path)
    return path


def test_curves_predict_has_loss_lower_and_upper_columns(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    spec = "wsd:decay=0.2,steps=3000"
    code, out, err = cli(capsys, "curves", "predict", "--fit", str(fit_file), "--schedule", spec,
                         "--level", "0.8", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    fit = CurveFit.load(fit_file)
    pred = fit.predict(fit.schedule(spec), level=0.8)
    assert data["loss_lower"] == pred.lower.tolist() and data["loss_upper"] == pred.upper.tolist()
    assert (data["lower"], data["upper"]) == (data["loss_lower"], data["loss_upper"])
    assert data["level"] == 0.8 and len(data["loss_lower"]) == len(data["step"]) > 100
    assert all(lo < hi for lo, hi in zip(data["loss_lower"], data["loss_upper"], strict=True))
    keys = list(data)
    assert keys[keys.index("loss") : keys.index("loss") + 3] == ["loss", "loss_lower", "loss_upper"]


def test_curves_compare_has_loss_lower_and_upper_beside_gain_lower(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    code, out, err = cli(capsys, "curves", "compare", "--fit", str(fit_file), "--steps", "3000",
                         "--schedules", "wsd:0.2,linear", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    rows = compare_schedules(
        CurveFit.load(fit_file), steps=3000, schedules=["wsd:0.2", "linear"], include_baseline=True
    )
    base = rows[0]
    assert (data["baseline_loss_lower"], data["baseline_loss_upper"]) == (base.lower, base.upper)
    assert (data["baseline_lower"], data["baseline_upper"]) == (base.lower, base.upper)
    for row, choice in zip(data["schedules"], rows[1:], strict=True):
        assert (row["loss_lower"], row["loss_upper"]) == (choice.lower, choice.upper)
        assert (row["lower"], row["upper"]) == (choice.lower, choice.upper)  # one release
        assert row["loss_lower"] < row["loss"] < row["loss_upper"]
        assert list(row)[:3] == ["spec", "loss", "loss_lower"]
        assert row == choice.to_dict()


def test_a_schedule_choice_without_intervals_writes_nan_strings(fit_file: Path) -> None:
    bare = replace(CurveFit.load(fit_file), samples=None)  # a point fit: no interval
    row = compare_schedules(bare, steps=3000, schedules="wsd:0.2")[0].to_dict()
    assert row["loss_lower"] == row["lower"] == "nan" and row["gain_upper"] == "nan"
    json.dumps(row, allow_nan=False)  # strict JSON
