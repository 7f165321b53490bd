"""Screening and merging grid starts (fit/_merge.py): the same optimum as solving every start
to the end; merging alone, the same count at the best give or take a few; kept starts along
the same paths; fewer steps; both solvers."""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np
import pytest
from tests.conftest import CHINCHILLA_CSV

from scalinglab import bundled_runs, fit, read_runs
from scalinglab.fit import _merge
from scalinglab.fit._center import centering_for
from scalinglab.fit._compiled import available, kernel_for
from scalinglab.fit._losses import get_loss
from scalinglab.fit._objective import Objective
from scalinglab.fit._solver import Status, minimize
from scalinglab.laws import get_law


def _problem(runs: object) -> tuple[Objective, np.ndarray, np.ndarray, np.ndarray]:
    """Chinchilla's objective on ``runs``, its 4,500-point grid and bounds (solver space)."""
    law = get_law("chinchilla")
    data = {"N": runs["params"], "D": runs["tokens"]}  # type: ignore[index]
    center = centering_for(law, data)
    solver_data = center.data(data)
    objective = Objective(
        law.bind(solver_data),
        np.log(runs["loss"]),  # type: ignore[index]
        get_loss("huber", delta=1e-3),
        True,
        kernel=kernel_for(law, solver_data),
    )
    lower, upper = law.fitted_bounds()
    grid = center.to_solver(law.start_grid(data, runs["loss"]))  # type: ignore[index]
    return objective, grid, lower, upper


def _compare(
    runs: object, monkeypatch: pytest.MonkeyPatch, *, stride: int = 1, fits: bool = False
) -> tuple[float, float]:
    """Merged (every start kept by the screening) against solved to the end, on every
    ``stride``-th grid point: the optimum and the count at the best agree (and ``fit()``'s
    results, with ``fits``); returns both solves' total steps."""
    monkeypatch.setattr(_merge, "KEEP_EVERY", 1)
    objective, grid, lower, upper = _problem(runs)
    grid = grid[::stride]
    merged = _merge.solve_grid(
        objective, grid, lower=lower, upper=upper, max_iter=300, progress=None, threads=None
    )
    full = minimize(objective, grid, lower=lower, upper=upper, max_iter=300)
    f_m, f_f = np.min(merged.objective), np.min(full.objective)
    assert f_m == pytest.approx(f_f, rel=1e-12)
    best_m = merged.theta[np.argmin(merged.objective)]
    best_f = full.theta[np.argmin(full.objective)]
    np.testing.assert_allclose(best_m, best_f, rtol=1e-6, atol=1e-8)
    at_m = np.sum(np.abs(merged.objective - f_m) <= 1e-6 * f_m)
    at_f = np.sum(np.abs(full.objective - f_f) <= 1e-6 * f_f)
    assert abs(int(at_m) - int(at_f)) <= 0.005 * len(grid)  # measured: +3 and +6 of 4,500
    assert not np.any(merged.status == Status.MERGED)  # reported as converged at the best
    if not fits:
        return float(merged.n_iter.sum()), float(full.n_iter.sum())
    with monkeypatch.context() as m:  # the two agree as fit() reports them too
        m.setattr(_merge, "MERGE_FROM", 10**9)  # neither screened nor merged
        plain = fit("chinchilla", runs)  # type: ignore[arg-type]
    together = fit("chinchilla", runs)  # type: ignore[arg-type]
    assert together.objective == pytest.approx(plain.objective, rel=1e-12)
    for name, value in plain.coefs.items():
        assert together.coefs[name] == pytest.approx(value, rel=1e-6), name
    return float(merged.n_iter.sum()), float(full.n_iter.sum())


def test_merging_on_the_bundled_runs_reaches_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps, full = _compare(bundled_runs(), monkeypatch, stride=3)
    assert steps <= full  # the other ends lie within 2e-5 of the best: little is merged


