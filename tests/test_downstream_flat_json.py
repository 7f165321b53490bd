"""``downstream predict --json`` writes each task's accuracy as ``plan --json`` writes an
estimate (``accuracy``, ``accuracy_lower``, ``accuracy_upper``, with ``level``) and several
models as a list ``points``, as ``predict`` does; ``loss2loss predict --json`` writes
``loss_y``, ``loss_y_lower``, ``loss_y_upper``. The old keys (``lower``, ``upper``,
``predictions``) stay beside them for one release, holding the same values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._cli import cli
from tests.test_downstream_average import models as three_tasks
from tests.test_loss2loss_coverage import synthetic_runs

from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A chain of three tasks and their average (Gadre et al.'s law), 40 resamples."""
    folder = tmp_path_factory.mktemp("ds_flat")
    path, out = folder / "three.csv", folder / "ds.json"
    three_tasks(np.random.default_rng(5)).to_csv(path, index=False)
    assert main(["downstream", "fit", str(path), "--tasks", "all", "--task-law", "exp-error",
                 "--law", "chinchilla", "--bootstrap", "40", "--out", str(out)]) == 0  # fmt: skip
    return out


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_each_task_has_accuracy_lower_and_upper(
    capsys: pytest.CaptureFixture[str], chain: Path
) -> None:
    data = _json(capsys, "downstream", "predict", "--fit", str(chain), "--params", "800M",
                 "--tokens", "16B", "--level", "0.8")  # fmt: skip
    want = DownstreamFit.load(chain).predict(params=8e8, tokens=1.6e10, level=0.8)
    entries = {**data["tasks"], "average": data["average"]}
    flat = entries.pop("flat")  # at chance: no number, and no interval
    assert flat["reason"] and flat["accuracy_lower"] == flat["lower"] == "nan"
    assert set(entries) == {"t1", "t2", "t3", "average"}
    for name, entry in entries.items():
        p = want[name]
        assert (entry["accuracy_lower"], entry["accuracy_upper"]) == (p.lower, p.upper), name
        assert (entry["lower"], entry["upper"]) == (p.lower, p.upper)  # kept one release
        assert entry["accuracy_lower"] < entry["accuracy"] < entry["accuracy_upper"]
        assert entry["level"] == 0.8
        keys = list(entry)
        assert keys[1:4] == ["accuracy", "accuracy_lower", "accuracy_upper"]
    assert data["average"]["members"] == ["t1", "t2", "t3"]
    assert data["tasks"]["t1"] == want["t1"].to_dict()


def test_several_models_are_points_as_predict_lists_them(
    capsys: pytest.CaptureFixture[str], chain: Path
) -> None:
    base = ("downstream", "predict", "--fit", str(chain))
    many = _json(capsys, *base, "--params", "400M,800M", "--tokens", "8B,16B")
    assert "points" in many and many["predictions"] == many["points"]  # old key, one release
    assert [(m["params"], m["tokens"]) for m in many["points"]] == [(4e8, 8e9), (8e8, 1.6e10)]
    one = _json(capsys, *base, "--params", "800M", "--tokens", "16B")
    assert "points" not in one and "predictions" not in one  # one model: flat, as predict
    assert many["points"][1] == {k: v for k, v in one.items() if k not in ("format", "source")}
    assert many["source"] == one["source"]  # the chain's, once for every model


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_loss2loss_predict_has_loss_y_lower_and_upper(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs, fit = tmp_path / "runs.csv", tmp_path / "l2l.json"
    synthetic_runs(0).to_csv(runs, index=False)
    assert main(["loss2loss", "fit", str(runs), "--x", "loss", "--y", "loss_other",
                 "--bootstrap", "40", "--out", str(fit)]) == 0  # fmt: skip
    data = _json(capsys, "loss2loss", "predict", "--fit", str(fit), "--loss", "3.0,3.3")
    from scalinglab.downstream import LossToLossFit

    want = LossToLossFit.load(fit).predict([3.0, 3.3])["all"]
    p = data["predictions"]["all"]
    assert p["loss_y_lower"] == want.lower.tolist() and p["loss_y_upper"] == want.upper.tolist()
    assert (p["lower"], p["upper"]) == (p["loss_y_lower"], p["loss_y_upper"])
    assert all(lo < y < hi for lo, y, hi in zip(p["loss_y_lower"], p["loss_y"],
                                                p["loss_y_upper"], strict=True))  # fmt: skip
    assert list(p)[:4] == ["loss_x", "loss_y", "loss_y_lower", "loss_y_upper"]
