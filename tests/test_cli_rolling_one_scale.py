"""``backtest`` (rolling by default) on runs fitted at one scale: refused in
the command line's words (hold out fewer runs, --no-rolling), not with rolling_backtest's
hint 'pass min_scales=1 or fewer', an option the command line has not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import ConfigError, rolling_backtest
from scalinglab.data import read_runs


def _one_isoflop(tmp_path: Path) -> Path:
    """Seven runs on one isoflop (C = 6e17: one scale) and one far above it."""
    n = np.array([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8, 6.4e8, 1e9])
    d = np.append(1e17 / n[:-1], 1e10)
    path = tmp_path / "runs.csv"
    loss = 1.7 + 400 / n**0.34 + 410 / d**0.28
    pd.DataFrame({"params": n, "tokens": d, "loss": loss}).to_csv(path, index=False)
    return path


def test_cli_names_what_the_command_line_can_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_one_isoflop(tmp_path))
    args = ["backtest", path, "--law", "overtraining", "--holdout", "largest:1"]
    code, out, err = cli(capsys, *args, "--bootstrap", "0")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: --rolling (the default) fits its first step on the smallest 2 scales "
        "(min_scales=2 in Python), and the 7 runs fitted (held out: the largest run by "
        "flops) have 1 distinct scale of flops",
        "hint: hold out fewer runs with --holdout (holdout= in Python), or pass --no-rolling",
    ]  # was: "rolling_backtest(min_scales=2): ..." / "hint: pass min_scales=1 or fewer, ..."
    code, _, err = cli(capsys, *args, "--fit-on", "flops<=1e18", "--bootstrap", "0")
    assert code == 2 and err.splitlines()[-1] == (
        "hint: hold out fewer runs with --holdout (holdout= in Python), fit on more with "
        "--fit-on (fit_on= in Python), or pass --no-rolling"
    )
    code, _, _ = cli(capsys, *args, "--bootstrap", "0", "--no-rolling")
    assert code == 0  # what the hint says works


def test_python_still_names_min_scales(tmp_path: Path) -> None:
    runs = read_runs(_one_isoflop(tmp_path))
    with pytest.raises(ConfigError) as err:
        rolling_backtest(runs, law="overtraining", holdout="largest:1", bootstrap=0)
    assert err.value.hint == "pass min_scales=1 or fewer, or hold out fewer runs"
