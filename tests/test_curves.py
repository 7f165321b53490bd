"""Curve laws across learning-rate schedules: schedules, the drop term, fits, coverage
(the command line: tests/test_cli_curves.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from tests._curve_coverage import curve_coverage
from tests.conftest import SHARED

from scalinglab import ConfigError, Schedule, fit_curves, parse_schedule
from scalinglab.curves import (
    Curve,
    CurveFit,
    CurveLaw,
    MultiPower,
    Tissue,
    backtest_curves,
    read_lr_curves,
)
from scalinglab.curves._drop import drop_atoms, exact_drop
from scalinglab.curves._fit import CurveProgram

LR = SHARED / "lr-schedules"
needs_lr = pytest.mark.skipif(
    not LR.exists(), reason=f"shared lr-schedule curves not found at {LR}"
)

MPL_TRUE = {"L0": 3.0, "A": 0.5, "alpha": 0.5, "B": 400.0, "C": 2.0, "beta": 0.5, "gamma": 0.6}
SPECS = (
    "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "constant:peak=3e-4,warmup=200,steps=3000",
    "multistep:peak=3e-4,warmup=200,at=1500,lr=9e-5,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
)


def _synthetic(
    law: CurveLaw,
    truth: dict[str, float],
    specs: Sequence[str],
    *,
    noise: float,
    seed: int,
    every: int = 25,
) -> list[Curve]:
    rng = np.random.default_rng(seed)
    p = np.array([[truth[n] for n in law.param_names]])
    out = []
    for i, spec in enumerate(specs):
        s = parse_schedule(spec)
        steps = np.arange(s.warmup, s.steps, every)
        val, _ = law.evaluate(p, law.prepare([s], [steps]), jacobian=False)
        loss = val[0] * np.exp(noise * rng.standard_normal(len(steps)))
        out.append(Curve(f"run{i}", steps, loss, s))
    return out


def test_schedule_specs_match_closed_forms():
    s = parse_schedule("cosine:peak=1e-3,end=1e-4,warmup=100,steps=1101")
    assert s.lr[0] == 0 and s.lr[50] == pytest.approx(5e-4) and s.lr[100] == pytest.approx(1e-3)
    assert s.lr[600] == pytest.approx(1e-4 + 0.9e-3 * 0.5)  # half-way down the cosine
    assert s.lr[-1] == pytest.approx(1e-4)
    w = parse_schedule("wsd:peak=1e-3,end=1e-4,steps=1000,decay=0.2")
    assert w.lr[799] == pytest.approx(1e-3)
    assert w.lr[900] == pytest.approx(1e-3 * 0.1**0.5)  # geometric: half-way = sqrt(end/peak)
    q = parse_schedule("wsd:peak=1e-3,end=0,steps=1000,decay=0.2,shape=sqrt")
    assert q.lr[900] == pytest.approx(1e-3 * (1 - 0.5**0.5))
    m = parse_schedule("multistep:peak=1e-3,at=300;600,lr=5e-4;1e-4,steps=900")
    assert (m.lr[299], m.lr[300], m.lr[600]) == (1e-3, 5e-4, 1e-4)
    assert parse_schedule("wsd:0.3", defaults={"peak": 1, "steps": 100}).lr[69] == 1.0


@pytest.mark.parametrize(
    ("spec", "part"),
    [
        ("cosin:peak=1", "unknown kind"),
        ("cosine:peak=1,steps=10,foo=2", "'foo=2'"),
        ("cosine:peak=abc,steps=10", "peak='abc'"),
        ("wsd:peak=1,steps=10,decay=2", "decay=2"),
        ("cosine:peak=1", "steps= is missing"),
        ("constant:peak=1,steps=100,decay=0.3", "constant takes no decay="),
        ("cosine:peak=1,steps=100.5", "steps=100.5 is not a whole number"),
        ("multistep:peak=1,at=200,lr=0.1,steps=100", "a step at 200 is never reached"),
        ("multistep:peak=1,at=20,40,lr=0.1;0.01,steps=100", "cannot read '40'"),
    ],
)
def test_bad_schedule_specs_say_which_part(spec, part):
    with pytest.raises(ConfigError, match=part):
        parse_schedule(spec)


def test_logged_schedule_is_reconstructed_per_step():
    full = parse_schedule("multistep:peak=3e-4,warmup=100,at=1000,lr=3e-5,steps=2000")
    steps = np.arange(100, 2000, 100)
    got = Schedule.from_logged(steps, full.lr[steps], steps=2000)
    assert np.allclose(got.lr, full.lr)  # warm-up, flat parts and the step change exact
    assert any("step change" in n for n in got.notes)
    cos = parse_schedule("cosine:peak=3e-4,end=3e-5,warmup=100,steps=2000")
    approx = Schedule.from_logged(steps, cos.lr[steps], steps=2000)
    # linear interpolation's bound h^2/8 max|lr''|, lr'' of the cosine <= (peak-end)/2 (pi/T)^2
    bound = 100**2 / 8 * 2.7e-4 / 2 * (np.pi / 1900) ** 2
    assert np.max(np.abs(approx.lr - cos.lr)[100:1901]) <= bound


@pytest.mark.parametrize("spec", SPECS)
def test_drop_atoms_match_the_double_sum(spec):
    s = parse_schedule(spec.replace("3000", "20000"))
    eta = s.lr[s.warmup :]
    t = np.arange(0, len(eta), 97)
    exact = np.array([exact_drop(eta, int(k), C=2.0, beta=0.5, gamma=0.6) for k in t])
    a = drop_atoms(eta, t, exact=4, per_octave=4)
    u = 2.0 * np.exp(a.log_area - 0.6 * a.log_lr)
    approx = a.to_points @ (a.drop * (1 - (1 + u) ** -0.5))
    # measured bound: 1e-3 of the largest drop term at 4 blocks per octave
    assert np.max(np.abs(approx - exact)) <= 1e-3 * max(exact.max(), 1e-12)


@pytest.mark.parametrize("law", [MultiPower(), Tissue()])
def test_jacobian_matches_finite_differences(law):
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS, noise=0.0, seed=0, every=100)
    prep = law.prepare([c.schedule for c in curves], [c.step for c in curves])
    program = CurveProgram(law, prep, sum(len(c) for c in curves))
    truth = MPL_TRUE if isinstance(law, MultiPower) else {"L0": 3, "A": 0.5, "alpha": 0.5, "C": 1}
    theta = law.to_fitted(truth)
    d = program.derivatives(theta[None, :])
    for k in range(len(theta)):
        h = 1e-6 * (1 + abs(theta[k]))
        up, dn = theta.copy(), theta.copy()
        up[k] += h
        dn[k] -= h
        fd = (program.value(up[None, :]) - program.value(dn[None, :])) / (2 * h)
        assert np.allclose(d.g[k], fd, rtol=1e-5, atol=1e-9), law.param_names[k]


@pytest.mark.heavy  # 3.2 s in the suite on a 2-core AMD EPYC
def test_multipower_recovers_its_parameters_and_predicts_a_schedule_not_fitted():
    law = MultiPower()
    curves = _synthetic(law, MPL_TRUE, SPECS[:3], noise=1e-3, seed=1)
    result = fit_curves(curves, law="multipower", bootstrap=0)
    assert result.status == "converged"
    for name in ("L0", "A", "alpha"):
        assert result.coefs[name] == pytest.approx(MPL_TRUE[name], rel=0.05), name
    held = _synthetic(law, MPL_TRUE, SPECS[3:], noise=0.0, seed=2)[0]
    pred = result.predict(held.schedule, steps=held.step)
    assert np.max(np.abs(pred.loss / held.loss - 1)) < 2e-3


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_tissue_recovers_its_parameters_with_whole_curve_bootstrap(tmp_path):
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    specs = [s.replace("3000", str(n)) for s in SPECS for n in (3000, 4000)]
    curves = _synthetic(Tissue(), truth, specs, noise=2e-3, seed=3)
    result = fit_curves(curves, law="tissue", bootstrap=60, seed=0)
    for name, value in truth.items():
        assert result.coefs[name] == pytest.approx(value, rel=0.05), name
        lo, hi = result.intervals[name]
        assert lo <= result.coefs[name] <= hi
    path = tmp_path / "fit.json"
    result.save(path)
    again = CurveFit.load(path)
    assert again.final_loss(SPECS[0]) == pytest.approx(result.final_loss(SPECS[0]))


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_few_curves_get_the_wild_jackknife_and_one_curve_no_interval():
    """Three curves: the wild bootstrap with leave-one-curve-out residuals, chosen by the
    study in benchmarks/RESULTS.md (whole-curve resamples fit one schedule alone one time in
    nine); one curve: no interval, where whole-curve resamples gave zero-width ones."""
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=2e-3, seed=3)
    three = fit_curves(curves, law="tissue", bootstrap=40, seed=0)
    assert any("wild bootstrap of the 3 curves" in n for n in three.notes)
    assert three.samples is not None
    wild = fit_curves(curves, law="tissue", bootstrap=40, seed=0, resample="wild-jackknife")
    assert np.array_equal(three.samples, wild.samples)  # the default is that scheme
    whole = fit_curves(curves, law="tissue", bootstrap=40, seed=0, resample="curves")
    assert not np.array_equal(three.samples, whole.samples)
    assert any("coarse" in n for n in whole.notes)
    for name in truth:
        lo, hi = three.intervals[name]
        assert lo < hi, name
    one = fit_curves(curves[:1], law="tissue", bootstrap=40, seed=0)
    assert any(n.startswith("one curve: no intervals") for n in one.notes)
    assert all(np.isnan(v).all() for v in one.intervals.values())
    point_fit = fit_curves(curves[:1], law="tissue", bootstrap=0)
    assert one.coefs == point_fit.coefs  # the same point fit
    # its predictions say why they have no interval
    assert "no interval: fitted on one curve" in " ".join(one.predict(SPECS[0]).notes)
    point = fit_curves(curves, law="tissue", bootstrap=0)  # no bootstrap
    assert "no interval: the fit has no bootstrap" in " ".join(point.predict(SPECS[0]).notes)


def test_curve_with_fewer_points_than_parameters_is_refused():
    s = parse_schedule(SPECS[0])
    short = Curve("short", np.array([500, 900, 1200]), np.array([3.5, 3.4, 3.3]), s)
    with pytest.raises(ConfigError, match="3 logged points for law 'multipower' with 7"):
        fit_curves([short], bootstrap=0)


def test_shared_logged_lr_equals_the_spec_schedules():
    c = {x.run: x for x in read_lr_curves(LR / "25M", warmup=2160)}
    for run, spec in {
        "25M/cosine_24000": "cosine:peak=3e-4,end=3e-5,warmup=2160,steps=24000",
        "25M/wsdld_20000_24000": "wsd:peak=3e-4,end=3e-5,warmup=2160,decay=0.16666667,"
        "shape=linear,steps=24000",
    }.items():
        s = parse_schedule(spec)
        got = c[run].schedule.lr[2160:]
        # exact but within one logging gap of the kink where the decay starts: there linear
        # interpolation cuts the corner by at most slope·gap/2 (slope 2.7e-4/4000 per step)
        assert np.max(np.abs(got - s.lr[2160 : len(got) + 2160])) <= 2.7e-4 / 4000 * 64, run


@needs_lr
def test_shared_curves_tissue_backtest_within_published_scale():
    curves = read_lr_curves(LR / "25M", warmup=2160)
    bt = backtest_curves(curves, train=["cosine_24000", "constant_24000", "wsdcon_9"], law="tissue")
    assert len(bt.held_out_runs) == 6
    assert np.mean(bt.mean_are) < 0.003  # measured 0.14%: Tissue on the source's split


@needs_lr
@pytest.mark.slow
def test_shared_curves_multipower_backtest():
    curves = read_lr_curves(LR / "25M", warmup=2160)
    bt = backtest_curves(curves, train=["cosine_24000", "constant_24000", "wsdcon_9"])
    assert np.mean(bt.mean_are) < 0.002 and max(bt.max_are) < 0.01


def test_sized_law_jacobian_and_recovery_across_sizes():
    from scalinglab.curves._sized import SizedLaw

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8, "l0_N": 0.08, "A_N": 0.05}
    sizes = (2.5e7, 5e7, 1e8)
    law = SizedLaw(Tissue()).with_sizes([n for n in sizes for _ in SPECS[:3]], n_ref=1e8)
    scheds = [parse_schedule(s) for _ in sizes for s in SPECS[:3]]
    steps = [np.arange(s.warmup, s.steps, 25) for s in scheds]
    prep = law.prepare(scheds, steps)
    program = CurveProgram(law, prep, sum(len(t) for t in steps))
    theta = law.to_fitted(truth)
    d = program.derivatives(theta[None, :])
    for k in range(len(theta)):
        h = 1e-6 * (1 + abs(theta[k]))
        up, dn = theta.copy(), theta.copy()
        up[k] += h
        dn[k] -= h
        fd = (program.value(up[None, :]) - program.value(dn[None, :])) / (2 * h)
        assert np.allclose(d.g[k], fd, rtol=1e-5, atol=1e-9), law.param_names[k]
    rng = np.random.default_rng(5)
    val = program.value(theta[None, :])[0] * np.exp(2e-3 * rng.standard_normal(program.n_points))
    cuts = np.cumsum([0] + [len(t) for t in steps])
    curves = [
        Curve(f"{n:g}/{i}", t, val[a:b], s, params=n)
        for i, (n, s, t, a, b) in enumerate(
            zip(law.sizes, scheds, steps, cuts[:-1], cuts[1:], strict=True)
        )
    ]
    small = [c for c in curves if c.params < 1e8]  # fit two sizes, predict the third
    result = fit_curves(small, law="sized:tissue", bootstrap=0)
    big = [c for c in curves if c.params == 1e8]
    for c in big:
        pred = result.predict(c.schedule, steps=c.step, params=1e8)
        assert np.max(np.abs(pred.loss / c.loss - 1)) < 0.01


def test_cooldown_schedule_closed_form():
    from scalinglab.curves._cooldown import cooldown_schedule

    base = parse_schedule("constant:peak=1e-3,warmup=100,steps=5000")
    # checkpoint at 0-based step 1999: 2000 updates done at the base rate
    s = cooldown_schedule(base, 1999, cooldown=0.2, end=1e-4, shape="sqrt")
    assert s.steps == 2500  # 500 of 2500 steps cooling down
    assert np.array_equal(s.lr[:2000], base.lr[:2000])
    assert s.lr[2249] == pytest.approx(1e-4 + 0.9e-3 * (1 - np.sqrt(250 / 500)))
    assert s.lr[-1] == pytest.approx(1e-4)


@pytest.mark.heavy  # 2.8 s in the suite on a 2-core AMD EPYC
def test_cooldowns_predicted_from_a_fit_match_the_true_law():
    from scalinglab.curves._cooldown import cooldown_runs, cooldown_schedule

    law = MultiPower()
    curves = _synthetic(law, MPL_TRUE, SPECS[:3], noise=1e-3, seed=4)
    result = fit_curves(curves, law="multipower", bootstrap=0)
    runs = cooldown_runs(result, [curves[1]], cooldown=0.2, shape="linear", checkpoints=5)
    p = np.array([[MPL_TRUE[n] for n in law.param_names]])
    assert len(runs) == 5
    for _, row in runs.iterrows():
        at = int(str(row["run"]).split("@")[1].split("+")[0])
        sched = cooldown_schedule(curves[1].schedule, at, cooldown=0.2, end=3e-5, shape="linear")
        true, _ = law.evaluate(
            p, law.prepare([sched], [np.array([sched.steps - 1])]), jacobian=False
        )
        assert row["loss"] == pytest.approx(true[0, 0], rel=2e-3)


@pytest.mark.slow
def test_interval_coverage():
    """90% intervals over 60 synthetic fits (12 curves each: per-curve offsets of 0.2% and
    0.1% point noise) cover the truth within ±5 points: each parameter of Tissue's law and
    the final loss of a schedule not fitted. Measured: L0 0.917, A 0.933, alpha 0.917,
    C 0.933, final loss 0.933 (plain percentile intervals: 0.80, 0.88, 0.87, 0.88, 0.82).
    On fresh seeds 1000-1059 the same intervals cover 0.95, 0.967, 0.967, 1.0, 0.933 (C
    over): benchmarks/RESULTS.md, issue 14 coverage round."""
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    for k, share in curve_coverage("tissue", truth, every=50).items():
        assert abs(share - 0.9) <= 0.05, (k, share)


@pytest.mark.heavy
def test_report_section_for_curves(tmp_path):
    from tests.conftest import chinchilla_runs

    from scalinglab import fit, read_runs, write_report
    from scalinglab.curves import compare_schedules
    from scalinglab.curves._report import curves_section

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=1e-3, seed=7, every=50)
    bt = backtest_curves(curves, train=["run0", "run1", "run2"], law="tissue")
    choice = compare_schedules(bt.fit, steps=3000, schedules=["wsd:0.2", "linear"])
    section = curves_section(bt, curves, comparison=choice)
    runs = read_runs(chinchilla_runs())
    page = write_report(
        fit("chinchilla", runs, bootstrap=0),
        runs,
        tmp_path / "r.html",
        sections=[section],
        validate=False,
    )
    text = page.read_text()
    assert "<h2>Curve law and held-out schedules</h2>" in text and "id='fig-curves'" in text
    assert "run3" in text and "Schedules compared" in text
