"""What a curve fit refuses and warns of: a law across sizes on one size, sizes its
resamples lose, too few resamples, coefficients at bounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_curves_diagnostics import _tissue_curves
from tests.test_curves_notes import sized_curves

from scalinglab import ConfigError, fit_curves
from scalinglab.fit._diagnostics import at_bounds


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
        "estimate may lie outside them)",
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
