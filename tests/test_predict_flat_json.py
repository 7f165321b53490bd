"""``predict --json`` writes its estimate as ``plan --json`` does: ``loss``, ``loss_lower``,
``loss_upper`` with ``level``; the old ``lower`` and ``upper`` stay beside them for one
release, holding the same numbers. A ladder's top-rung prediction (``ladder run --json``,
the stored record) likewise, and a record written before still reads back."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab
from scalinglab.execute import TopPrediction


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("flat") / "fit.json"
    scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=20).save(path)
    return path


def test_one_point_has_loss_lower_and_upper_beside_the_old_keys(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    args = ("predict", "--fit", str(fit_file), "--params", "7B", "--tokens", "140B", "--json")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    data = json.loads(out)
    want = scalinglab.FitResult.load(fit_file).predict(params=7e9, tokens=1.4e11)
    assert (data["loss_lower"], data["loss_upper"]) == (want.lower.item(), want.upper.item())
    assert (data["lower"], data["upper"]) == (data["loss_lower"], data["loss_upper"])
    assert data["loss_lower"] < data["loss"] < data["loss_upper"] and data["level"] == 0.9
    keys = list(data)
    assert keys[keys.index("loss") : keys.index("loss") + 3] == ["loss", "loss_lower", "loss_upper"]


def test_several_points_each_have_them(capsys: pytest.CaptureFixture[str], fit_file: Path) -> None:
    args = ("predict", "--fit", str(fit_file), "--params", "1B,7B", "--tokens", "140B", "--json")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    points = json.loads(out)["points"]
    want = scalinglab.FitResult.load(fit_file).predict(params=[1e9, 7e9], tokens=1.4e11)
    assert [(p["loss_lower"], p["loss_upper"]) for p in points] == list(
        zip(want.lower.tolist(), want.upper.tolist(), strict=True)
    )
    assert all((p["lower"], p["upper"]) == (p["loss_lower"], p["loss_upper"]) for p in points)


def _top(lower: float = 1.9, upper: float = 2.2) -> TopPrediction:
    return TopPrediction(rung="t", law="power-law:flops", why="w", runs=("a", "b", "c"),
                         params=1e6, tokens=2e7, flops=1.2e14, loss=2.0, lower=lower,
                         upper=upper, level=0.9)  # fmt: skip


def test_a_top_rung_prediction_writes_loss_lower_and_upper() -> None:
    data = _top().to_dict()
    assert (data["loss"], data["loss_lower"], data["loss_upper"]) == (2.0, 1.9, 2.2)
    assert (data["lower"], data["upper"]) == (1.9, 2.2)  # kept one release
    assert TopPrediction.from_dict(data) == _top()


def test_a_top_rung_record_written_before_reads_its_lower_and_upper() -> None:
    old = {k: v for k, v in _top().to_dict().items() if k not in ("loss_lower", "loss_upper")}
    assert TopPrediction.from_dict(old) == _top()
    # the new keys win where both are there (a record of this release)
    both = _top().to_dict() | {"lower": 0.0, "upper": 9.0}
    assert (TopPrediction.from_dict(both).lower, TopPrediction.from_dict(both).upper) == (1.9, 2.2)
    bare = TopPrediction.from_dict(_top(math.nan, math.nan).to_dict())
    assert math.isnan(bare.lower) and not bare.has_interval
