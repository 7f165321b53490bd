"""The multi-power law's compiled drop sums (fit/_dropsum.c): the NumPy path's sums, an
independent scalar reference's, and derivatives that finite differences confirm, in every
build this CPU runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scalinglab import _builds
from scalinglab.curves import MultiPower, parse_schedule
from scalinglab.curves._drop import DropAtoms
from scalinglab.curves._drop_compiled import _bind, drop_sums
from scalinglab.curves._multipower import _numpy_drop_sums


def _builds_with_kernel() -> list[str]:
    """The installed builds this CPU runs that have the drop sums (all three on AVX-512)."""
    out = []
    for b in _builds._MODULES:
        lib = _builds._load_first((b,)) if _builds._cpu_runs(b) else None
        if lib is not None and _bind(lib[0]) is not None:
            out.append(b)
    return out


BUILDS = _builds_with_kernel()
pytestmark = pytest.mark.skipif(
    not BUILDS,
    reason="no compiled build with the drop sums here (no C compiler when the package was "
    "installed); the multi-power law uses its NumPy path",
)


def _random_atoms(rng: np.random.Generator, n_slots: int = 300) -> DropAtoms:
    """Atoms of mixed sign over slots holding 0 to 40 atoms each (so slots straddle the
    C code's 256-atom blocks and NumPy's chunks), with areas that make u range over
    1e-13 ... 1e12 (log1p's small and large ends)."""
    per = rng.integers(0, 41, n_slots)
    per[[3, n_slots // 2]] = 0  # empty slots inside the range
    point = np.repeat(np.arange(n_slots), per).astype(np.int64)
    q = len(point)
    drop = rng.normal(0.0, 1e-4, q)
    log_lr = rng.uniform(math.log(1e-6), math.log(1e-3), q)
    log_area = rng.uniform(-30.0, 8.0, q)
    return DropAtoms(drop, log_lr, log_area, point, n_slots)


def _params(rng: np.random.Generator, S: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    C = np.exp(rng.uniform(math.log(0.01), math.log(50.0), S))
    return C, rng.uniform(0.05, 3.0, S), rng.uniform(-0.5, 1.5, S)


def _scalar_reference(at: DropAtoms, c: float, beta: float, gamma: float) -> np.ndarray:
    """Sums and sums of magnitudes ``(2, 4, n_slots)``, one atom at a time in Python's
    scalar math (``math.log1p``, ``math.expm1``) with exactly rounded sums (``math.fsum``)."""
    terms: list[list[list[float]]] = [[[] for _ in range(at.n_slots)] for _ in range(4)]
    for d, ll, la, pt in zip(at.drop, at.log_lr, at.log_area, at.point, strict=True):
        u = c * math.exp(la - gamma * ll)
        l1u = math.log1p(u)
        pw = math.exp(-beta * l1u)
        common = d * beta * pw * u / (1.0 + u)
        drop_term = -d * math.expm1(-beta * l1u)  # 1 - pw without its cancellation
        for j, t in enumerate((drop_term, common / c, d * pw * l1u, common * ll)):
            terms[j][pt].append(t)
    sums = [[math.fsum(t) for t in row] for row in terms]
    mags = [[math.fsum(abs(x) for x in t) for t in row] for row in terms]
    return np.array([sums, mags])


def _force(monkeypatch: pytest.MonkeyPatch, build: str) -> None:
    monkeypatch.setenv("SCALINGLAB_SOLVER", build)


@pytest.mark.parametrize("build", BUILDS)
def test_sums_match_a_scalar_reference(monkeypatch: pytest.MonkeyPatch, build: str) -> None:
    """Each sum within 1e-13 of its terms' magnitude (terms of both signs cancel, so a
    relative error of the sum itself is not the measure) for tiny u, where log1p is
    computed from log, and huge u alike."""
    _force(monkeypatch, build)
    rng = np.random.default_rng(11)
    at = _random_atoms(rng)
    C, beta, gamma = _params(rng, 3)
    got = drop_sums(at, C, beta, gamma, jacobian=True, threads=1)
    assert got is not None
    u = C[:, None] * np.exp(at.log_area[None, :] - gamma[:, None] * at.log_lr[None, :])
    assert u.min() < 1e-8 and u.max() > 1e4  # both ends of log1p are exercised
    for s in range(3):
        ref, mag = _scalar_reference(at, C[s], beta[s], gamma[s])
        assert np.all(np.abs(got[:, s] - ref) <= 1e-13 * mag + 1e-300), s
    value_only = drop_sums(at, C, beta, gamma, jacobian=False, threads=1)
    assert value_only is not None
    np.testing.assert_array_equal(value_only[0], got[0])


@pytest.mark.parametrize("build", BUILDS)
def test_the_law_matches_its_numpy_path(monkeypatch: pytest.MonkeyPatch, build: str) -> None:
    """Values and Jacobian of the law on a long warm-up + cosine + WSD pair (tens of
    thousands of atoms, interpolated slots) at random parameters, compiled and NumPy."""
    law = MultiPower()
    specs = [
        "cosine:peak=3e-4,end=3e-5,warmup=1500,steps=30000",
        "wsd:peak=3e-4,end=3e-5,warmup=1500,decay=0.2,shape=sqrt,steps=30000",
    ]
    schedules = [parse_schedule(s) for s in specs]
    prep = law.prepare(schedules, [np.arange(1500, 30000, 97) for _ in specs])
    assert prep["atoms"].n_atoms > 10_000
    rng = np.random.default_rng(3)
    C, beta, gamma = _params(rng, 13)
    L0, A, alpha = np.full(13, 3.0), np.full(13, 0.6), np.full(13, 0.5)
    p = np.column_stack([L0, A, alpha, rng.uniform(100, 1000, 13), C, beta, gamma])
    _force(monkeypatch, build)
    val, jac = law.evaluate(p, prep, jacobian=True)
    _force(monkeypatch, "numpy")
    ref_val, ref_jac = law.evaluate(p, prep, jacobian=True)
    assert val.shape == ref_val.shape and jac is not None and ref_jac is not None
    np.testing.assert_allclose(val, ref_val, rtol=1e-12)
    # each derivative row to 1e-12 of its largest entry (a drop's derivative crosses zero)
    scale = np.max(np.abs(ref_jac), axis=2, keepdims=True)
    assert np.all(np.abs(jac - ref_jac) <= 1e-12 * scale)


@pytest.mark.parametrize("build", BUILDS)
def test_jacobian_matches_finite_differences(monkeypatch: pytest.MonkeyPatch, build: str) -> None:
    _force(monkeypatch, build)
    law = MultiPower()
    s = parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=1000,decay=0.3,steps=12000")
    prep = law.prepare([s], [np.arange(1000, 12000, 50)])
    p0 = np.array([3.0, 0.5, 0.5, 400.0, 2.0, 0.5, 0.6])
    _, jac = law.evaluate(p0[None, :], prep, jacobian=True)
    assert jac is not None
    for k in range(3, 7):  # the drop's parameters: the compiled sums' derivatives
        h = 1e-6 * abs(p0[k])
        up, dn = p0.copy(), p0.copy()
        up[k] += h
        dn[k] -= h
        fd = (
            law.evaluate(up[None, :], prep, jacobian=False)[0]
            - law.evaluate(dn[None, :], prep, jacobian=False)[0]
        ) / (2 * h)
        np.testing.assert_allclose(jac[0, k], fd[0], rtol=1e-6, atol=1e-9 * np.abs(fd).max())


def test_threads_do_not_change_the_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    _force(monkeypatch, BUILDS[0])
    rng = np.random.default_rng(5)
    at = _random_atoms(rng, n_slots=2000)
    C, beta, gamma = _params(rng, 7)
    assert 7 * at.n_atoms >= 1 << 15  # large enough to be split
    one = drop_sums(at, C, beta, gamma, jacobian=True, threads=1)
    three = drop_sums(at, C, beta, gamma, jacobian=True, threads=3)
    assert one is not None and three is not None
    np.testing.assert_array_equal(one, three)


def test_numpy_choice_takes_the_numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """SCALINGLAB_SOLVER=numpy: no compiled code, for the solver and the drop sums alike."""
    monkeypatch.setenv("SCALINGLAB_SOLVER", "numpy")
    rng = np.random.default_rng(1)
    at = _random_atoms(rng, n_slots=20)
    assert drop_sums(at, *_params(rng, 2), jacobian=False) is None


def test_overflowing_u_gives_the_numpy_paths_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """u = inf (C·exp(...) overflows): the drop term is the whole drop, as in NumPy."""
    _force(monkeypatch, BUILDS[0])
    at = DropAtoms(
        np.array([1e-4, -2e-5]), np.array([-8.0, -9.0]), np.array([720.0, 5.0]),
        np.array([0, 0], dtype=np.int64), 1,
    )  # fmt: skip
    C, beta, gamma = np.array([1e6]), np.array([0.5]), np.array([-1.0])
    got = drop_sums(at, C, beta, gamma, jacobian=False, threads=1)
    with np.errstate(all="ignore"):
        ref = _numpy_drop_sums(at, C[:, None], beta[:, None], gamma[:, None], jacobian=False)
    assert got is not None and np.isfinite(ref).all()
    np.testing.assert_allclose(got, ref, rtol=1e-12)
