"""``scalinglab report``'s loss-law page: the fit's warnings are said in "Fitted law" (with a
warning status) and on stderr, as ``scalinglab fit`` says them, and not again as the
backtest's "warning: fit: ..." notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED
from tests.test_report_pages import _text

from scalinglab.cli import main

OVERTRAINING = SHARED / "overtraining" / "models.dev.csv"
DATASETS = "the runs span 3 values of 'dataset' (c4_original, rpj, rw_original), fitted as one"


@pytest.mark.skipif(not OVERTRAINING.exists(), reason=f"{OVERTRAINING} not found")
def test_fit_warnings_are_in_fitted_law_and_on_stderr_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "p.html"
    args = ["report", str(OVERTRAINING), "--y", "loss=loss_c4_val", "--bootstrap", "20"]
    assert main([*args, "--out", str(out)]) == 0
    _, err = capsys.readouterr()
    assert f"warning: {DATASETS}" in " ".join(err.split())
    page = out.read_text(encoding="utf-8")
    fitted = _text(page, "fit")
    assert f"warning: {DATASETS}" in fitted
    assert "<p class='status warn'>Status: converged" in page
    backtest = _text(page, "backtest")  # the backtest ran, and does not repeat it
    assert "median absolute relative error" in backtest and DATASETS not in backtest
    assert DATASETS in _text(page, "card")  # the card's "warnings" item counts it still
