"""A curve fit's bootstrap says which curves each resample drew (``CurveFit.curve_weights``),
so that a fit of what it predicts can draw the same ones (``fit --from-curves``)."""

from __future__ import annotations

import json

import numpy as np
from tests.test_curves import _synthetic

from scalinglab.curves import CurveFit, Tissue, fit_curves
from scalinglab.curves._fit import fit_law_to_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = (
    "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "constant:peak=3e-4,warmup=200,steps=3000",
    "multistep:peak=3e-4,warmup=200,at=1500,lr=9e-5,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
    "cosine:peak=3e-4,end=3e-5,warmup=200,steps=2000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=2000",
)


def test_curve_weights_are_the_curves_each_resample_refitted(tmp_path):  # type: ignore[no-untyped-def]
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=2e-3, seed=1, every=50)
    result = fit_curves(curves, law="tissue", bootstrap=12, seed=3)
    assert result.resample == "curves" and result.samples is not None
    w = result.curve_weights
    assert w is not None and w.shape == (len(result.samples), len(curves))
    assert np.array_equal(w, np.round(w)) and np.all(w.sum(axis=1) == len(curves))
    # independent check: the fit of the curves repeated as often as drawn is that resample's
    for b in (0, 5):
        drawn = [c for c, k in zip(curves, w[b].astype(int), strict=True) for _ in range(k)]
        _, alone = fit_law_to_curves("tissue", drawn)
        np.testing.assert_allclose(alone.params, result.samples[b], rtol=2e-4)
    path = tmp_path / "curve.json"
    result.save(path)
    again = CurveFit.load(path)
    assert again.curve_weights is not None and np.array_equal(again.curve_weights, w)


def test_a_wild_resample_keeps_every_curve_once():  # type: ignore[no-untyped-def]
    curves = _synthetic(Tissue(), TRUTH, SPECS[:3], noise=2e-3, seed=1, every=50)
    result = fit_curves(curves, law="tissue", bootstrap=8, seed=0)
    assert result.resample == "wild-jackknife" and result.curve_weights is not None
    assert np.all(result.curve_weights == 1.0)
    assert fit_curves(curves, law="tissue", bootstrap=0).curve_weights is None


def test_older_curve_files_have_no_curve_weights(tmp_path):  # type: ignore[no-untyped-def]
    curves = _synthetic(Tissue(), TRUTH, SPECS[:3], noise=2e-3, seed=1, every=50)
    path = tmp_path / "old.json"
    fit_curves(curves, law="tissue", bootstrap=4).save(path)
    d = json.loads(path.read_text())
    del d["curve_weights"]  # as files written before it was recorded
    path.write_text(json.dumps(d))
    assert CurveFit.load(path).curve_weights is None
    assert CurveFit.load(path).samples is not None
