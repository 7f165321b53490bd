"""The compiled solver for sums of power terms (``_sumpow.c``): loading it and calling it.

It runs the NumPy solver's algorithm one start at a time in C, for laws of the form
``E + sum_v A_v * X_v**-alpha_v`` in log space (Chinchilla, power laws with or without a
constant, and formulas of that shape). Threads split the starts: ctypes releases the GIL
for the call, so each thread solves its share on its own core.

Several builds of the one source may be installed (see ``setup.py``), and the fastest one
this CPU runs is chosen at run time from its flags:

=========  =====================================================  ===================
build      compiled for                                           used when
=========  =====================================================  ===================
avx512     x86-64-v4, glibc's vector ``exp``/``log`` (libmvec)    the CPU has AVX-512
avx2       x86-64-v3 (AVX2 + FMA), libmvec                        the CPU has AVX2
neon       ARM64 Advanced SIMD, libmvec                           ARM64 Linux
portable   plain C, scalar ``exp``/``log``                        any CPU
=========  =====================================================  ===================

Without any (no C compiler at install time) :func:`available` is false and fits use the
NumPy solver; :func:`missing_note` says so in one line, with the fix.

``SCALINGLAB_SOLVER`` chooses: unset or ``auto`` (the fastest this CPU runs), one build by
name (``avx512``, ``avx2``, ``neon``, ``portable``; refused when the CPU cannot run it or it
is not built), or ``numpy`` (never compiled). Every solver reaches the same optima; their
last digits differ, since the order of additions does.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import math
import os
import platform
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab.fit._terms import PowerSum, power_sum
from scalinglab.laws import Law

__all__ = [
    "Kernel",
    "available",
    "build_name",
    "default_threads",
    "kernel_for",
    "library_name",
    "missing_note",
    "solve_compiled",
]

_LOSS_CODES = {"huber": 0, "soft_l1": 1, "squared": 2}
# build -> module, fastest first: the order ``auto`` tries them in
_MODULES = {
    "avx512": "_sumpow_avx512",
    "avx2": "_sumpow_avx2",
    "neon": "_sumpow_neon",
    "portable": "_sumpow",
}
# the CPU flags (as /proc/cpuinfo names them) of x86-64-v3 and -v4, which those builds target
_X86_64_V3 = frozenset({"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe"})
_REQUIRES = {
    "avx2": _X86_64_V3,
    "avx512": _X86_64_V3 | {"avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"},
}
_REQUIRES_TEXT = {"avx512": "AVX-512", "avx2": "AVX2 and FMA", "neon": "an ARM64 CPU"}
_MAX_K = 16  # the C code's fixed work arrays

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
    """The compiled solver's view of ``law`` on ``data``; ``None`` if it cannot take it."""
    terms = power_sum(law)
    if terms is None or len(law.params) > _MAX_K:
        return None
    with np.errstate(all="ignore"):
        log_x = np.log(np.array([data[v] for v in terms.variables], dtype=np.float64))
    if not np.all(np.isfinite(log_x)):
        return None
    return Kernel(terms, np.ascontiguousarray(log_x))


def available() -> bool:
    """Whether a compiled build is installed, loads, and is not switched off."""
    return _library() is not None


def build_name() -> str | None:
    """Which compiled build fits use (``"avx512"``, ``"avx2"``, ``"neon"``, ``"portable"``),
    or ``None`` when they use the NumPy solver."""
    lib = _library()
    return None if lib is None else lib[1]


def library_name() -> str | None:
    """The loaded build's module name (``"_sumpow_avx2"``, ...), or ``None`` (NumPy)."""
    build = build_name()
    return None if build is None else _MODULES[build]


def missing_note() -> str | None:
    """One line when no compiled build is installed (not merely switched off), else ``None``."""
    if _choice() == "numpy" or _installed():
        return None
    return (
        "the compiled solver is not built (no C compiler when scalinglab was installed), so "
        "fits use the NumPy solver, about 10x slower; to fix: install gcc (or clang) and "
        "reinstall scalinglab (pip install --force-reinstall --no-deps scalinglab, or "
        "pip install -e . in a checkout)"
    )


def _choice() -> str:
    choice = os.environ.get("SCALINGLAB_SOLVER", "auto").strip().lower() or "auto"
    if choice not in ("auto", "numpy", *_MODULES):
        raise ConfigError(
            f"SCALINGLAB_SOLVER={choice!r} is not a solver choice",
            hint="use auto (the default: the fastest build this CPU runs), numpy, or one build: "
            + ", ".join(_MODULES)
            + "; or unset it",
        )
    return choice


