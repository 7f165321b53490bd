"""The compiled solver for sums of power terms (``_sumpow.c``): loading it and calling it.

It runs the NumPy solver's algorithm one start at a time in C, for laws of the form
``E + sum_v A_v * X_v**-alpha_v`` in log space (Chinchilla, power laws with or without a
constant, and formulas of that shape), and Kaplan's ``L(N, D)`` (:func:`kaplan_kernel`).
Threads split the starts (:mod:`._pool`'s, shared with the drop sums): ctypes releases the
GIL for the call, so each thread solves its share on its own core.

Which build is loaded (AVX-512, AVX2, ARM64 or portable, chosen from the CPU's flags; or
none, and the NumPy solver) is :mod:`scalinglab._builds`'s business. Both solvers reach the same
optima; their last digits differ, since the order of additions does.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab import _builds
from scalinglab._builds import available, build_name, library_name, missing_note
from scalinglab.fit._pool import default_threads, run_ranges, thread_count
from scalinglab.fit._terms import PowerSum, power_sum
from scalinglab.laws import Law

__all__ = [
    "Kernel",
    "available",
    "build_name",
    "default_threads",
    "kaplan_kernel",
    "kernel_for",
    "library_name",
    "missing_note",
    "solve_compiled",
]

_LOSS_CODES = {"huber": 0, "soft_l1": 1, "squared": 2}
_MAX_K = 16  # the C code's fixed work arrays
#: ``Kernel.terms.constant`` that selects Kaplan's kernel in ``_sumpow.c`` (its ``KAPLAN``)
KAPLAN = -2

_double_p = ctypes.POINTER(ctypes.c_double)


@dataclass(frozen=True)
class Kernel:
    """What the compiled solver needs beyond the objective.

    Attributes:
        terms: Which fitted parameters are ``E``, the coefficients and the exponents.
        log_x: The log of each term's variable, ``(V, P)``, as the solver's law sees it.
    """

    terms: PowerSum
    log_x: np.ndarray


def kernel_for(law: Law, data: Mapping[str, np.ndarray]) -> Kernel | None:
    """The compiled solver's view of ``law`` on ``data``; ``None`` if it cannot take it.

    Sums of power terms, and Kaplan's ``L(N, D)`` where the build has its kernel
    (:func:`kaplan_kernel`); every fit of those laws in log space goes through it.
    """
    terms = power_sum(law)
    if terms is None:
        return kaplan_kernel(law, data)
    if len(law.params) > _MAX_K:
        return None
    with np.errstate(all="ignore"):
        log_x = np.log(np.array([data[v] for v in terms.variables], dtype=np.float64))
    if not np.all(np.isfinite(log_x)):
        return None
    return Kernel(terms, np.ascontiguousarray(log_x))


def kaplan_kernel(law: Law, data: Mapping[str, np.ndarray]) -> Kernel | None:
    """The compiled solver's Kaplan kernel for ``law`` on ``data`` (``None`` for any other
    law, or a build without it: the NumPy solver then runs, with the same closed form).

    Kaplan's ``L(N, D)`` is not a sum of power terms; ``_sumpow.c`` has its value and
    derivative passes beside the power sums' (marked by ``terms.constant == KAPLAN``), with
    the same step logic. :func:`kernel_for` hands it to every Kaplan fit in log space
    (``fit``, its bootstrap and calibration, the law choice's cut fits, downstream chains).
    """
    from scalinglab.laws import KaplanND

    lib = _builds.library()
    if not isinstance(law, KaplanND) or lib is None or not hasattr(lib[0], "sumpow_has_kaplan"):
        return None
    with np.errstate(all="ignore"):
        log_x = np.log(np.array([data["N"], data["D"]], dtype=np.float64))
    if not np.all(np.isfinite(log_x)):
        return None
    return Kernel(PowerSum(KAPLAN, (0, 2), (1, 3), ("N", "D")), np.ascontiguousarray(log_x))


def solve_compiled(
    kernel: Kernel,
    *,
    target: np.ndarray,
    loss: str,
    delta: float,
    weights: np.ndarray | None,
    theta0: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    groups: np.ndarray,
    max_iter: int,
    ftol: float,
    xtol: float,
    threads: int | None,
    progress: Callable[[int, int], None] | None,
    merge_window: np.ndarray | None = None,
    keep_states: bool = False,
    resume: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Solve every start; ``(theta, objective, status, steps, states)``, or ``None`` if the
    compiled solver is not available for this problem (the caller then uses the NumPy
    solver). ``merge_window`` (``(R, 2)``: a window of objective per weight row) ends a start
    whose accepted point falls in its window with status ``MERGED``
    (:func:`.._solver.minimize`). With ``keep_states``, a start that stops at ``max_iter``
    saves its state in its row of ``states`` (``None`` from a build without saved states);
    ``resume``, such rows: each start goes on from its state (``theta0`` then holds where it
    stopped), to the same bits as if it had not stopped."""
    lib = _builds.library()
    if lib is None or loss not in _LOSS_CODES:
        return None
    has_states = hasattr(lib[0], "sumpow_solve_states")
    if resume is not None and not has_states:
        return None
    states = None
    if resume is not None:
        states = np.ascontiguousarray(resume, dtype=np.float64)
    elif keep_states and has_states:
        size = lib[0].sumpow_state_size(len(lower), kernel.log_x.shape[1])
        states = np.empty((len(theta0), size))
    fn = lib[0].sumpow_solve if states is None else lib[0].sumpow_solve_states
    theta = np.ascontiguousarray(theta0, dtype=np.float64).copy()
    S, K = theta.shape
    V, P = kernel.log_x.shape
    y = np.ascontiguousarray(target, dtype=np.float64)
    w = None if weights is None else np.ascontiguousarray(weights, dtype=np.float64)
    g = np.ascontiguousarray(groups, dtype=np.int64)
    lo = np.ascontiguousarray(lower, dtype=np.float64)
    hi = np.ascontiguousarray(upper, dtype=np.float64)
    merge = None if merge_window is None else np.ascontiguousarray(merge_window, dtype=np.float64)
    coefs = np.array(kernel.terms.coefs, dtype=np.intc)
    expos = np.array(kernel.terms.expos, dtype=np.intc)
    f = np.empty(S)
    status = np.empty(S, dtype=np.int8)
    steps = np.empty(S, dtype=np.int64)

    # every argument but the range, converted once, not per chunk: 12 us less Python (with
    # the GIL) per chunk, of ~250 chunks in a default `scalinglab fit`
    args = (
        K, P, V,
        kernel.log_x.ctypes.data_as(_double_p), y.ctypes.data_as(_double_p),
        None if w is None else w.ctypes.data, g.ctypes.data,
        kernel.terms.constant, coefs.ctypes.data, expos.ctypes.data,
        _LOSS_CODES[loss], delta, lo.ctypes.data_as(_double_p), hi.ctypes.data_as(_double_p),
        max_iter, ftol, xtol,
        theta.ctypes.data_as(_double_p), f.ctypes.data_as(_double_p),
        status.ctypes.data, steps.ctypes.data,
        None if merge is None else merge.ctypes.data,
    ) + (() if states is None else (states.ctypes.data, int(resume is not None)))  # fmt: skip

    def run(begin: int, end: int) -> int:
        return int(fn(begin, end, *args))

    n_threads = thread_count(threads)
    # chunks small enough to balance the threads and move a progress bar, large enough that
    # the per-call overhead (microseconds) stays far below the solving (milliseconds)
    size = max(8, math.ceil(S / (16 * n_threads)))
    chunks = [(b, min(b + size, S)) for b in range(0, S, size)]
    ok = run_ranges(
        run,
        chunks,
        threads=n_threads,
        progress=None if progress is None else (lambda done: progress(done, S)),
    )
    return (theta, f, status, steps, states) if ok else None
