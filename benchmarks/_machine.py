"""The machine a benchmark ran on: CPU model, vector extensions, cores, solver build, load."""

from __future__ import annotations

import os
import platform

# the vector extensions worth naming, as /proc/cpuinfo spells them (x86-64, then ARM64)
VECTOR_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl",
                "asimd", "sve", "sve2")  # fmt: skip


def cpu() -> str:
    """The CPU's model name and its vector extensions, from /proc/cpuinfo where there is one."""
    fallback = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            return cpu_from(handle.read(), fallback=fallback)
    except OSError:
        return f"{fallback}, vector extensions unknown (no /proc/cpuinfo)"


def cpu_from(text: str, *, fallback: str) -> str:
    """The CPU line of a /proc/cpuinfo text: its model (``fallback`` where none is named) and
    the vector extensions of :data:`VECTOR_FLAGS` it has; on x86-64 also the two the compiled
    builds choose between that it lacks (``no avx512f``), so a line read alone still says
    which build could run."""
    model, flags, x86 = fallback, set(), False
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            model = value.strip()
        elif key.strip() in ("flags", "Features"):  # x86-64, ARM64
            flags, x86 = set(value.split()), key.strip() == "flags"
    vec = [f for f in VECTOR_FLAGS if f in flags]
    lacked = ", ".join(f"no {f}" for f in ("avx2", "avx512f") if x86 and f not in flags)
    return f"{model}, vector extensions {' '.join(vec) or 'none'}" + (
        f" ({lacked})" if lacked else ""
    )


def solver_build() -> str:
    """The solver this process's fits run, named as ``FitResult.solver`` names it
    (``"compiled-avx2"``, ..., or ``"numpy"``); it follows ``SCALINGLAB_SOLVER``."""
    from scalinglab import ScalingLabError
    from scalinglab._builds import build_name

    try:
        build = build_name()
    except ScalingLabError as err:  # a SCALINGLAB_SOLVER this machine refuses: say which
        return f"none ({err})"
    return "numpy" if build is None else f"compiled-{build}"


def load_average() -> str:
    """The 1-minute load average, as every machine line prints it."""
    return f"{os.getloadavg()[0]:.1f}"


def describe(*, solver: bool = True) -> str:
    """One line: CPU, vector extensions, cores, the solver build (unless ``solver=False``, for
    a benchmark that fits nothing), load average and Python."""
    build = f"solver {solver_build()}, " if solver else ""
    return (
        f"{cpu()}, {os.cpu_count()} cores, {build}load average {load_average()}, "
        f"Python {platform.python_version()}"
    )
