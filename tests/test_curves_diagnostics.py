"""Curve fits make the interval checks scaling-law fits make (fit/_diagnostics.py)."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab.curves import Curve, fit_curves, get_curve_law, parse_schedule
from scalinglab.fit._diagnostics import outside_interval, unidentified


def test_the_interval_checks_on_closed_cases() -> None:
    assert outside_interval("B", 341.81, (342.84, 12296.0)) is not None
    assert "outside its own interval" in str(outside_interval("B", 1.0, (1.5, 2.0)))
    assert outside_interval("B", 1.0, (0.5, 2.0)) is None
    assert outside_interval("B", 1.0, (float("nan"), float("nan"))) is None
    # 8.1 decades (the multi-power C of the README) is not identified; 1.9 decades is
    assert "8.1 decades" in str(unidentified("C", (1e-6, 116.0), True))
    assert unidentified("C", (1.0, 10**1.9), True) is None
    assert unidentified("C", (1e-6, 116.0), False) is None  # a signed parameter: no ratio


def _tissue_curves() -> list[Curve]:
    law = get_curve_law("tissue")
    p = np.array([[2.8, 0.6, 0.45, 0.8]])
    rng = np.random.default_rng(0)
    out = []
    specs = (
        "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
        "constant:peak=3e-4,warmup=200,steps=3000",
        "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
    )
    for i, spec in enumerate(specs):
        s = parse_schedule(spec)
        st = np.arange(s.warmup, s.steps, 50)
        v = law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]
        out.append(Curve(f"c{i}", st, v * np.exp(1e-3 * rng.standard_normal(len(st))), s))
    return out


def test_a_curve_fit_warns_when_an_interval_excludes_its_estimate_or_spans_decades(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    curves = _tissue_curves()
    clean = fit_curves(curves, law="tissue", bootstrap=20, seed=0)
    assert clean.warnings == ()

    # the same fit, its percentile intervals replaced by shifted and by very wide ones
    from scalinglab.curves import _fit_curves

    def shifted(samples, level, n):  # type: ignore[no-untyped-def]
        k = samples.shape[1]
        return np.full(k, 1e-6), np.full(k, 1e-5)

    monkeypatch.setattr(_fit_curves, "percentile_interval", shifted)
    bad = fit_curves(curves, law="tissue", bootstrap=20, seed=0)
    warnings = bad.warnings
    assert bad.coefs == clean.coefs
    assert any("L0 = " in w and "outside its own interval" in w for w in warnings), warnings

    def wide(samples, level, n):  # type: ignore[no-untyped-def]
        k = samples.shape[1]
        return np.full(k, 1e-3), np.full(k, 1e3)

    monkeypatch.setattr(_fit_curves, "percentile_interval", wide)
    loose = fit_curves(curves, law="tissue", bootstrap=20, seed=0)
    warnings = loose.warnings
    assert any("A is not identified" in w and "6.0 decades" in w for w in warnings), warnings


def test_curve_fit_warnings_survive_save_and_load(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from scalinglab.curves import CurveFit, _fit_curves

    monkeypatch.setattr(
        _fit_curves, "percentile_interval", lambda s, lv, n: (np.full(s.shape[1], 1e-6),) * 2
    )
    fitted = fit_curves(_tissue_curves(), law="tissue", bootstrap=20, seed=0)
    assert fitted.warnings
    fitted.save(tmp_path / "c.json")
    assert CurveFit.load(tmp_path / "c.json").warnings == fitted.warnings
