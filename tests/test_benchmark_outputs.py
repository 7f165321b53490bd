"""What the benchmark scripts print says what each figure is (benchmarks/*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def benchmarks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmarks' folder on the path, as they run (``python benchmarks/x.py``)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_backtest_ratio_is_a_labelled_accuracy_column(capsys: pytest.CaptureFixture[str]) -> None:
    from backtest_accuracy import Tally, report

    ours = Tally(are=[0.01, 0.02, 0.03], seconds=3.0, fits=2)
    boot = Tally(are=[0.01, 0.02, 0.03], seconds=3.0, fits=2)
    other = Tally(are=[0.02, 0.03, 0.04], seconds=0.4, fits=2)
    report("t", {"scalinglab": ours, "bootstrap only": boot, "curve_fit": other})
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].endswith("|    s/fit | median ARE / scalinglab's")
    assert lines[3].endswith("|      1.5 | —")
    assert lines[4].endswith("| same fit | 1.00")  # bootstrap only: scalinglab's own fits
    assert lines[5].endswith("|      0.2 | 1.50")  # 3% / 2%: accuracy, not speed
    assert "×" not in "".join(lines)
