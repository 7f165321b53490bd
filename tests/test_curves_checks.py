"""What a curve fit refuses, warns of and fills in: a law across sizes on one size, sizes
its resamples lose, too few resamples, coefficients at bounds, and schedule defaults taken
from the fitted curves (the command line: tests/test_cli_curves_checks.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_diagnostics import _tissue_curves
from tests.test_curves_notes import TISSUE, sized_curves

from scalinglab import ConfigError, fit_curves
from scalinglab.curves import CurveFit, Tissue, compare_schedules
from scalinglab.curves._cooldown import cooldown_runs
from scalinglab.fit._diagnostics import at_bounds

#: a cosine to 0, a constant rate and a WSD to peak/10: the curves decay as far as 0
TO_ZERO = (
    "cosine:peak=3e-4,end=0,warmup=200,steps=3000",
    "constant:peak=3e-4,warmup=200,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
)


def test_a_law_across_sizes_on_one_size_is_refused() -> None:
    one_size = sized_curves()[0][:3]  # the 25M curves
    with pytest.raises(ConfigError) as err:
        fit_curves(one_size, law="sized:tissue", bootstrap=0)
    assert err.value.message == (
        "law 'sized:tissue' fits L0 and A as powers of the model size N, and every curve is "
        "of one size (25M): l0_N and A_N cannot be fitted"
    )
    assert err.value.hint == (
        "fit the plain law 'tissue' (--law tissue), or add curves of another model size"
    )


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_two_sizes_are_noted_and_resamples_of_one_size_warned_of() -> None:
    curves = sized_curves()[0]
    both = fit_curves(curves, law="sized:tissue", bootstrap=0)
    assert (
        "two model sizes (25M and 100M): L0 and A each follow a power of N through exactly "
        "these two, so nothing tests that form (a third size would); predictions at other "
        "sizes rest on it"
    ) in both.notes
    # 3 curves of 25M and 1 of 100M, drawn whole with replacement: 0.75^4 + 0.25^4 = 32% of
    # the resamples hold one size, more than the 5% tail of a 90% interval
    lopsided = fit_curves(curves[:4], law="sized:tissue", bootstrap=20, resample="curves")
    assert any(
        w.startswith(
            "about 32% of whole-curve resamples of these 4 curves hold curves of one model "
            "size only, where l0_N and A_N are not identified"
        )
        for w in lopsided.warnings
    ), lopsided.warnings
    # 3 and 3: 2 · 0.5^6 = 3%, under the tail; the wild-jackknife keeps every curve
    even = fit_curves(curves, law="sized:tissue", bootstrap=20, resample="curves")
    kept = fit_curves(curves[:4], law="sized:tissue", bootstrap=20)
    assert not any("one model size only" in w for w in (*even.warnings, *kept.warnings))


def test_one_resample_gives_one_warning_not_an_estimate_outside_each_interval() -> None:
    fit = fit_curves(_tissue_curves(), law="tissue", bootstrap=1, seed=0)
    assert fit.warnings == (
        "intervals from 1 resample only: their ends are noise at 90% (use 100 or more; the "
        "estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do",
    )
    # at 20 resamples (enough at 90%) the interval checks run again
    again = fit_curves(_tissue_curves(), law="tissue", bootstrap=20, seed=0)
    assert not any("resample" in w for w in again.warnings)


def test_coefficients_at_bounds_are_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert at_bounds(["C"]) is None  # one: the summary line's "at bound: C"
    line = (
        "2 coefficients ended at a bound of their range (L0, alpha): the bounds, not the "
        "data, hold them there, so their values and intervals are the range's and the law "
        "may not suit the data"
    )
    assert at_bounds(["L0", "alpha"]) == line
    from scalinglab.curves import _fit_curves

    monkeypatch.setattr(_fit_curves, "_at_bound", lambda law, params: ("L0", "alpha"))
    fit = fit_curves(_tissue_curves(), law="tissue", bootstrap=0)
    assert fit.at_bound == ("L0", "alpha") and line in fit.warnings
    fit.save(tmp_path / "f.json")
    assert line in json.loads((tmp_path / "f.json").read_text())["warnings"]


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_schedule_defaults_come_from_the_curves_and_specs_say_them() -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, TO_ZERO, noise=0, seed=0), law="tissue")
    # the curves decayed to 0: so does a default cosine (not to peak/10)
    assert fit.defaults == {"peak": 3e-4, "end": 0.0, "warmup": 200.0}
    assert (
        "schedule values a spec leaves out, from the fitted curves: peak=0.0003 (their median "
        "peak), end=0 (0 of the peak: the lowest end/peak of the fitted curves; a spec's own peak "
        "keeps the ratio), warmup=200 (their median)"
    ) in fit.notes
    final = fit.final_loss("cosine:steps=3000")
    assert final.schedule == "cosine:end=0,peak=0.0003,steps=3000,warmup=200"
    assert "schedule='cosine:end=0,peak=0.0003,steps=3000,warmup=200'" in repr(final)
    # curves to peak/10: a spec's own peak ends at a tenth of it, not at the fit's end
    tenth = fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue")
    assert tenth.defaults["end"] == pytest.approx(3e-5)
    own = tenth.schedule("cosine:steps=3000,peak=1e-3")
    assert own.spec == "cosine:end=0.0001,peak=0.001,steps=3000,warmup=200"
    assert tenth.schedule("cosine:steps=3000,end=0").spec.startswith("cosine:end=0,")
    # and the attribute's docstring says the rule the numbers above follow
    assert "the lowest end/peak of the curves, peak/10 when none decays" in " ".join(
        (CurveFit.__doc__ or "").split()
    )


def test_a_peak_outside_the_fitted_ones_is_named_and_old_files_still_read(
    tmp_path: Path,
) -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue")
    assert fit.peaks == (3e-4, 3e-4)
    low = fit.outside(fit.schedule("cosine:steps=3000,peak=1e-4"), name="low")
    assert low == [
        "low: peak lr 0.0001 is 0.48 decades below the fitted curves' (0.0003): the law is "
        "extrapolated in learning rate"
    ]
    path = tmp_path / "old.json"
    data = fit.to_dict()
    del data["peaks"]  # files written before the range was kept
    path.write_text(json.dumps(data))
    old = CurveFit.load(path)
    assert old.peaks == () and old.outside(old.schedule("cosine:steps=3000")) == []


def test_compare_rows_carry_the_schedule_evaluated() -> None:
    fit = fit_curves(_synthetic(Tissue(), TISSUE, TO_ZERO, noise=0, seed=0), law="tissue")
    (row,) = compare_schedules(fit, steps=3000, schedules=["wsd:0.2"])
    assert row.spec == "wsd:0.2"
    assert row.schedule == "wsd:decay=0.2,end=0,peak=0.0003,shape=linear,steps=3000,warmup=200"


def test_cooldowns_end_at_the_curves_end_over_peak() -> None:
    curves = _synthetic(Tissue(), TISSUE, TO_ZERO, noise=0, seed=0)
    fit = fit_curves(curves, law="tissue", bootstrap=0)
    default = cooldown_runs(fit, curves, checkpoints=4)
    to_zero = cooldown_runs(fit, curves, checkpoints=4, end=0.0)
    tenth = cooldown_runs(fit, curves, checkpoints=4, end=3e-5)
    assert np.allclose(default["loss"], to_zero["loss"])
    assert not np.allclose(default["loss"], tenth["loss"])
    # an older fit (defaults end = peak/10) cools down to a tenth of each run's peak
    older = replace(fit, defaults={"peak": 3e-4, "end": 3e-5, "warmup": 200.0})
    assert np.allclose(cooldown_runs(older, curves, checkpoints=4)["loss"], tenth["loss"])


def test_resamples_a_curve_fit_leaves_out_are_noted_as_a_fits_are(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """One resample failed, one ended beyond floating point: both left out, each with the
    note :func:`scalinglab.fit` writes, its curve weights with it."""
    import scalinglab.curves._fit as curve_fit

    real = curve_fit.bootstrap_curves

    def one_degenerate(*args, **kwargs):  # type: ignore[no-untyped-def]
        theta, weights, _ = real(*args, **kwargs)
        theta[0] = np.nan  # a coefficient beyond float64 in natural units
        return theta[:-1], weights[:-1], 1  # and the last never solved

    monkeypatch.setattr(curve_fit, "bootstrap_curves", one_degenerate)
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=0.002, seed=0)
    fit = fit_curves(curves, law="tissue", bootstrap=10)
    assert "1 of 10 bootstrap resamples failed and were left out" in fit.notes
    assert (
        "1 of 10 bootstrap resamples ended at a degenerate fit (a coefficient beyond floating "
        "point) and were left out"
    ) in fit.notes
    assert fit.samples is not None and fit.curve_weights is not None
    assert len(fit.samples) == len(fit.curve_weights) == 8


def test_cooldowns_comparisons_and_predictions_evaluate_alike() -> None:
    """One evaluation (CurveFit._losses) behind each: a cooled-down run's loss and interval
    are the final loss of its schedule, a comparison's row that of its spec."""
    from scalinglab.curves._cooldown import cooldown_schedule

    curves = _synthetic(Tissue(), TISSUE, TO_ZERO, noise=0.01, seed=2)
    fit = fit_curves(curves, law="tissue", bootstrap=20, seed=2)
    runs = cooldown_runs(fit, curves, checkpoints=3)
    row = runs.iloc[-1]  # the constant run's last checkpoint, cooled down to 0
    at = int(str(row["run"]).split("@")[1].split("+")[0])
    sched = cooldown_schedule(curves[1].schedule, at, cooldown=0.2, end=0.0)
    loss, lower, upper = fit.final_loss(sched)
    assert lower < upper  # a real interval, not one point
    assert (row["loss"], row["lower"], row["upper"]) == pytest.approx((loss, lower, upper))
    (wsd,) = compare_schedules(fit, steps=3000, schedules=["wsd:0.2"])
    assert (wsd.loss, wsd.lower, wsd.upper) == pytest.approx(fit.final_loss(wsd.schedule))
