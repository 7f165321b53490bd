"""The multi-power law's conventions and its O(T) loss-drop evaluation."""

from __future__ import annotations

import numpy as np
import pytest
from tests._curve_coverage import curve_coverage
from tests.conftest import SHARED

from scalinglab.curves import CurveFit, get_curve_law, parse_schedule, read_lr_curves
from scalinglab.curves._drop import drop_atoms, exact_drop
from scalinglab.curves._drop_linear import linear_drop_atoms

LR = SHARED / "lr-schedules"
needs_lr = pytest.mark.skipif(
    not LR.exists(), reason=f"shared lr-schedule curves not found at {LR}"
)
C, BETA, GAMMA = 2.0, 0.5, 0.6


def _ld(atoms):  # type: ignore[no-untyped-def]
    u = C * np.exp(atoms.log_area - GAMMA * atoms.log_lr)
    return atoms.to_points_sum(atoms.drop * (1 - (1 + u) ** -BETA))


@pytest.mark.parametrize(
    "spec",
    [
        "cosine:peak=3e-4,end=3e-5,warmup=2000,steps=40000",
        "multistep:peak=3e-4,warmup=2000,at=15000;30000,lr=9e-5;3e-5,steps=40000",
        "wsd:peak=3e-4,end=3e-5,warmup=2000,decay=0.2,shape=sqrt,steps=40000",
    ],
)
def test_linear_drop_matches_the_double_sum_warm_up_included(spec):
    s = parse_schedule(spec)
    t = np.arange(0, s.steps, 113)
    exact = np.array([exact_drop(s.lr, int(k), C=C, beta=BETA, gamma=GAMMA) for k in t])
    got = _ld(linear_drop_atoms(s.lr, t))
    # measured ~1e-5 of the total drop; the bound leaves 10x room
    assert np.max(np.abs(got - exact)) <= 2e-4 * np.max(np.abs(exact))


