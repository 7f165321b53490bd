"""A sweep with its own FLOPs column: the report draws the laws, and the backtest predicts
and scores, at the C the fit used (the column), not at 6·N·D."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import backtest_hparams, fit_hparams, read_sweep
from scalinglab.laws import get_law
from scalinglab.report._hparams_report import hparams_figures


def _seven(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["flops"] = 7.0 * out["params"] * out["tokens"]
    return out


def test_the_report_marks_and_draws_the_laws_at_the_sweeps_flops() -> None:
    data = read_sweep(_seven(sweep(3)), seq_len=SEQ_LEN)
    hp = fit_hparams(data, law="compute", bootstrap=0)
    maps, laws = hparams_figures(hp, data)

    cell = hp.cells[0]
    n, d = cell.keys["params"], cell.keys["tokens"]
    (circle,) = [line for line in maps.figure.axes[0].get_lines() if line.get_marker() == "o"]
    want = hp.lr_law.predict(params=n, tokens=d, flops=7.0 * n * d)[0]
    assert circle.get_xdata()[0] == pytest.approx(want, rel=1e-12)
    # at 6·N·D the marker would sit (6/7)^alpha off: the test tells the two apart
    assert hp.lr_law.predict(params=n, tokens=d, flops=6.0 * n * d)[0] != pytest.approx(want)

    f = get_law(hp.lr_law.formula)
    for ax, axis in zip(laws.figure.axes[:2], ("params", "tokens"), strict=True):
        lines = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
        assert lines
        for line in lines:
            grid, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
            other = "tokens" if axis == "params" else "params"
            # one line per value of the other variable: exactly one matches at C = 7·N·D
            fixed = {c.keys[other] for c in hp.cells}
            hits = [
                g
                for g in fixed
                if np.allclose(y, f.evaluate(dict(hp.lr_law.coefs), _at(axis, grid, other, g)))
            ]
            assert len(hits) == 1, (axis, sorted(fixed))


def _at(axis: str, grid: np.ndarray, other: str, g: float) -> dict[str, np.ndarray]:
    where = {axis: grid, other: np.full_like(grid, g)}
    where["flops"] = 7.0 * where["params"] * where["tokens"]
    return where


def test_backtest_predicts_and_scores_at_the_sweeps_flops() -> None:
    frame = sweep(3)
    # an exact count that is not a constant multiple of N·D: attention's share falls with N
    frame["flops"] = 6.0 * frame["params"] * frame["tokens"] * (1.0 + 2e8 / frame["params"])
    bt = backtest_hparams(frame, seq_len=SEQ_LEN, law="compute", presets=("deepseek2024",))
    held = [s for s in bt.held_out if s.method == "deepseek2024"]
    assert held
    for s in held:
        c = 6.0 * s.params * s.tokens * (1.0 + 2e8 / s.params)
        assert s.lr == pytest.approx(0.3118 * c**-0.1250, rel=1e-12)

    # the fitted method: as fit_hparams on the training cells, predicting at the column's C
    big = frame["params"].max()
    hp = fit_hparams(frame[frame["params"] < big], seq_len=SEQ_LEN, law="compute", bootstrap=0)
    for s in (s for s in bt.held_out if s.method == "scalinglab"):
        c = 6.0 * s.params * s.tokens * (1.0 + 2e8 / s.params)
        assert s.lr == pytest.approx(hp.predict(params=s.params, tokens=s.tokens, flops=c).lr)