def _library() -> tuple[ctypes.CDLL, str] | None:
    choice = _choice()
    if choice == "numpy":
        return None
    if choice == "auto":
        return _load_first(tuple(b for b in _MODULES if _cpu_runs(b)))
    if not _cpu_runs(choice):
        raise ConfigError(
            f"SCALINGLAB_SOLVER={choice} asks for a build this CPU cannot run (it needs "
            f"{_REQUIRES_TEXT[choice]})",
            hint="unset SCALINGLAB_SOLVER to let scalinglab choose, or pick portable or numpy",
        )
    lib = _load_first((choice,))
    if lib is None:
        raise ConfigError(
            f"SCALINGLAB_SOLVER={choice} asks for the {_MODULES[choice]} build, which is not "
            "installed here",
            hint="unset SCALINGLAB_SOLVER to use the builds there are; rebuild with a C "
            "compiler (pip install -e .) to get this one",
        )
    return lib


def _installed() -> bool:
    return any(importlib.util.find_spec(f"scalinglab.fit.{m}") for m in _MODULES.values())


@functools.cache
def _load_first(builds: tuple[str, ...]) -> tuple[ctypes.CDLL, str] | None:
    """The first of ``builds`` that is installed and loads, with its build name."""
    for build in builds:
        spec = importlib.util.find_spec(f"scalinglab.fit.{_MODULES[build]}")
        if spec is None or spec.origin is None:
            continue
        try:
            lib = ctypes.CDLL(spec.origin)
        except OSError:  # e.g. built against a libmvec this system lacks
            continue
        lib.sumpow_init.restype = None
        lib.sumpow_init()  # fills the rotation order table, once, before any thread runs
        fn = lib.sumpow_solve
        fn.restype = ctypes.c_int
        fn.argtypes = [
            ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            _double_p, _double_p, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_double, _double_p, _double_p,
            ctypes.c_int, ctypes.c_double, ctypes.c_double,
            _double_p, _double_p, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        return lib, build
    return None


def _cpu_runs(build: str) -> bool:
    """Whether this CPU runs ``build`` (Linux's /proc/cpuinfo says; elsewhere only portable)."""
    machine = platform.machine().lower()
    if build == "portable":
        return True
    if build == "neon":  # Advanced SIMD is part of every ARM64 CPU
        return machine in ("aarch64", "arm64")
    if machine not in ("x86_64", "amd64"):
        return False
    return _cpu_flags() >= _REQUIRES[build]


@functools.cache
def _cpu_flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def default_threads() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


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
    max_steps: int,
    ftol: float,
    xtol: float,
    threads: int | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Solve every start; ``(theta, objective, status, steps)``, or ``None`` if the compiled
    solver is not available for this problem (the caller then uses the NumPy solver)."""
    lib = _library()
    if lib is None or loss not in _LOSS_CODES:
        return None
    fn = lib[0].sumpow_solve
    theta = np.ascontiguousarray(theta0, dtype=np.float64).copy()
    S, K = theta.shape
    V, P = kernel.log_x.shape
    y = np.ascontiguousarray(target, dtype=np.float64)
    w = None if weights is None else np.ascontiguousarray(weights, dtype=np.float64)
    g = np.ascontiguousarray(groups, dtype=np.int64)
    lo = np.ascontiguousarray(lower, dtype=np.float64)
    hi = np.ascontiguousarray(upper, dtype=np.float64)
    coefs = np.array(kernel.terms.coefs, dtype=np.intc)
    expos = np.array(kernel.terms.expos, dtype=np.intc)
    f = np.empty(S)
    status = np.empty(S, dtype=np.int8)
    steps = np.empty(S, dtype=np.int64)

    def run(begin: int, end: int) -> int:
        return int(
            fn(
                begin, end, K, P, V,
                kernel.log_x.ctypes.data_as(_double_p), y.ctypes.data_as(_double_p),
                None if w is None else w.ctypes.data, g.ctypes.data,
                kernel.terms.constant, coefs.ctypes.data, expos.ctypes.data,
                _LOSS_CODES[loss], delta, lo.ctypes.data_as(_double_p), hi.ctypes.data_as(_double_p),
                max_steps, ftol, xtol,
                theta.ctypes.data_as(_double_p), f.ctypes.data_as(_double_p),
                status.ctypes.data, steps.ctypes.data,
            )
        )  # fmt: skip

    n_threads = max(1, threads or default_threads())
    # chunks small enough to balance the threads and move a progress bar, large enough that
    # the per-call overhead (microseconds) stays far below the solving (milliseconds)
    size = max(8, math.ceil(S / (16 * n_threads)))
    chunks = [(b, min(b + size, S)) for b in range(0, S, size)]
    done = 0
    if n_threads == 1 or len(chunks) == 1:
        for b, e in chunks:
            if run(b, e) != 0:
                return None
            done += e - b
            if progress is not None:
                progress(done, S)
        return theta, f, status, steps
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        futures = {pool.submit(run, b, e): e - b for b, e in chunks}
        for future in as_completed(futures):
            if future.result() != 0:
                return None
            done += futures[future]
            if progress is not None:
                progress(done, S)
    return theta, f, status, steps
