"""A curve fit on dense curves polishes its best optima on thinned points before every point
(:mod:`scalinglab.curves._stages`): the same optimum, fewer optima polished on every point,
and a progress stage that moves through the polish."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

from scalinglab.curves import MultiPower
from scalinglab.curves import _stages as stages
from scalinglab.curves._fit import fit_law_to_curves
from scalinglab.fit._solver import SolveResult

Calls = list[tuple[str, int, int]]
_SOLVE = stages.minimize  # the solver itself, counted below


def _fit(monkeypatch: pytest.MonkeyPatch, dense: int) -> tuple[object, Calls, list[int]]:
    """The fit of two curves of 1,400 points each with the thinned polish from ``dense``
    points, what its progress heard, and how many optima each solve started from."""
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:2], noise=3e-3, seed=2, every=2)
    monkeypatch.setattr(stages, "DENSE_POINTS", dense)
    monkeypatch.setattr(stages, "MID_POINTS", 512)
    starts: list[int] = []

    def counted(objective, theta0, **options):  # type: ignore[no-untyped-def]
        starts.append(len(theta0))
        return _SOLVE(objective, theta0, **options)

    monkeypatch.setattr(stages, "minimize", counted)
    calls: Calls = []
    _, solved = fit_law_to_curves(
        MultiPower(), curves, progress=lambda s, d, t: calls.append((s, d, t))
    )
    return solved, calls, starts


@pytest.mark.heavy
def test_thinned_polish_reaches_the_direct_polish_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    direct, direct_calls, direct_starts = _fit(monkeypatch, dense=10**9)
    thinned, calls, starts = _fit(monkeypatch, dense=1024)
    # direct: the screen, then the 12 distinct screening optima on every point
    assert direct_starts == [144, 12]
    # thinned (2,800 points, above 1,024): the screen, the same 12 on every 6th point, then
    # fewer on every point
    assert starts[:2] == [144, 12] and len(starts) == 3 and starts[2] < 12
    # the same optimum: its objective to 1e-8 (measured: 3e-9 lower), its coefficients to
    # 1e-3 (measured: B, C, beta 2e-4 apart, along the valley where beta*B*C is what counts)
    assert thinned.objective == pytest.approx(direct.objective, rel=1e-8)  # type: ignore[attr-defined]
    np.testing.assert_allclose(thinned.params, direct.params, rtol=1e-3)  # type: ignore[attr-defined]
    # progress: "polish" counts the 12 optima from 0, the merged ones done after the thinned
    # polish, the rest as the polish on every point ends them
    polish = [(d, t) for s, d, t in calls if s == "polish"]
    assert polish[0] == (0, 12) and polish[-1] == (12, 12)
    assert (12 - starts[2], 12) in polish
    assert [d for d, _ in polish] == sorted(d for d, _ in polish)
    assert next((d, t) for s, d, t in direct_calls if s == "polish") == (0, 12)


def _solved(theta: list[list[float]], f: list[float]) -> SolveResult:
    n = len(f)
    return SolveResult(
        theta=np.array(theta),
        objective=np.array(f),
        status=np.ones(n, dtype=np.int8),
        n_iter=np.ones(n, dtype=np.int64),
    )


def test_best_treats_equal_objectives_as_one_optimum() -> None:
    far = [[1.0, 0.0], [1.0, 5.0], [1.0, -5.0]]  # apart in theta: distinct by position
    assert len(stages._best(_solved(far, [0.2, 0.2 * (1 + 1e-11), np.inf]))) == 2
    # with ``same``, an objective within 1e-8 of a better one is that optimum
    one = stages._best(_solved(far, [0.2 * (1 + 1e-11), 0.2, 0.3]), same=1e-8)
    np.testing.assert_array_equal(one, [[1.0, 5.0], [1.0, -5.0]])


def test_the_polish_has_a_bar_of_its_own() -> None:
    from scalinglab.cli._render import stage_label

    assert stage_label("polish") == "fit: best optima polished"
    assert stage_label("curves polish") == "curve law: best optima polished"  # --from-curves
