"""``backtest`` (rolling by default) on runs fitted at one scale: refused before any fit, in
the command line's words, saying what the runs' sizes are and offering only what can give
the rolling steps more scales (--no-rolling always; --fit-on, --holdout where the runs they
would add lie at other scales), not rolling_backtest's hint 'pass min_scales=1 or fewer', an
option the command line has not, nor 'hold out fewer runs' where that cannot help."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import ConfigError, rolling_backtest
from scalinglab.data import read_runs

NO_ROLLING = "hint: pass --no-rolling (the backtest itself does not need scales)"


def _isoflops(tmp_path: Path, budgets: tuple[float, ...] = (1e17,)) -> Path:
    """Seven runs on each isoflop (C = 6·budget: one scale each) and one far above them."""
    n = np.array([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8, 6.4e8])
    params = np.append(np.tile(n, len(budgets)), 1e9)
    tokens = np.append(np.concatenate([c / n for c in budgets]), 1e10)
    path = tmp_path / "runs.csv"
    loss = 1.7 + 400 / params**0.34 + 410 / tokens**0.28
    pd.DataFrame({"params": params, "tokens": tokens, "loss": loss}).to_csv(path, index=False)
    return path


def test_cli_names_what_the_command_line_can_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_isoflops(tmp_path))
    args = ["backtest", path, "--law", "overtraining", "--holdout", "largest:1"]
    code, out, err = cli(capsys, *args, "--bootstrap", "0")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: --rolling (the default) fits its first step on the smallest 2 scales "
        "(min_scales=2 in Python), and the 7 runs fitted (held out: the largest run by "
        "flops) lie at one scale of flops: all at 6e17",
        NO_ROLLING,  # was "hold out fewer runs" too: one run held out cannot be fewer
    ]  # was: "... have 1 distinct scale of flops", read as one flops value
    code, _, err = cli(capsys, *args, "--fit-on", "flops<=1e18", "--bootstrap", "0")
    assert code == 2 and err.splitlines()[-1] == NO_ROLLING  # no run it could add
    code, _, _ = cli(capsys, *args, "--bootstrap", "0", "--no-rolling")
    assert code == 0  # what the hint says works


def test_cli_offers_the_rules_that_can_add_scales(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_isoflops(tmp_path, budgets=(1e17, 1e18)))
    args = ["backtest", path, "--law", "overtraining", "--bootstrap", "0"]
    code, _, err = cli(capsys, *args, "--holdout", "largest:1", "--fit-on", "flops<=1e18")
    assert code == 2 and err.splitlines()[-1] == (
        "hint: pass --no-rolling (the backtest itself does not need scales), or fit on runs at "
        "more scales with --fit-on (fit_on= in Python)"
    )
    code, _, _ = cli(capsys, *args, "--holdout", "largest:1", "--fit-on", "flops<=1e19")
    assert code == 0  # the rule the hint names, widened, works
    code, _, err = cli(capsys, *args, "--holdout", "flops>=1e18")
    assert code == 2 and err.splitlines()[-1] == (
        "hint: pass --no-rolling (the backtest itself does not need scales), or hold out fewer "
        "runs with --holdout (holdout= in Python)"
    )
    code, _, _ = cli(capsys, *args, "--holdout", "largest:1")
    assert code == 0


def test_cli_refuses_before_the_fits(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Runs of one model size at one scale: the law of N cannot be fitted to them, and the
    rolling refusal comes first (it came after the fits, 9-12 s on 4,500 runs)."""
    tokens = np.append(1e9 * np.linspace(1, 1.2, 7), 1e11)
    loss = 1.7 + 410 / tokens**0.28 + 400 / 1e8**0.34
    path = tmp_path / "one_size.csv"
    pd.DataFrame({"params": 1e8, "tokens": tokens, "loss": loss}).to_csv(path, index=False)
    args = ["backtest", str(path), "--law", "E + A*N**-alpha", "--holdout", "largest:1"]
    code, _, err = cli(capsys, *args, "--bootstrap", "0")
    assert code == 2 and err.splitlines() == [
        "error: --rolling (the default) fits its first step on the smallest 2 scales "
        "(min_scales=2 in Python), and the 7 runs fitted (held out: the largest run by "
        "flops) lie at one scale of flops: 6e17 to 7.2e17, each within 0.05 decades of the next",
        NO_ROLLING,
    ]
    code, _, err = cli(capsys, *args, "--bootstrap", "0", "--no-rolling")
    assert code == 2 and "cannot fit how the loss depends on N" in err  # the fit's own error


def test_python_still_names_min_scales(tmp_path: Path) -> None:
    runs = read_runs(_isoflops(tmp_path))
    with pytest.raises(ConfigError) as err:
        rolling_backtest(runs, law="overtraining", holdout="largest:1", bootstrap=0)
    assert err.value.hint == "pass min_scales=1 or fewer, or hold out fewer runs"
