"""A curve fit's resamples do not depend on the order its curves are given in: the same
seed draws the same curves (by run name) for a folder read in its order or the files given
one by one in another, so the intervals are the same."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import fit_curves
from scalinglab.curves import Tissue


@pytest.mark.parametrize(("resample", "n"), [("curves", 4), ("wild-jackknife", 3), ("bayesian", 4)])
def test_permuted_curves_give_the_same_intervals(resample: str, n: int) -> None:
    curves = _synthetic(Tissue(), TISSUE, SPECS[:n], noise=2e-3, seed=3)
    kw = {"law": "tissue", "bootstrap": 30, "seed": 5, "resample": resample}
    given = fit_curves(curves, **kw)  # type: ignore[arg-type]
    shuffled = fit_curves(curves[::-1], **kw)  # type: ignore[arg-type]
    assert given.resample == resample
    for name, (lo, hi) in given.intervals.items():
        assert shuffled.intervals[name] == pytest.approx((lo, hi), rel=1e-6), name
    # each run keeps its own weight in each resample, whatever its column
    back = [list(shuffled.runs).index(r) for r in given.runs]
    assert given.curve_weights is not None and shuffled.curve_weights is not None
    np.testing.assert_allclose(shuffled.curve_weights[:, back], given.curve_weights)