def test_linear_drop_atoms_per_step_do_not_grow_with_steps():
    per_point = {}
    for T in (10_000, 100_000, 400_000):
        s = parse_schedule(f"cosine:peak=3e-4,end=3e-5,warmup={T // 10},steps={T}")
        t = np.arange(T // 10, T, 100)
        per_point[T] = (
            linear_drop_atoms(s.lr, t).n_atoms / len(t),
            drop_atoms(s.lr, t, exact=4, per_octave=4).n_atoms / len(t),
        )
    lin = [v[0] for v in per_point.values()]
    log = [v[1] for v in per_point.values()]
    assert max(lin) <= 1.1 * min(lin)  # measured 44.8, 42.9, ~42: flat
    assert log[-1] >= 1.4 * log[0]  # the per-step atoms grow with log T (55 -> 80)


def test_exact_and_per_octave_set_the_blocks_not_the_shared_far_ranges():
    # the MultiPower docstring's numbers: exact=10**6, per_octave=64 still missed the double
    # sum by 3.3e-6 (the far ranges' interpolation, which neither controls)
    from scalinglab.curves import MultiPower

    s = parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.25,steps=2000")
    t = np.arange(7, s.steps, 7)
    p = {"L0": 3.0, "A": 0.6, "alpha": 0.45, "B": 400.0, "C": 2.0, "beta": 0.55, "gamma": 0.6}
    drop = np.array([exact_drop(s.lr, int(k), C=2.0, beta=0.55, gamma=0.6) for k in t])
    truth = 3.0 + 0.6 * np.cumsum(s.lr)[t] ** -0.45 - 400.0 * drop

    def error(law: MultiPower) -> float:
        (got,), _ = law.evaluate(
            np.array([[p[n] for n in law.param_names]]), law.prepare([s], [t]), jacobian=False
        )
        return float(np.max(np.abs(got / truth - 1)))

    assert error(MultiPower()) == pytest.approx(9.0e-6, rel=0.05)
    assert error(MultiPower(per_octave=16)) == pytest.approx(3.6e-6, rel=0.05)
    assert error(MultiPower(exact=10**6, per_octave=64)) == pytest.approx(3.3e-6, rel=0.05)
    # the blocks alone, without the shared far ranges: every drop its own term is exact
    atoms = drop_atoms(s.lr, t, exact=10**6, per_octave=64)
    u = 2.0 * np.exp(atoms.log_area - 0.6 * atoms.log_lr)
    per_step = atoms.to_points_sum(atoms.drop * (1 - (1 + u) ** -0.55))
    assert np.max(np.abs(per_step - drop)) <= 1e-12 * np.max(np.abs(drop))


def _given(law: str, params: tuple[float, ...]) -> CurveFit:
    names = get_curve_law(law).param_names
    return CurveFit(
        law=law,
        coefs=dict(zip(names, params, strict=True)),
        intervals={},
        samples=None,
        level=0.9,
        objective=float("nan"),
        status="given",
        message="published",
        n_starts=0,
        n_starts_at_best=0,
        runs=(),
        residuals=np.zeros(0),
        defaults={},
    )


@needs_lr
@pytest.mark.parametrize(
    ("size", "params", "mean", "worst"),
    [  # the source's src/config.py parameters and its published PredE / WorstE
        ("25M", (3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013,
                 0.64142257), 0.00110, 0.00409),
        ("100M", (2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199,
                  0.65523644), 0.00142, 0.00583),
    ],
)  # fmt: skip
def test_published_parameters_reproduce_the_published_errors(size, params, mean, worst):
    """An independent check of the law's conventions (warm-up drops included): the source's
    fitted parameters, evaluated here, give its published errors on the six held-out
    schedules; the paper's post-warm-up reading misses them by 30x."""
    train = ("cosine_24000", "constant_24000", "wsdcon_9")
    test = [c for c in read_lr_curves(LR / size, warmup=2160) if c.run.split("/")[-1] not in train]
    for law, close in (("multipower", True), ("multipower-after-warmup", False)):
        fit = _given(law, params)
        rel = [np.abs(fit.predict(c.schedule, steps=c.step).loss / c.loss - 1) for c in test]
        m, w = np.mean([r.mean() for r in rel]), np.mean([r.max() for r in rel])
        if close:
            assert m == pytest.approx(mean, abs=1e-5) and w == pytest.approx(worst, abs=2e-5)
        else:
            assert m > 20 * mean


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="the whole-curve bootstrap over-covers for the multi-power law: over these 60 fits "
    "L0, A, alpha and B were covered 58/60, beta and the held-out final loss 59/60, C and gamma "
    "57/60; on fresh seeds 1000-1059 L0 and B 60/60, A and beta 59/60, the final loss 52/60. "
    "Plain percentiles and the Bayesian bootstrap were measured on the same fits and miss too "
    "(benchmarks/RESULTS.md, issue 14 coverage round); not yet fixed",
)
def test_multipower_interval_coverage():
    """90% intervals over 60 synthetic fits (12 curves each, warm-up drops included; per-curve
    offsets of 0.2% and 0.1% point noise) should cover the truth within ±5 points: every
    parameter and the final loss of a schedule not fitted. Measured: see benchmarks/RESULTS.md
    (about 10 s CPU per fit with the compiled drop sums: 10 min)."""
    truth = {"L0": 3.0, "A": 0.5, "alpha": 0.5, "B": 400.0, "C": 2.0, "beta": 0.5, "gamma": 0.6}
    for k, share in curve_coverage("multipower", truth, every=100).items():
        assert abs(share - 0.9) <= 0.05, (k, share)


#: The README's `curves fit` of the nine shared 25M curves (its curve.json).
README_FIT = {
    "L0": 3.042548738649367, "A": 0.527505171314951, "alpha": 0.4966044164983051,
    "B": 341.810943964312, "C": 0.21566100137345043, "beta": 1.9965936178854267,
    "gamma": 0.5415164007703482,
}  # fmt: skip


@pytest.mark.parametrize(
    "spec",
    [
        "wsd:decay=0.1,end=3e-5",
        "wsd:decay=0.2,end=3e-5",
        "cosine:end=3e-5",
        "multistep:at=8000;16000,lr=1e-4;3e-5",
    ],
)
def test_the_loss_is_within_the_readmes_bound_of_the_double_sum(spec: str) -> None:
    """The README's (and MultiPower's) bound on the fitted parameters: at most 4e-5 in loss,
    1.2e-5 of it (the largest, 3.8e-5, at the end of wsd:0.1's decay), every 64th step."""
    law = get_curve_law("multipower")
    s = parse_schedule(f"{spec},peak=3e-4,warmup=2160,steps=24000")
    t = np.unique(np.r_[np.arange(s.warmup, s.steps, 64), s.steps - 1]).astype(np.int64)
    p = np.array([[README_FIT[n] for n in law.param_names]])
    got = law.evaluate(p, law.prepare([s], [t]), jacobian=False)[0][0]
    c = README_FIT
    drop = [exact_drop(s.lr, int(k), C=c["C"], beta=c["beta"], gamma=c["gamma"]) for k in t]
    exact = c["L0"] + c["A"] * np.cumsum(s.lr)[t] ** -c["alpha"] - c["B"] * np.array(drop)
    assert np.max(np.abs(got - exact)) <= 4e-5
    assert np.max(np.abs(got - exact) / exact) <= 1.2e-5
