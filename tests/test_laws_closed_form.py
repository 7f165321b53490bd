"""Closed-form logs (``Law.log_form``): Kaplan's against finite differences of its
expression and against the generic autodiff, and the law choice they speed up against the
choice computed with the autodiff."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from tests.conftest import CHINCHILLA_CSV

import scalinglab as sl
from scalinglab import _builds
from scalinglab.fit import _compiled, _cuts
from scalinglab.fit._compiled import KAPLAN, available, kaplan_kernel
from scalinglab.laws import KaplanND, Law
from scalinglab.laws._log_form import LogForm
from scalinglab.validate import choose_law
from scalinglab.validate._backtest import RunsLike

RNG = np.random.default_rng(11)
N = np.geomspace(2e7, 3e10, 13)
D = np.geomspace(4e8, 6e11, 13)[RNG.permutation(13)].copy()
DATA = {"N": N, "D": D}
LOSS = ((8.8e13 / N) ** (0.076 / 0.095) + 5.4e13 / D) ** 0.095


def _points(law: Law) -> np.ndarray:
    """Interior points: starts of the law's grid (which span both terms dominating), nudged
    (the log sizes by up to 0.05, the exponents by up to 10%)."""
    grid = law.start_grid(DATA, LOSS)
    rows = grid[RNG.choice(len(grid), size=8, replace=False)]
    rows[:, [0, 2]] += RNG.uniform(-0.05, 0.05, (len(rows), 2))
    rows[:, [1, 3]] *= RNG.uniform(0.9, 1.1, (len(rows), 2))
    return rows


def _dense(d: object, K: int, P: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A derivatives ``Dual`` as dense ``(S, P)``, ``(S, K, P)``, ``(S, K, K, P)`` arrays."""
    val = np.asarray(d.val)  # type: ignore[attr-defined]
    S = val.shape[0]
    grad, hess = np.zeros((S, K, P)), np.zeros((S, K, K, P))
    for k, v in d.g.items():  # type: ignore[attr-defined]
        grad[:, k] = np.broadcast_to(v, (S, P))
    for (k, l), v in d.h.items():  # type: ignore[attr-defined]
        hess[:, k, l] = hess[:, l, k] = np.broadcast_to(v, (S, P))
    return val, grad, hess


def test_kaplan_log_derivatives_match_finite_differences_of_the_expression() -> None:
    law = KaplanND()
    form = law.log_form(DATA)
    assert form is not None
    generic = law.program.bind(DATA)  # the expression's values, no closed form in them
    for theta in _points(law):
        log_l, grad, hess = (a[0] for a in form.log_derivatives(theta[None, :]))
        want = np.log(generic.value(theta[None, :])[0])
        np.testing.assert_allclose(log_l, want, rtol=1e-13)
        np.testing.assert_allclose(form.log_value(theta[None, :])[0], want, rtol=1e-13)
        for k in range(4):  # fourth-order central differences
            e = np.zeros(4)
            e[k] = 1 + abs(theta[k])

            def at(step: float, th: np.ndarray = theta, e: np.ndarray = e) -> np.ndarray:
                return np.asarray(np.log(generic.value((th + step * e)[None, :])[0]))

            def grad_at(step: float, th: np.ndarray = theta, e: np.ndarray = e) -> np.ndarray:
                assert form is not None
                return np.asarray(form.log_derivatives((th + step * e)[None, :])[1][0])

            h = 1e-6  # the law switches terms sharply: small steps, fourth-order differences
            fd = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h * e[k])
            np.testing.assert_allclose(grad[k], fd, rtol=1e-6, atol=1e-8 * np.abs(grad).max())
            fd = (grad_at(-2 * h) - 8 * grad_at(-h) + 8 * grad_at(h) - grad_at(2 * h)) / (
                12 * h * e[k]
            )
            np.testing.assert_allclose(hess[k], fd, rtol=1e-6, atol=1e-8 * np.abs(hess).max())
            h = 1e-4  # second differences of values: larger steps against rounding
            fd = (-at(2 * h) + 16 * at(h) - 30 * log_l + 16 * at(-h) - at(-2 * h)) / (
                12 * (h * e[k]) ** 2
            )
            np.testing.assert_allclose(hess[k, k], fd, rtol=1e-4, atol=1e-6 * np.abs(hess).max())


def test_kaplan_closed_form_equals_the_autodiff() -> None:
    """What the solver's objective sees (the law and its derivatives) to 1e-10."""
    law = KaplanND()
    theta = _points(law)
    fast = _dense(law.bind(DATA).derivatives(theta, 2), 4, len(N))
    slow = _dense(law.program.bind(DATA).derivatives(theta, 2), 4, len(N))
    assert law.bind(DATA).log_form is not None
    assert law.program.bind(DATA).log_form is None
    for got, want in zip(fast, slow, strict=True):
        # entries that cancel to near zero carry the rounding of the terms they cancel
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12 * np.abs(want).max())


def test_the_solvers_contraction_is_the_hessian_summed_over_the_runs() -> None:
    """Kaplan's five-sum contraction against the full Hessian tensor (and the default one)."""
    form = KaplanND().log_form(DATA)
    assert form is not None
    theta = _points(KaplanND())
    weights = RNG.normal(size=(len(theta), len(N)))
    log_l, grad, hess = form.log_derivatives(theta)
    fast = form.solver_derivatives(theta)
    slow = LogForm.solver_derivatives(form, theta)  # the base class's, from the tensor
    want = np.einsum("bklp,bp->bkl", hess, weights)
    for got in (fast, slow):
        np.testing.assert_array_equal(got[0], log_l)
        np.testing.assert_array_equal(got[1], grad)
        scale = np.abs(want).max()
        np.testing.assert_allclose(got[2](weights), want, rtol=1e-12, atol=1e-13 * scale)


