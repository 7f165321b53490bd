"""Tissue's annealing momentum in NumPy (curves/_laws.py: ``_momentum``) is the recursive
filter ``scipy.signal.lfilter`` computed, which curves no longer import (a second of start-up)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from tests.conftest import SHARED

from scalinglab.curves import Tissue, read_lr_curves
from scalinglab.curves._laws import _momentum

LR = SHARED / "lr-schedules"


def _loop(d: np.ndarray, lam: float) -> np.ndarray:
    """The recursion itself, one step at a time."""
    m, prev = np.empty_like(d), 0.0
    for i, x in enumerate(d):
        prev = lam * prev + x
        m[i] = prev
    return m


@pytest.mark.parametrize("lam", [0.999, 0.9999, 0.99, 0.9, 0.5, 0.0, -0.7, 1.0, 1.001])
def test_momentum_is_the_recursion(lam: float) -> None:
    d = np.random.default_rng(0).normal(size=3000) * 1e-5
    got = _momentum(d, lam)
    for want in (_loop(d, lam), scipy.signal.lfilter([1.0], [1.0, -lam], d)):
        assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(want))


def test_momentum_of_no_steps_and_one() -> None:
    assert _momentum(np.zeros(0), 0.999).shape == (0,)
    assert _momentum(np.array([2.0]), 0.999).tolist() == [2.0]


@pytest.mark.skipif(not LR.exists(), reason=f"shared lr-schedule curves not found at {LR}")
def test_tissue_features_of_the_shared_curves_match_lfilter() -> None:
    """S2 of every shared curve, to 1e-12 of its largest value, as lfilter made it."""
    law = Tissue()
    curves = read_lr_curves(LR)
    assert len(curves) == 18
    for c in curves:
        s, steps = c.schedule, np.asarray(c.step)
        d = np.zeros(s.steps)
        d[s.warmup + 1 :] = s.lr[s.warmup : -1] - s.lr[s.warmup + 1 :]
        want = np.cumsum(scipy.signal.lfilter([1.0], [1.0, -law.lam], d))[steps]
        got = law.prepare([s], [steps])["s2"]
        assert np.max(np.abs(got - want)) <= 1e-12 * max(np.max(np.abs(want)), 1e-300), c.run
