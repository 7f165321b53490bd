"""The note of a fit of fewer than 5 curves says the measured figures behind its resampling
itself: it pointed to benchmarks/RESULTS.md, a file of the repository that an installed
user does not have."""

from __future__ import annotations

from tests.test_curves import SPECS, _synthetic

from scalinglab.curves import Tissue, fit_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
NOTE = (
    "intervals from a wild bootstrap of the 3 curves, each curve's residuals from the fit "
    "without it: with fewer than 5 curves, whole-curve resamples fit one schedule alone (one "
    "in nine with 3 curves); on synthetic 3-curve fits this made the 90% intervals of a "
    "held-out loss 3.6 and 7.8 times narrower for the multi-power and Tissue laws, both "
    "covering 93%"
)


def test_the_wild_jackknife_note_says_its_figures() -> None:
    curves = _synthetic(Tissue(), TRUTH, SPECS[:3], noise=2e-3, seed=3)
    fit = fit_curves(curves, law="tissue", bootstrap=4, seed=0)
    assert NOTE in fit.notes
    assert not [n for n in fit.notes if "benchmarks/" in n or "RESULTS" in n]


def test_fit_curves_docstring_states_its_figures() -> None:
    """Its ``resample=`` text cited benchmarks/RESULTS.md three times; it states the figures."""
    doc = fit_curves.__doc__ or ""
    assert "benchmarks/" not in doc and "RESULTS" not in doc
    said = " ".join(doc.split())
    assert "3.6 and 7.8 times narrower than theirs for the multi-power and Tissue laws" in said
    assert "down to 75-78% for the multi-power law's C, gamma and held-out loss)" in said
    assert "57-77% at 90% for Tissue and the power law in S1)" in said
