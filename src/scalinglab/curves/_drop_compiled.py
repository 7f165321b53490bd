"""The multi-power law's drop sums in compiled code (``fit/_dropsum.c``), when built.

:meth:`.MultiPower.evaluate` spends most of a fit in ``exp`` and ``log1p`` over its drop
atoms (one of each, and another ``exp``, per atom and parameter vector). NumPy's float64
``exp``/``log`` are vectorised only with AVX-512; the compiled sums use glibc's vector
``exp``/``log`` (libmvec) on AVX2 and AVX-512 too, and add each block of atoms into its
slots while it is in cache, with no temporary arrays.

The code is part of every build of the compiled solver (``setup.py``), so the build in use
is :mod:`scalinglab._builds`'s choice, ``SCALINGLAB_SOLVER`` included: with no build
(or ``SCALINGLAB_SOLVER=numpy``, or a build older than this code) :func:`drop_sums`
returns ``None`` and the law takes its NumPy path, which gives the same sums to rounding.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import os
import weakref
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab import _builds
from scalinglab.curves._drop import DropAtoms
from scalinglab.fit._pool import run_ranges, thread_count

__all__ = ["drop_sums"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

# atom x vector evaluations from which the vectors are split over threads (ctypes releases
# the GIL): about 0.2 ms of work, well above the ~40 µs a hand-over to a pool thread took
_SPLIT_WORK = 1 << 15


def drop_sums(
    atoms: DropAtoms,
    C: Array,
    beta: Array,
    gamma: Array,
    *,
    jacobian: bool,
    threads: int | None = None,
) -> Array | None:
    """Sums ``(1 or 4, S, n_points)`` of the drop atoms at each logged step and parameter
    vector, or ``None`` when no compiled build has them (the caller then computes them in
    NumPy).

    Row 0 sums ``D·(1 - (1 + u)^-beta)``, ``u = C·exp(log_area - gamma·log_lr)``; with
    ``jacobian`` rows 1-3 sum ``D·beta·(1+u)^(-beta-1)·u/C``, ``D·(1+u)^-beta·log1p(u)``
    and ``D·beta·(1+u)^(-beta-1)·u·log_lr`` (as :meth:`.MultiPower.evaluate` uses them),
    into slots and through ``atoms.mix`` to the logged steps, as
    :meth:`.DropAtoms.slots_to_points` does.

    Args:
        atoms: The drop atoms (slots non-decreasing).
        C: The drop's rate, one per parameter vector ``(S,)``; ``beta``, ``gamma`` alike.
        jacobian: Whether to add the three derivative sums.
        threads: Threads that may split the vectors of a large call (default: every core
            this process may use). The sums do not depend on it.
    """
    fn = _kernel()
    if fn is None:
        return None
    params = np.ascontiguousarray(np.stack([C, beta, gamma]), dtype=np.float64)
    S = params.shape[1]
    rows = 4 if jacobian else 1
    slots = np.empty((rows, S, atoms.n_slots))
    mix = _mix(atoms)
    points = slots if mix is None else np.empty((rows, S, atoms.n_points))
    # DropAtoms builds its arrays contiguous, so these are the same arrays, not copies
    kept = [
        np.ascontiguousarray(a, dtype=kind)
        for a, kind in (
            (atoms.drop, np.float64),
            (atoms.log_lr, np.float64),
            (atoms.log_area, np.float64),
            (atoms.point, np.int64),
        )
    ]
    args = [a.ctypes.data for a in kept]
    mix_args = [None, None, None] if mix is None else [a.ctypes.data for a in mix]

    def run(begin: int, end: int) -> int:
        return int(
            fn(
                begin, end, S, atoms.n_atoms, atoms.n_slots, *args,
                params.ctypes.data, rows, slots.ctypes.data,
                atoms.n_points, *mix_args, points.ctypes.data,
            )
        )  # fmt: skip

    n = min(thread_count(threads), S) if S * atoms.n_atoms >= _SPLIT_WORK else 1
    if n <= 1:
        ok = run(0, S) == 0
    else:  # one share per thread, this one's included (the process's shared workers)
        edges = [round(S * i / n) for i in range(n + 1)]
        ok = run_ranges(run, list(itertools.pairwise(edges)), threads=n)
    if not ok:
        raise RuntimeError(
            "the compiled drop sums refused their atoms (a slot out of range: a bug in "
            "scalinglab; SCALINGLAB_SOLVER=numpy avoids the compiled code meanwhile)"
        )
    return points


# atoms -> their slot-to-step map as contiguous CSR arrays, made once per atoms
_MIXES: weakref.WeakKeyDictionary[DropAtoms, tuple[IntArray, IntArray, Array]] = (
    weakref.WeakKeyDictionary()
)


def _mix(atoms: DropAtoms) -> tuple[IntArray, IntArray, Array] | None:
    """``atoms.mix`` as int64 row pointers, int64 columns and float64 weights."""
    if atoms.mix is None:
        return None
    got = _MIXES.get(atoms)
    if got is None:
        m = atoms.mix
        got = (
            np.ascontiguousarray(m.indptr, dtype=np.int64),
            np.ascontiguousarray(m.indices, dtype=np.int64),
            np.ascontiguousarray(m.data, dtype=np.float64),
        )
        _MIXES[atoms] = got
    return got


def _kernel() -> Any:
    return _kernel_for(os.environ.get("SCALINGLAB_SOLVER"))


@functools.cache
def _kernel_for(choice: str | None) -> Any:
    """The kernel for a ``SCALINGLAB_SOLVER`` value (the choice from the CPU's flags took
    14 µs, a few % of a small evaluation: made once per value)."""
    lib = _builds.library()
    return None if lib is None else _bind(lib[0])


@functools.cache
def _bind(lib: ctypes.CDLL) -> Any:
    """The kernel of a loaded build, typed; ``None`` for a build made before it existed."""
    fn = getattr(lib, "dropsum_multipower", None)
    if fn is None:
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = [
        ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_longlong, ctypes.c_longlong,
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
        ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p,
        ctypes.c_longlong, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    return fn
