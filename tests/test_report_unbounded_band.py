"""The report's captions say what band a figure draws: where the calibrated interval at the
level asked is unbounded (its backtests calibrate lower levels only), no band or bar is
drawn, and the caption says so and why, not "with its 90% backtest-calibrated prediction
interval"."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from _cli import cli
from _grid_runs import grid_runs


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.heavy
def test_an_unbounded_interval_is_said_in_the_captions_not_named_as_drawn(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs, out = tmp_path / "runs.csv", tmp_path / "r.html"
    grid_runs().to_csv(runs, index=False)
    args = ["report", str(runs), "--y", "final_val_loss", "--law", "auto", "--level", "0.99"]
    code, _, err = cli(capsys, *args, "--bootstrap", "40", "--out", str(out))
    assert code == 0, err
    text = _text(out.read_text(encoding="utf-8"))
    # the fit's 99%: 21 residuals from 3 cuts calibrate up to 92.3%
    assert (
        "(line), without a band: its 99% backtest-calibrated prediction interval for one run is "
        "unbounded (21 backtest residuals from 3 cuts calibrate levels up to 92.3%, no higher; a "
        "lower level draws one); beyond the largest run"
    ) in text
    assert "with its 99% backtest-calibrated prediction interval for one run" not in text
    # the backtest fit's 90% (27 runs: 2 cuts counted) is unbounded: no bars drawn
    assert (
        "and the line predicted = actual; no bars: the backtest fit's 90% backtest-calibrated "
        "prediction interval is unbounded (11 backtest residuals from 2 cuts calibrate levels "
        "up to 88.8%, no higher). Right:"
    ) in text
    assert "prediction interval as a bar" not in text
