"""The compiled solver: the NumPy solver's optima, whatever the loss, law shape or threads."""

from __future__ import annotations

import functools
import math
import os

import numpy as np
import pandas as pd
import pytest
from tests.conftest import chinchilla_runs, polish_gains

from scalinglab import FitResult, _builds, fit, read_runs
from scalinglab.fit._compiled import available, build_name, kernel_for
from scalinglab.laws import get_law

pytestmark = pytest.mark.skipif(
    not available(),
    reason="the compiled solver is not built here (no C compiler when the package was "
    "installed); fits use the NumPy solver",
)


def _both(
    monkeypatch: pytest.MonkeyPatch, *args: object, **kwargs: object
) -> tuple[FitResult, FitResult]:
    """The same fit, compiled and then with the NumPy solver (no bootstrap unless asked)."""
    kwargs.setdefault("bootstrap", 0)
    compiled = fit(*args, **kwargs)  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setenv("SCALINGLAB_SOLVER", "numpy")
        plain = fit(*args, **kwargs)  # type: ignore[arg-type]
    # each result says which solver ran (the report's card shows it)
    assert (compiled.solver, plain.solver) == (f"compiled-{build_name()}", "numpy")
    return compiled, plain


def _same_optimum(a: FitResult, b: FitResult, *, rel: float = 1e-5) -> None:
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    for name, value in b.coefs.items():
        assert a.coefs[name] == pytest.approx(value, rel=rel), name


# huber (the default) by default; soft_l1 and squared with -m heavy (their compiled fits
# also run by default in tests/test_fit.py::test_other_objectives_recover_clean_data)
@pytest.mark.parametrize(
    "loss", ["huber", *(pytest.param(x, marks=pytest.mark.heavy) for x in ("soft_l1", "squared"))]
)
def test_chinchilla_law_reaches_the_numpy_solvers_optimum(
    monkeypatch: pytest.MonkeyPatch, loss: str
) -> None:
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    compiled = fit("chinchilla", chinchilla_runs(seed=4), robust_loss=loss, bootstrap=0)
    plain = _numpy_reference(loss)  # the builds' test compares with it too: solved once
    assert (compiled.solver, plain.solver) == (f"compiled-{build_name()}", "numpy")
    _same_optimum(compiled, plain)
    # both count the starts that reach it alike (the paths differ only in rounding)
    assert compiled.n_starts_solved is not None and plain.n_starts_solved is not None
    assert abs(compiled.n_starts_at_best - plain.n_starts_at_best) <= 0.05 * plain.n_starts_solved
    assert compiled.n_converged >= 0.95 * plain.n_converged


@pytest.mark.parametrize(
    "law", ["power-law-plus-constant", "A*N**-alpha", "E + A/N**alpha + B/D**beta + F/C**gamma"]
)
@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_other_sums_of_power_terms(monkeypatch: pytest.MonkeyPatch, law: str) -> None:
    """Layouts other than Chinchilla's take the general compiled kernels."""
    runs = read_runs(chinchilla_runs(seed=1, outliers=0))
    assert kernel_for(get_law(law), {"N": runs["params"], "D": runs["tokens"], "C": runs["flops"]})
    compiled, plain = _both(monkeypatch, law, runs)
    _same_optimum(compiled, plain, rel=1e-4)


# the same law written as a formula with -m heavy
@pytest.mark.parametrize(
    "law",
    ["overtraining", pytest.param("E + A/N**alpha + B*D**-alpha", marks=pytest.mark.heavy)],
)
def test_a_shared_exponent_reaches_the_numpy_solvers_optimum(
    monkeypatch: pytest.MonkeyPatch, law: str
) -> None:
    """The over-training law (one exponent for N and D) takes the compiled solver: its
    Jacobian adds both terms' derivatives into the one exponent."""
    runs = read_runs(chinchilla_runs(seed=3, outliers=0))
    kernel = kernel_for(get_law(law), {"N": runs["params"], "D": runs["tokens"]})
    assert kernel is not None and kernel.terms.expos[0] == kernel.terms.expos[1]
    grid = get_law(law).start_grid({"N": runs["params"], "D": runs["tokens"]}, runs["loss"])
    compiled, plain = _both(
        monkeypatch, law, runs, starts=grid[::6], bootstrap=20, seed=1, extrapolation=False
    )
    _same_optimum(compiled, plain, rel=1e-5)
    assert compiled.samples is not None and plain.samples is not None
    np.testing.assert_allclose(compiled.samples, plain.samples, rtol=1e-4)


@pytest.mark.heavy
def test_bootstrap_matches_the_numpy_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, plain = _both(
        monkeypatch, "chinchilla", chinchilla_runs(seed=6, outliers=0), bootstrap=40, seed=2
    )
    assert compiled.samples is not None and plain.samples is not None
    np.testing.assert_allclose(compiled.samples, plain.samples, rtol=1e-4)
    for name, (lo, hi) in plain.intervals.items():
        assert compiled.intervals[name] == pytest.approx((lo, hi), rel=1e-4), name


