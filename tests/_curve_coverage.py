"""A coverage study of a curve law's intervals on synthetic curves, shared by its tests and
``benchmarks/curve_coverage.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab.curves import Curve, fit_curves, get_curve_law, parse_schedule
from scalinglab.curves._bootstrap import percentile_interval

Array = NDArray[np.float64]
N_CURVES = 12
#: The schedules of a study's fits: 12 curves (cosine, constant, WSD 20% at 2,000-6,000 steps),
#: or 3 (the three kinds at 4,000 steps), the source protocol's count of training curves.
SPECS = {
    12: [
        spec.format(n=n)
        for n in (2000, 3000, 4000, 6000)
        for spec in (
            "cosine:peak=3e-4,end=3e-5,warmup=200,steps={n}",
            "constant:peak=3e-4,warmup=200,steps={n}",
            "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps={n}",
        )
    ],
    3: [
        "cosine:peak=3e-4,end=3e-5,warmup=200,steps=4000",
        "constant:peak=3e-4,warmup=200,steps=4000",
        "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=4000",
    ],
}


def synthetic_draws(
    law_name: str,
    truth: Mapping[str, float],
    *,
    every: int,
    seeds: Iterable[int],
    resample: str = "curves",
    n_curves: int = N_CURVES,
) -> Iterator[tuple[int, Array, Array]]:
    """For each seed ``r``: ``(r, draws, truth)``, the bootstrap draws of one synthetic fit.

    The fit takes 12 curves (cosine, constant and WSD at 2,000-6,000 steps, warm-up 200,
    logged every ``every`` steps) drawn from the law at ``truth`` with a per-curve offset of
    0.2% and 0.1% point noise (data seed 100 + r), and 200 bootstrap resamples with seed r
    (``resample`` as in :func:`scalinglab.fit_curves`). ``draws`` ``(R, K + 1)``: each
    resample's coefficients, then its final loss of a WSD schedule of 8,000 steps not
    fitted; ``truth`` ``(K + 1,)`` the same quantities at the truth. ``n_curves=3``: the
    three kinds at 4,000 steps only (:data:`SPECS`).
    """
    law = get_curve_law(law_name)
    specs = SPECS[n_curves]
    held = law.prepare(
        [parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.1,steps=8000")],
        [np.array([7999])],
    )
    p = np.array([[truth[n] for n in law.param_names]])
    final = law.evaluate(p, held, jacobian=False)[0][0, 0]
    exact = np.append(p[0], final)
    base = []
    for spec in specs:
        s = parse_schedule(spec)
        st = np.arange(s.warmup, s.steps, every)
        base.append((s, st, law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]))
    for r in seeds:
        rng = np.random.default_rng(100 + r)
        curves = [
            Curve(
                f"r{i}",
                st,
                v * np.exp(2e-3 * rng.standard_normal() + 1e-3 * rng.standard_normal(len(st))),
                s,
            )
            for i, (s, st, v) in enumerate(base)
        ]
        res = fit_curves(curves, law=law_name, bootstrap=200, seed=r, resample=resample)
        assert res.samples is not None
        finals = law.evaluate(res.samples, held, jacobian=False)[0][:, 0]
        yield r, np.column_stack([res.samples, finals]), exact


def covered(
    draws: Array, exact: Array, level: float, *, expand: bool, clusters: int = N_CURVES
) -> tuple[Array, Array]:
    """Whether each quantity's interval at ``level`` covers ``exact``, and its width."""
    lo, hi = percentile_interval(draws, level, clusters, expand=expand)
    return (lo <= exact) & (exact <= hi), hi - lo


def curve_coverage(
    law_name: str,
    truth: Mapping[str, float],
    *,
    every: int,
    reps: int = 60,
    resample: str = "curves",
    on_fit: Callable[[int, dict[str, bool]], None] | None = None,
) -> dict[str, float]:
    """Share of ``reps`` synthetic fits (seeds 0, 1, ...; :func:`synthetic_draws`) whose 90%
    interval (the default rule of :func:`percentile_interval`) covers the truth: per
    coefficient, and for the final loss of a schedule not fitted ("final")."""
    names = [*get_curve_law(law_name).param_names, "final"]
    hits = np.zeros(len(names))
    for r, draws, exact in synthetic_draws(
        law_name, truth, every=every, seeds=range(reps), resample=resample
    ):
        inside, _ = covered(draws, exact, 0.9, expand=True)
        hits += inside
        if on_fit is not None:
            on_fit(r, dict(zip(names, map(bool, inside), strict=True)))
    return {k: float(h) / reps for k, h in zip(names, hits, strict=True)}