@pytest.mark.slow
@pytest.mark.skipif(not CHINCHILLA_CSV.is_file(), reason=f"shared data not found: {CHINCHILLA_CSV}")
def test_merging_on_the_chinchilla_points_skips_most_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    steps, full = _compare(read_runs(CHINCHILLA_CSV), monkeypatch, fits=True)
    assert steps < 0.65 * full  # measured ~0.55


@pytest.mark.heavy
def test_screening_keeps_an_eighth_solved_along_the_same_paths_to_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every start takes the screening steps; the eighth of lowest objective then is solved
    to the end, exactly as without screening; the rest say SCREENED and lie above the best.
    On the bundled runs (an unidentified fit: ~147 steps a start) that is a seventh of the
    steps, to the same optimum, and fit() reports the same result."""
    objective, grid, lower, upper = _problem(bundled_runs())
    full = minimize(objective, grid, lower=lower, upper=upper, max_iter=300)
    with monkeypatch.context() as m:
        m.setattr(_merge, "MERGE_FROM", 4000)  # screened, but the kept ones are not merged
        got = _merge.solve_grid(
            objective, grid, lower=lower, upper=upper, max_iter=300, progress=None, threads=None
        )
    screened = got.status == Status.SCREENED
    ended = ~screened
    # ended within the screening steps, or kept and solved: the same paths, bit for bit
    np.testing.assert_array_equal(got.objective[ended], full.objective[ended])
    np.testing.assert_array_equal(got.theta[ended], full.theta[ended])
    np.testing.assert_array_equal(got.n_iter[ended], full.n_iter[ended])  # screening's included
    kept = ended & (full.n_iter > _merge.SCREEN_STEPS)
    assert kept.sum() == math.ceil(len(grid) / _merge.KEEP_EVERY)
    f_best = float(np.min(full.objective))
    # the lowest of all 4,500 ends is a tie broken in the last digits: any at-best start
    assert float(np.min(got.objective[ended])) == pytest.approx(f_best, rel=1e-12)
    assert np.all(got.objective[screened] > f_best)
    assert np.all(got.n_iter[screened] == _merge.SCREEN_STEPS)
    # the kept starts all reach the best (measured: 563 of 563 kept; 12 others ended early)
    assert np.sum(np.abs(full.objective[kept] - f_best) <= 1e-6 * f_best) >= 0.95 * kept.sum()
    merged = _merge.solve_grid(
        objective, grid, lower=lower, upper=upper, max_iter=300, progress=None, threads=None
    )
    assert float(np.min(merged.objective)) == pytest.approx(f_best, rel=1e-12)
    assert merged.n_iter.sum() < 0.2 * full.n_iter.sum()  # measured 0.13
    with monkeypatch.context() as m:
        m.setattr(_merge, "KEEP_EVERY", 1)  # every start kept: merging alone, as before
        plain = fit("chinchilla", bundled_runs(), bootstrap=0)
    screened_fit = fit("chinchilla", bundled_runs(), bootstrap=0)
    assert screened_fit.objective == pytest.approx(plain.objective, rel=1e-12)
    for name, value in plain.coefs.items():
        assert screened_fit.coefs[name] == pytest.approx(value, rel=1e-7), name
    assert plain.n_starts_solved == plain.n_starts == screened_fit.n_starts == len(grid)
    assert screened_fit.n_starts_solved == int(np.sum(ended))
    assert screened_fit.n_starts_at_best >= 0.95 * kept.sum()


def test_a_start_in_the_window_stops_merged_and_one_below_it_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window is [best leading objective, level): a start whose accepted point falls in
    it stops there; one that only reaches below the window's bottom runs to its end."""
    objective, grid, lower, upper = _problem(bundled_runs())
    starts = grid[::500]
    for solver in ("compiled", "numpy"):
        with monkeypatch.context() as m:
            if solver == "numpy":
                m.setenv("SCALINGLAB_SOLVER", "numpy")
            elif not available():
                continue
            full = minimize(objective, starts, lower=lower, upper=upper, max_iter=300)
            f_best = float(np.min(full.objective))
            window = np.array([[f_best, 1.01 * f_best]])
            got = minimize(
                objective, starts, lower=lower, upper=upper, max_iter=300, merge_window=window
            )
            merged = got.status == Status.MERGED
            assert merged.any(), solver
            assert np.all(got.objective[merged] >= f_best)
            assert np.all(got.objective[merged] < 1.01 * f_best)
            assert np.all(got.n_iter[merged] <= full.n_iter[merged])
            # a window above every start's reach: nothing stops early, results unchanged
            none = minimize(
                objective, starts, lower=lower, upper=upper, max_iter=300,
                merge_window=np.array([[0.0, 0.0]]),
            )  # fmt: skip
            assert not np.any(none.status == Status.MERGED)
            np.testing.assert_array_equal(none.objective, full.objective)


