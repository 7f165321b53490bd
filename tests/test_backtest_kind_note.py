"""``backtest --level``: the note on the kind of interval is true at the levels scored. The
over-training fit's backtests calibrate levels up to 88.8%, so its own 90% interval is
unbounded; at ``--level 0.999`` that 90% is not scored and the note no longer speaks of it
(the coverage note says why 99.9% is unbounded)."""

from __future__ import annotations

import pytest

from scalinglab import backtest, bundled_runs
from scalinglab.validate import Backtest

WHY_90 = "the 90% interval is unbounded: 11 backtest residuals from 2 cuts"


def _kind(bt: Backtest) -> str:
    (note,) = [n for n in bt.notes if n.startswith("prediction intervals: ")]
    return note


@pytest.mark.parametrize("level", [(0.999,), (0.5, 0.8)])
def test_the_kind_note_speaks_of_no_level_not_scored(level: tuple[float, ...]) -> None:
    bt = backtest(bundled_runs(), law="overtraining", bootstrap=20, level=level)
    assert bt.fit.level == 0.9 and WHY_90 in bt.fit.interval_note  # the fit's own words
    kind = _kind(bt)
    assert kind.startswith("prediction intervals: backtest-calibrated (2 rolling-origin cuts")
    assert "90%" not in kind and not any("90%" in n for n in bt.notes)  # was: WHY_90
    if level == (0.999,):  # why 99.9% is unbounded: in its coverage note
        (cov,) = [n for n in bt.notes if n.startswith("coverage: in 99.9%")]
        assert "the 99.9% interval is unbounded: 11 backtest residuals" in cov


def test_the_kind_note_keeps_why_where_the_fit_s_level_is_scored() -> None:
    bt = backtest(bundled_runs(), law="overtraining", bootstrap=20)  # 50%, 80%, 90%
    assert _kind(bt).endswith(f"; {bt.fit.extrapolation.level_note(0.9)}")  # type: ignore[union-attr]
    assert WHY_90 in _kind(bt)
    (cov,) = [n for n in bt.notes if n.startswith("coverage: in 90%")]
    assert WHY_90 not in cov  # said once, in the kind note
