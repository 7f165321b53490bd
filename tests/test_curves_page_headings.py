"""The curves page's section has its own heading, saying what it holds, not the page's
title again: the page read "Loss curves across schedules" twice, as its title and as its
only section's heading (the hyperparameter page heads its sections "Located optima",
"Laws across cells" under its title)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_curves import SPECS, _synthetic

from scalinglab.curves import Tissue, backtest_curves
from scalinglab.curves._report import write_curves_report

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


def test_no_section_repeats_the_page_title(tmp_path: Path) -> None:
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=7, every=50)
    bt = backtest_curves(curves, train=["run0", "run1", "run2"], law="tissue")
    text = write_curves_report(bt, curves, tmp_path / "curves.html").read_text()
    (title,) = re.findall(r"<h1>([^<]+)</h1>", text)
    headings = re.findall(r"<h2>([^<]+)</h2>", text)
    assert title == "Loss curves across schedules"
    assert headings == ["Curve law and held-out schedules", "Reproduce"]
    # the contents list the sections by their headings
    assert re.findall(r"<li><a href='#[^']+'>([^<]+)</a></li>", text) == headings
