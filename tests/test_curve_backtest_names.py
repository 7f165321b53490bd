"""A curve backtest names its errors as a loss backtest does: ``mean_are`` and ``max_are``
(``CurveBacktest`` and ``curves backtest --json``); the old names ``mean_error`` and
``worst_error`` are kept one release (keys beside, attributes with a DeprecationWarning)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main
from scalinglab.curves import Tissue, backtest_curves, parse_schedule

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = {
    "cos": "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "con": "constant:peak=3e-4,warmup=200,steps=3000",
    "ms": "multistep:peak=3e-4,warmup=200,at=1500,lr=9e-5,steps=3000",
    "wsd": "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
}
STEPS = np.arange(200, 3000, 50)
#: The held-out curve's loss is the law's times 1 + OFF: off by a known relative error.
OFF = np.linspace(0.01, 0.05, len(STEPS))


def _curves() -> pd.DataFrame:
    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    parts = []
    for run, spec in SPECS.items():
        s = parse_schedule(spec)
        loss = law.evaluate(p, law.prepare([s], [STEPS]), jacobian=False)[0][0]
        if run == "wsd":
            loss = loss * (1 + OFF)
        parts.append(pd.DataFrame({"run": run, "step": STEPS, "lr": s.lr[STEPS], "loss": loss}))
    return pd.concat(parts, ignore_index=True)


#: What the errors must be: the fit on the noise-free curves recovers the law, so its
#: prediction misses the held-out loss by OFF / (1 + OFF) of it at each point.
MEAN_ARE = float(np.mean(OFF / (1 + OFF)))
MAX_ARE = float(np.max(OFF / (1 + OFF)))


def test_curve_backtest_errors_are_mean_are_and_max_are(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bt = backtest_curves(_curves(), train=["cos", "con", "ms"], law="tissue", warmup=200)
    assert bt.held_out_runs == ("wsd",)
    assert bt.mean_are[0] == pytest.approx(MEAN_ARE, abs=1e-4)  # 2.9%, to the law's fit
    assert bt.max_are[0] == pytest.approx(MAX_ARE, abs=1e-4)  # 4.8%
    written = bt.to_dict()
    row = written["held_out"][0]
    assert (row["mean_are"], row["max_are"]) == (bt.mean_are[0], bt.max_are[0])
    assert (written["mean_are"], written["max_are"], written["mean_max_are"]) == (
        bt.mean_are[0], bt.max_are[0], bt.max_are[0])  # fmt: skip
    # the old keys, beside the new ones for one release, hold the same numbers
    assert (row["mean_error"], row["worst_error"]) == (row["mean_are"], row["max_are"])
    assert [written[k] for k in ("mean_error", "worst_error", "mean_worst_error")] == [
        written[k] for k in ("mean_are", "max_are", "mean_max_are")]  # fmt: skip
    # and the old attributes, with a warning naming the new one
    with pytest.warns(
        DeprecationWarning, match=r"CurveBacktest.mean_error .* CurveBacktest.mean_are"
    ):
        assert bt.mean_error == bt.mean_are  # type: ignore[deprecated]
    with pytest.warns(
        DeprecationWarning, match=r"CurveBacktest.worst_error .* CurveBacktest.max_are"
    ):
        assert bt.worst_error == bt.max_are  # type: ignore[deprecated]


def test_curves_backtest_json_says_mean_are_and_max_are(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "curves.csv"
    _curves().to_csv(path, index=False)
    argv = ["curves", "backtest", str(path), "--train", "cos,con,ms", "--law", "tissue",
            "--warmup", "200", "--json"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["held_out"][0]["mean_are"] == pytest.approx(MEAN_ARE, abs=1e-4)
    assert data["held_out"][0]["max_are"] == pytest.approx(MAX_ARE, abs=1e-4)
    assert data["mean_are"] == data["mean_error"] and data["max_are"] == data["worst_error"]