@pytest.mark.parametrize("n_runs", [13, 14, 15, 16])
@pytest.mark.heavy  # 4.3 s in the suite on a 2-core AMD EPYC
def test_run_counts_off_a_whole_vector_reach_the_numpy_solvers_optimum(
    monkeypatch: pytest.MonkeyPatch, n_runs: int
) -> None:
    """The AVX2 build pads the runs to whole vectors (copies weighted 0): every remainder
    of four, bootstrap weights included, gives the NumPy solver's optimum and resamples."""
    rng = np.random.default_rng(n_runs)
    params = np.geomspace(1e7, 1e10, n_runs)
    loss = (1.8 + 400.0 * params**-0.3) * np.exp(rng.normal(0.0, 0.005, n_runs))
    runs = read_runs(pd.DataFrame({"params": params, "tokens": 20 * params, "loss": loss}))
    compiled, plain = _both(monkeypatch, "power-law-plus-constant", runs, bootstrap=20)
    _same_optimum(compiled, plain, rel=1e-4)
    assert compiled.samples is not None and plain.samples is not None
    np.testing.assert_allclose(compiled.samples, plain.samples, rtol=1e-4)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_results_do_not_depend_on_the_number_of_threads() -> None:
    runs = chinchilla_runs(seed=7)
    one = fit("chinchilla", runs, bootstrap=30, seed=1, threads=1)
    three = fit("chinchilla", runs, bootstrap=30, seed=1, threads=3)
    assert one.coefs == three.coefs
    assert one.n_starts_at_best == three.n_starts_at_best
    assert one.samples is not None and three.samples is not None
    np.testing.assert_array_equal(one.samples, three.samples)


def test_laws_it_does_not_take_stay_with_numpy() -> None:
    runs = read_runs(chinchilla_runs())
    data = {"N": runs["params"], "D": runs["tokens"]}
    assert kernel_for(get_law("chinchilla"), data) is not None
    assert kernel_for(get_law("kaplan-n"), data) is None  # (N_c/N)^alpha_N: no kernel
    assert kernel_for(get_law("bnsl"), data) is None  # breaks: not a sum of power terms
    # a formula of Kaplan's shape is not Kaplan's law: only KaplanND gets its kernel
    assert kernel_for(get_law("((N_c/N)**(a/b) + D_c/D)**b"), data) is None
    assert kernel_for(get_law("E + A*N**-alpha + B*N**-beta"), data) is None  # N twice
    assert kernel_for(get_law("E + A*exp(-alpha*N)"), data) is None
    # an exponent may be shared by terms, not used anywhere else
    assert kernel_for(get_law("E + A*N**-alpha + alpha/D**beta"), data) is None
    assert kernel_for(get_law("E + A*N**-E + B/D**beta"), data) is None


