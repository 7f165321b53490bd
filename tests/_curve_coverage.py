"""A coverage study of a curve law's intervals on synthetic curves, shared by its tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from scalinglab.curves import Curve, fit_curves, get_curve_law, parse_schedule


def curve_coverage(
    law_name: str,
    truth: Mapping[str, float],
    *,
    every: int,
    reps: int = 60,
    resample: str = "curves",
    on_fit: Callable[[int, dict[str, bool]], None] | None = None,
) -> dict[str, float]:
    """Share of ``reps`` synthetic fits whose 90% interval covers the truth: per coefficient,
    and for the final loss of a schedule not fitted ("final").

    Each fit takes 12 curves (cosine, constant and WSD at 2,000-6,000 steps, warm-up 200,
    logged every ``every`` steps) drawn from the law at ``truth``, with a per-curve offset of
    0.2% and 0.1% point noise, and 200 bootstrap resamples (``resample`` as in
    :func:`scalinglab.fit_curves`); ``on_fit(seed, covered)`` is called after each fit.
    """
    law = get_curve_law(law_name)
    specs = [
        spec.format(n=n)
        for n in (2000, 3000, 4000, 6000)
        for spec in (
            "cosine:peak=3e-4,end=3e-5,warmup=200,steps={n}",
            "constant:peak=3e-4,warmup=200,steps={n}",
            "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps={n}",
        )
    ]
    held = parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.1,steps=8000")
    p = np.array([[truth[n] for n in law.param_names]])
    final = law.evaluate(p, law.prepare([held], [np.array([7999])]), jacobian=False)[0][0, 0]
    base = []
    for spec in specs:
        s = parse_schedule(spec)
        st = np.arange(s.warmup, s.steps, every)
        base.append((s, st, law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]))
    hits = dict.fromkeys([*truth, "final"], 0)
    for r in range(reps):
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
        for k, v in truth.items():
            lo, hi = res.intervals[k]
            hits[k] += lo <= v <= hi
        _, lo, hi = res.final_loss(held)
        hits["final"] += lo <= final <= hi
        if on_fit is not None:
            inside = {
                k: bool(res.intervals[k][0] <= v <= res.intervals[k][1]) for k, v in truth.items()
            }
            on_fit(r, {**inside, "final": bool(lo <= final <= hi)})
    return {k: h / reps for k, h in hits.items()}