def test_laws_without_a_closed_form_use_the_autodiff() -> None:
    for law in sl.laws.catalog():
        if not isinstance(law, KaplanND):
            data = dict.fromkeys(law.variables, N)
            assert law.log_form(data) is None and law.bind(data).log_form is None


def test_kaplans_start_grid_is_its_starts_one_by_one() -> None:
    """The grid computes the data's means once; each row is still the law's start there."""
    law = KaplanND()
    axes = ((0.02, 0.05, 0.1, 0.2, 0.5), (0.02, 0.05, 0.1, 0.3, 0.8), (0.1, 0.3, 0.5, 0.7, 0.9))
    rows = [law.to_fitted(law._start(DATA, LOSS, *row)) for row in itertools.product(*axes)]
    np.testing.assert_array_equal(law.start_grid(DATA, LOSS), np.array(rows))


def _generic(monkeypatch: pytest.MonkeyPatch) -> None:
    """The NumPy solver with the autodiff: no compiled Kaplan kernel, no closed form."""
    monkeypatch.setattr(_compiled, "kaplan_kernel", lambda law, data: None)
    monkeypatch.setattr(KaplanND, "log_form", lambda self, data: None)


def _builds_here() -> list[str]:
    return [b for b in _builds._MODULES if _builds._cpu_runs(b) and _builds._load_first((b,))]


@pytest.mark.skipif(not available(), reason="the compiled solver is not built here")
def test_only_kaplans_law_gets_the_compiled_kaplan_kernel() -> None:
    kernel = kaplan_kernel(KaplanND(), DATA)
    assert kernel is not None and kernel.terms.constant == KAPLAN
    assert kaplan_kernel(sl.get_law("chinchilla"), DATA) is None
    assert kaplan_kernel(sl.get_law("((N_c/N)**(a/b) + D_c/D)**b"), DATA) is None


@pytest.mark.parametrize("build", _builds_here())
@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_kaplans_compiled_cut_fits_reach_the_numpy_solvers_optima(
    monkeypatch: pytest.MonkeyPatch, build: str
) -> None:
    """Every build's Kaplan kernel (value, gradient, Hessian in C) against the NumPy
    solver on the closed form, from the same starts, cut by cut."""
    monkeypatch.setenv("SCALINGLAB_SOLVER", build)
    runs = sl.bundled_runs("overtraining-rw")
    law = KaplanND()
    assert kaplan_kernel(law, {"N": runs["params"], "D": runs["tokens"]}) is not None
    compute = runs["params"] * runs["tokens"]
    masks = [compute < np.quantile(compute, q) for q in (0.6, 0.8)]
    data = {"N": runs["params"], "D": runs["tokens"]}
    grid = law.start_grid(data, runs["loss"])
    starts = [grid[::9], grid[4::9]]
    compiled, _ = _cuts.fit_cuts(law, runs, masks, starts, max_iter=300)
    with monkeypatch.context() as m:
        m.setattr(_compiled, "kaplan_kernel", lambda law, data: None)
        numpy, _ = _cuts.fit_cuts(law, runs, masks, starts, max_iter=300)
    for a, b in zip(compiled, numpy, strict=True):
        assert a is not None and b is not None
        np.testing.assert_allclose(a, b, rtol=1e-6)


def _same_choice(runs: RunsLike, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = choose_law(runs)
    with monkeypatch.context() as m:
        _generic(m)
        assert KaplanND().bind(DATA).log_form is None  # the autodiff's path
        slow = choose_law(runs)
    assert fast.chosen == slow.chosen and fast.n_scored == slow.n_scored
    assert fast.scores.keys() == slow.scores.keys() and "kaplan" in fast.scores
    for law, score in slow.scores.items():  # each cut's median is one run's error, as
        # close as the two solvers' optima (1e-8 on Kaplan's over-training cuts)
        assert fast.scores[law] == pytest.approx(score, rel=1e-7), law


# the other two over-training corpora repeat c4's check: -m heavy runs them
@pytest.mark.parametrize(
    "data",
    [
        "overtraining-c4",
        *(
            pytest.param(d, marks=pytest.mark.heavy)
            for d in ("overtraining-rpj", "overtraining-rw")
        ),
        "simulated",
    ],
)
def test_law_choice_is_the_autodiffs(monkeypatch: pytest.MonkeyPatch, data: str) -> None:
    """On the bundled data sets (the default is overtraining-c4; simulated is a ladder)."""
    _same_choice(sl.bundled_runs(data), monkeypatch)


@pytest.mark.skipif(not CHINCHILLA_CSV.is_file(), reason=f"shared data not found: {CHINCHILLA_CSV}")
@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_law_choice_is_the_autodiffs_on_the_chinchilla_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 240 points the Epoch replication keeps (load() of benchmarks/_fit_speed_data.py,
    fit_speed.py's inputs)."""
    import pandas as pd

    df = pd.read_csv(CHINCHILLA_CSV)
    df = df[df["loss"] < np.sort(df["loss"].to_numpy())[-5]]
    n = df["Model Size"].to_numpy(float)
    runs = pd.DataFrame({"params": n, "tokens": df["Training FLOP"].to_numpy(float) / (6 * n)})
    runs["loss"] = df["loss"].to_numpy(float)
    assert len(runs) == 240
    _same_choice(runs, monkeypatch)