@pytest.mark.heavy  # 2.3 s in the suite on a 2-core AMD EPYC
def test_kaplan_fits_take_the_compiled_kernel_and_reach_the_numpy_solvers_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every Kaplan fit in log space goes through the compiled Kaplan kernel now (the
    solver name says so), to the optimum the NumPy solver on the law's closed form reaches
    from the same starts; the bootstrap too."""
    from scalinglab.fit import _compiled

    runs = read_runs(chinchilla_runs(seed=4))
    assert kernel_for(get_law("kaplan"), {"N": runs["params"], "D": runs["tokens"]}) is not None
    compiled = fit("kaplan", runs, bootstrap=20, seed=3, extrapolation=False)
    with monkeypatch.context() as m:
        m.setattr(_compiled, "kaplan_kernel", lambda law, data: None)
        plain = fit("kaplan", runs, bootstrap=20, seed=3, extrapolation=False)
    assert (compiled.solver, plain.solver) == (f"compiled-{build_name()}", "numpy")
    assert compiled.ok and plain.ok
    _same_optimum(compiled, plain, rel=1e-6)
    assert compiled.samples is not None and plain.samples is not None
    np.testing.assert_allclose(compiled.samples, plain.samples, rtol=1e-4)


def test_converged_starts_are_minima_an_independent_optimizer_cannot_improve() -> None:
    """As for the NumPy solver: L-BFGS-B polishing of compiled 'converged' starts gains
    almost nothing."""
    from scalinglab.fit._losses import get_loss
    from scalinglab.fit._solver import Objective, Status, minimize

    runs = read_runs(chinchilla_runs(seed=3))
    law = get_law("chinchilla")
    data = {"N": runs["params"], "D": runs["tokens"]}
    objective = Objective(
        law.bind(data),
        np.log(runs["loss"]),
        get_loss("huber", delta=1e-3),
        kernel=kernel_for(law, data),
    )
    lower, upper = law.fitted_bounds()
    grid = law.start_grid(data, runs["loss"])
    starts = grid[np.random.default_rng(0).choice(len(grid), 150, replace=False)]
    solved = minimize(objective, starts, lower=lower, upper=upper)
    converged = np.flatnonzero(solved.status == Status.CONVERGED)
    assert converged.size >= 100
    # the objective the compiled solver reports is the objective at the point it returns
    np.testing.assert_allclose(
        objective.value(solved.theta[converged], np.zeros(converged.size, dtype=np.int64)),
        solved.objective[converged],
        rtol=1e-12,
    )

    chosen = converged[:30]
    gains = polish_gains(objective, solved.theta[chosen], solved.objective[chosen], lower, upper)
    assert max(gains) < 1e-4, sorted(gains)[-5:]


@pytest.mark.heavy
def test_reaches_the_epoch_replication_optimum_both_ways(
    monkeypatch: pytest.MonkeyPatch, chinchilla_csv_path: object
) -> None:
    runs = read_runs(chinchilla_csv_path)  # type: ignore[arg-type]
    runs = runs.select(runs["loss"] < np.sort(runs["loss"])[-5])
    compiled, plain = _both(monkeypatch, "chinchilla", runs)
    for r in (compiled, plain):
        assert round(r.objective, 10) == 0.0010182740
        assert math.log(r.coefs["A"]) == pytest.approx(6.1693, abs=2e-4)
        assert r.n_starts_at_best >= 563  # all the 563 the screening keeps (fit/_merge.py)


def test_a_degenerate_resample_is_left_out_and_said() -> None:
    """Resamples of few runs can run off to a wall (alpha of 40, A of e^900); whichever
    solver finds such an optimum, the samples stay finite and the note says how many left."""
    rng = np.random.default_rng(5)
    rows = []
    for C in np.geomspace(1e18, 1e20, 5):
        for N in 0.6 * (C / 6) ** 0.48 * np.geomspace(1 / 5, 5, 6):
            loss = (1.69 + 406.4 * N**-0.34 + 410.7 * (C / (6 * N)) ** -0.28) * math.exp(
                0.01 * rng.normal()
            )
            rows.append({"params": N, "tokens": C / (6 * N), "loss": loss})
    import pandas as pd

    r = fit("E + A*N**-alpha", pd.DataFrame(rows), bootstrap=10, seed=0)
    assert r.samples is not None and np.all(np.isfinite(r.samples))
    left = 10 - len(r.samples)
    assert (left > 0) == any("degenerate fit" in note for note in r.notes)


def test_an_unknown_solver_choice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from scalinglab import ConfigError

    monkeypatch.setenv("SCALINGLAB_SOLVER", "jax")
    with pytest.raises(ConfigError, match="SCALINGLAB_SOLVER='jax' is not a solver choice"):
        fit("chinchilla", chinchilla_runs())


def _runnable_builds() -> list[str]:
    """The builds installed here that this CPU runs (on AVX-512 x86-64: all three)."""
    return [b for b in _builds._MODULES if _builds._cpu_runs(b) and _builds._load_first((b,))]


@pytest.mark.parametrize("build", _runnable_builds())
def test_every_build_reaches_the_numpy_solvers_optimum(
    monkeypatch: pytest.MonkeyPatch, build: str
) -> None:
    """SCALINGLAB_SOLVER forces one build (so the AVX2 one is checked on an AVX-512 CPU too);
    the result names it."""
    monkeypatch.setenv("SCALINGLAB_SOLVER", build)
    forced = fit("chinchilla", chinchilla_runs(seed=4), bootstrap=0)
    assert forced.solver == f"compiled-{build}"
    _same_optimum(forced, _numpy_reference("huber"))


@functools.cache
def _numpy_reference(loss: str) -> FitResult:
    """The NumPy solver's fit of Chinchilla runs with robust loss ``loss``, the compiled
    fits and builds are compared with (slow: computed once)."""
    saved = os.environ.get("SCALINGLAB_SOLVER")
    os.environ["SCALINGLAB_SOLVER"] = "numpy"
    try:
        return fit("chinchilla", chinchilla_runs(seed=4), robust_loss=loss, bootstrap=0)
    finally:
        if saved is None:
            del os.environ["SCALINGLAB_SOLVER"]
        else:
            os.environ["SCALINGLAB_SOLVER"] = saved


def test_auto_takes_the_fastest_build_this_cpu_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCALINGLAB_SOLVER", raising=False)
    assert build_name() == _runnable_builds()[0]


def test_a_build_the_cpu_cannot_run_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forcing AVX-512 on a CPU without it would crash the process (illegal instruction)."""
    from scalinglab import ConfigError

    monkeypatch.setattr(_builds, "_cpu_flags", lambda: frozenset({"avx", "avx2", "fma"}))
    monkeypatch.setenv("SCALINGLAB_SOLVER", "avx512")
    with pytest.raises(ConfigError, match=r"cannot run \(it needs AVX-512\)"):
        build_name()
    # and auto falls back to what the CPU has (the portable build here: no BMI/MOVBE flags)
    monkeypatch.setenv("SCALINGLAB_SOLVER", "auto")
    assert build_name() == "portable"
