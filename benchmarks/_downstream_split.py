"""downstream_accuracy's split and scoring, shared by every section: the over-trained models,
fit below the 411.6M cut, 90% intervals, coverage shown by one rule.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from scalinglab.validate._score import coverage_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "overtraining"
CUT = 4e8  # fit below, predict above: 411.6M
LEVEL = 0.9


def cover(marks: np.ndarray, spec: str = ".0%") -> str:
    """The coverage of :func:`covered`'s ``marks`` (one rule: an unbounded or NaN interval
    is not scored, never a hit), "—" where none is, and ``k of n`` where some were not."""
    value, k = coverage_of(marks)
    text = "—" if math.isnan(value) else f"{value:{spec}}"
    return text if k == np.size(marks) else f"{text} ({k} of {np.size(marks)})"
