"""``curves backtest`` draws the progress of its fit and of the ``--bootstrap`` behind its
``--plot``'s bands on a terminal, as ``curves fit`` does (seconds of resamples without a
word before); :func:`backtest_curves` takes ``progress=`` as :func:`fit_curves` does."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab.cli import _cmd_curves_backtest as command
from scalinglab.cli import main
from scalinglab.curves import Tissue, backtest_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
TRAIN = ["run0", "run1", "run2"]


def _curves():  # type: ignore[no-untyped-def]
    return _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=6, every=50)


def test_backtest_curves_reports_its_fit_and_resamples() -> None:
    heard: list[tuple[str, int, int]] = []
    bt = backtest_curves(
        _curves(),
        train=TRAIN,
        law="tissue",
        bootstrap=4,
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )
    assert bt.held_out_runs == ("run3",)
    stages = {s for s, _, _ in heard}
    assert {"fit", "bootstrap"} <= stages
    assert ("bootstrap", 4, 4) in heard  # every resample counted, to the last


def test_the_command_draws_bars_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write_curves(tmp_path / "c.csv", _curves())
    drawn = StringIO()
    terminal = Console(file=drawn, force_terminal=True, width=100)
    monkeypatch.setattr(command, "stderr_console", lambda: terminal)
    args = ["curves", "backtest", path, "--train", ",".join(TRAIN), "--law", "tissue"]
    code = main([*args, "--bootstrap", "4", "--plot", str(tmp_path / "bt.svg")])
    capsys.readouterr()
    assert code == 0
    assert "fit: all starts" in drawn.getvalue() and "bootstrap" in drawn.getvalue()