def test_merged_results_do_not_depend_on_threads() -> None:
    """Screened and merged, the same with 1 and 3 threads."""
    objective, grid, lower, upper = _problem(bundled_runs())
    one, three = (
        _merge.solve_grid(
            objective,
            grid[::4],
            lower=lower,
            upper=upper,
            max_iter=300,
            progress=None,
            threads=t,
        )
        for t in (1, 3)
    )
    np.testing.assert_array_equal(one.objective, three.objective)
    np.testing.assert_array_equal(one.status, three.status)


def test_a_small_grid_is_solved_in_one_pass() -> None:
    objective, grid, lower, upper = _problem(bundled_runs())
    few = grid[: _merge.MERGE_FROM - 1]
    got = _merge.solve_grid(
        objective, few, lower=lower, upper=upper, max_iter=300, progress=None, threads=None
    )
    full = minimize(objective, few, lower=lower, upper=upper, max_iter=300)
    np.testing.assert_array_equal(got.objective, full.objective)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_each_resample_screened_solves_the_half_of_its_starts_lowest_after_screening(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``KEEP_OF = 2`` the bootstrap screens per resample (fit/_bootstrap.py): half of
    each resample's six starts are solved to the end, here the samples and intervals those
    of solving all six (not everywhere: tests/test_fit_bootstrap_optimum.py)."""
    from scalinglab.fit import _bootstrap

    runs = bundled_runs("overtraining-rw")
    with monkeypatch.context() as m:
        m.setattr(_bootstrap, "KEEP_OF", 2)
        screened_fit = fit("chinchilla", runs, bootstrap=60, seed=2, extrapolation=False)
    with monkeypatch.context() as m:
        m.setattr(_bootstrap, "KEEP_OF", 1)  # every start of every resample solved
        every = fit("chinchilla", runs, bootstrap=60, seed=2, extrapolation=False)
    assert screened_fit.samples is not None and every.samples is not None
    # measured on the six bundled and Chinchilla sets: intervals to 2.4e-8 relative
    np.testing.assert_allclose(screened_fit.samples, every.samples, rtol=1e-6, atol=1e-12)
    for name, (lo, hi) in every.intervals.items():
        assert screened_fit.intervals[name] == pytest.approx((lo, hi), rel=1e-6), name
    steps: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        out = _merge.screened(*args, **kwargs)
        steps.append(int(out.n_iter.sum()))
        return out

    for keep_of in (1, 2):
        with monkeypatch.context() as m:
            m.setattr(_bootstrap, "KEEP_OF", keep_of)
            m.setattr(_bootstrap, "screened", counting)
            fit("chinchilla", runs, bootstrap=60, seed=2, extrapolation=False)
    assert steps[1] < 0.6 * steps[0]  # measured 0.45 (both count the screening steps)


@pytest.mark.skipif(not available(), reason="no compiled build here")
@pytest.mark.parametrize("name", ["chinchilla", "overtraining", "kaplan"])
def test_a_start_resumed_from_its_saved_state_takes_the_path_it_would_have(name: str) -> None:
    """Stopped at the screening steps with its state saved, then resumed: every start ends
    where solving it in one go ends, bit for bit (steps and status too), weighted or not, for
    Chinchilla's one-pass kernel (a stale point's memo, a current point's derivatives), the
    general power sums (the over-training law) and Kaplan's kernel."""
    runs = bundled_runs()
    law = get_law(name)
    data = {"N": runs["params"], "D": runs["tokens"]}
    center = centering_for(law, data)
    solver_data = center.data(data)
    kernel = kernel_for(law, solver_data)
    assert kernel is not None
    lower, upper = law.fitted_bounds()
    grid = center.to_solver(law.start_grid(data, runs["loss"]))
    grid = grid[:: max(1, len(grid) // 400)]
    rng = np.random.default_rng(3)
    weights = rng.integers(0, 3, size=(4, len(runs["loss"]))).astype(float)
    for w, groups in ((None, None), (weights, np.arange(len(grid)) % 4)):
        objective = Objective(
            law.bind(solver_data), np.log(runs["loss"]), get_loss("huber", delta=1e-3), True,
            w, kernel=kernel,
        )  # fmt: skip
        kw: dict[str, Any] = {"lower": lower, "upper": upper, "groups": groups}
        full = minimize(objective, grid, max_iter=300, **kw)
        first = minimize(objective, grid, max_iter=_merge.SCREEN_STEPS, keep_states=True, **kw)
        assert first.states is not None
        going = first.status == Status.MAX_ITER
        stale = first.states[going, 3]  # the state's stale flag: both kinds are resumed
        assert going.sum() > 100 and 0 < stale.sum() < len(stale)
        kw["groups"] = None if groups is None else groups[going]
        rest = minimize(objective, first.theta[going], max_iter=300,
                        resume=first.states[going], **kw)  # fmt: skip
        np.testing.assert_array_equal(rest.theta, full.theta[going])
        np.testing.assert_array_equal(rest.objective, full.objective[going])
        np.testing.assert_array_equal(rest.status, full.status[going])
        np.testing.assert_array_equal(rest.n_iter, full.n_iter[going])


def test_a_converged_start_tied_at_the_best_comes_first() -> None:
    """A stalled start a rounding error below the converged ones (the same optimum) must not
    make the fit "failed": the lowest converged start tied with it comes first."""
    c, s = Status.CONVERGED, Status.STALLED
    ended = np.array([5e-4 + 3e-15, 4.08361593841e-4, 4.08361593898e-4, np.inf, 4.0836159390e-4])
    status = np.array([c, s, c, Status.NONFINITE, c], dtype=np.int8)
    assert list(_merge.best_first(ended, status)) == [2, 1, 4, 0, 3]
    # not tied (1e-4 relative below, past AT_BEST_RTOL): the stalled start stays the best
    ended[1] = 4.08e-4 * (1 - 1e-4)
    assert list(_merge.best_first(ended, status)) == [1, 2, 4, 0, 3]
    # no converged start at the best: the order by objective
    status[2] = status[4] = Status.MAX_ITER
    assert list(_merge.best_first(ended, status)) == [1, 2, 4, 0, 3]


def test_fit_with_a_stalled_start_at_the_best_is_converged(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole fit: its best start stalled a hair below a converged one, reported converged
    at the converged start's optimum."""
    real = _merge.solve_grid

    def stall_one_below(*args: Any, **kwargs: Any) -> Any:
        solved = real(*args, **kwargs)
        f, status, theta = solved.objective.copy(), solved.status.copy(), solved.theta.copy()
        good = int(np.argmin(np.where(status == Status.CONVERGED, f, np.inf)))
        other = (good + 1) % len(f)
        f[other], status[other] = f[good] * (1 - 1e-12), Status.STALLED
        theta[other] = theta[good] * (1 + 1e-9)
        return type(solved)(theta=theta, objective=f, status=status, n_iter=solved.n_iter)

    # fit solves a grid through _screen_runs.solve_large, which calls solve_grid for a table
    # of this size
    monkeypatch.setattr(
        importlib.import_module("scalinglab.fit._screen_runs"), "solve_grid", stall_one_below
    )
    result = fit("chinchilla", read_runs(CHINCHILLA_CSV), bootstrap=0)
    assert result.status == "converged" and result.ok
    assert result.n_starts_at_best >= 2
