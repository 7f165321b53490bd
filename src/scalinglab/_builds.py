"""Which compiled build of the solver (``_sumpow.c``) fits use, and loading it.

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

This module sits outside :mod:`scalinglab.fit` and finds the builds by path, so that
``scalinglab --version`` can say which solver fits use (:func:`solver_line`) without
loading NumPy.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.machinery
import os
import platform
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError

__all__ = [
    "available",
    "build_name",
    "library",
    "library_name",
    "missing_note",
    "solver_line",
]

_double_p = ctypes.POINTER(ctypes.c_double)
# where setup.py puts the builds (scalinglab.fit._sumpow*): looked up by path, since importing
# scalinglab.fit to find them would load NumPy
_FIT_DIR = str(Path(__file__).parent / "fit")

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


def available() -> bool:
    """Whether a compiled build is installed, loads, and is not switched off."""
    return library() is not None


# scalinglab is on no package index, so a rebuild names the source it was installed from;
# --no-cache-dir keeps pip from reusing the wheel it built without a compiler
_REINSTALL = (
    "reinstall scalinglab from the source it was installed from (pip install "
    "--force-reinstall --no-deps --no-cache-dir PATH, PATH being the sdist .tar.gz or the "
    "checkout; pip install -e . in a checkout)"
)


def build_name() -> str | None:
    """Which compiled build fits use (``"avx512"``, ``"avx2"``, ``"neon"``, ``"portable"``),
    or ``None`` when they use the NumPy solver."""
    lib = library()
    return None if lib is None else lib[1]


def library_name() -> str | None:
    """The loaded build's module name (``"_sumpow_avx2"``, ...), or ``None`` (NumPy)."""
    build = build_name()
    return None if build is None else _MODULES[build]


def missing_note() -> str | None:
    """One line when no compiled build is installed (not merely switched off), else ``None``."""
    if _choice() == "numpy" or _installed():
        return None
    # 13x: the 4,500-start grid, compiled 431x and NumPy 33x the scipy loop (RESULTS.md)
    return (
        "the compiled solver is not built (no C compiler when scalinglab was installed), so "
        f"fits use the NumPy solver, about 13x slower; to fix: install gcc (or clang) and "
        f"{_REINSTALL}"
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


def library() -> tuple[ctypes.CDLL, str] | None:
    """The loaded build and its name, or ``None`` for the NumPy solver.

    Raises:
        ConfigError: For a ``SCALINGLAB_SOLVER`` that is not a choice, names a build this CPU
            cannot run, or one that is not installed.
    """
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
            hint="unset SCALINGLAB_SOLVER to use the builds there are; to get this one, "
            f"install a C compiler and {_REINSTALL}",
        )
    return lib


def _installed() -> bool:
    return bool(_installed_builds())


def _installed_builds() -> tuple[str, ...]:
    """The builds installed here, fastest first (whether or not this CPU runs them)."""
    return tuple(b for b in _MODULES if _origin(b) is not None)


def _origin(build: str) -> str | None:
    """The file of ``build``'s module, or ``None`` where it is not installed."""
    spec = importlib.machinery.PathFinder.find_spec(_MODULES[build], [_FIT_DIR])
    return None if spec is None else spec.origin


def solver_line() -> str:
    """Which solver fits use, chosen how, and the builds installed, in one line for
    ``scalinglab --version``: ``"solver: compiled-avx2 (auto; builds: avx2, portable;
    numpy fallback)"``; where nothing is compiled, that and how to fix it."""
    try:
        choice, lib = _choice(), library()
    except ConfigError as err:  # a SCALINGLAB_SOLVER fits would refuse: said, not raised
        return f"solver: none, fits refuse to run: {err}"
    solver = "numpy" if lib is None else f"compiled-{lib[1]}"
    note = missing_note()
    if note is not None:
        return f"solver: numpy ({note})"
    how = "auto" if choice == "auto" else f"SCALINGLAB_SOLVER={choice}"
    built = ", ".join(_installed_builds()) or "none"
    return f"solver: {solver} ({how}; builds: {built}{'' if lib is None else '; numpy fallback'})"


@functools.cache
def _load_first(builds: tuple[str, ...]) -> tuple[ctypes.CDLL, str] | None:
    """The first of ``builds`` that is installed and loads, with its build name."""
    for build in builds:
        origin = _origin(build)
        if origin is None:
            continue
        try:
            lib = ctypes.CDLL(origin)
        except OSError:  # e.g. built against a libmvec this system lacks
            continue
        lib.sumpow_init.restype = None
        lib.sumpow_init()  # fills the rotation order table, once, before any thread runs
        solve_args: list[Any] = [
            ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            _double_p, _double_p, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_int, ctypes.c_double, _double_p, _double_p,
            ctypes.c_int, ctypes.c_double, ctypes.c_double,
            _double_p, _double_p, ctypes.c_void_p, ctypes.c_void_p,
            ctypes.c_void_p,
        ]  # fmt: skip
        lib.sumpow_solve.restype = ctypes.c_int
        lib.sumpow_solve.argtypes = solve_args
        if hasattr(lib, "sumpow_solve_states"):  # a build older than saved states has not
            lib.sumpow_solve_states.restype = ctypes.c_int
            lib.sumpow_solve_states.argtypes = [*solve_args, ctypes.c_void_p, ctypes.c_int]
            lib.sumpow_state_size.restype = ctypes.c_int
            lib.sumpow_state_size.argtypes = [ctypes.c_int, ctypes.c_int]
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
