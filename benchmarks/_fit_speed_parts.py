"""The whole ``fit`` of a large table, and its CPU seconds by part (fit_speed_runs.py --whole).

:func:`whole` times ``scalinglab.fit("chinchilla", runs)`` as ``scalinglab fit`` runs it: the
default 200 resamples, the calibration's cut refits and the comparison with the other catalog
laws on a thread. :func:`parts` splits the same work into its parts, one after another in
this process, so that each part's CPU seconds (``getrusage``: user + system, every thread of
the process, the compiled solver's included) are its own: the fit with ``compare=False``,
its solve (``solve_large``: the start grid's screening and solving), bootstrap
(``_bootstrap``) and calibration (``measure_refits``: each a part, the fits it makes
inside counted in it), the rest of it (start grid, centring, notes), then the comparison
alone (``validate._law_hint.hint``, what the thread runs).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import scalinglab

#: The parts of :func:`parts`, in the order printed.
PARTS = ("solve", "bootstrap", "calibration", "rest of fit", "law comparison")


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def whole(runs: scalinglab.RunTable, *, repeats: int) -> tuple[float, float, Any]:
    """Best of ``repeats`` whole fits (law comparison on its thread): (wall s, CPU s, fit)."""
    best: tuple[float, float, Any] | None = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), cpu_seconds()
        got = scalinglab.fit("chinchilla", runs)
        done = (time.perf_counter() - t0, cpu_seconds() - c0, got)
        best = done if best is None or done[0] < best[0] else best
    assert best is not None
    return best


@contextmanager
def _timed_parts(totals: dict[str, float]) -> Iterator[None]:
    """While active, the CPU seconds of the fit's parts add up in ``totals`` (a part called
    inside another, such as the calibration's refits' solves, counts in the outer one)."""
    from scalinglab.fit import _fit, _fit_starts

    # each part is patched where the fit looks it up: the start grid's solve in _fit_starts
    names = {"solve_large": "solve", "_bootstrap": "bootstrap", "measure_refits": "calibration"}
    homes = {"solve_large": _fit_starts, "_bootstrap": _fit, "measure_refits": _fit}
    originals = {name: getattr(homes[name], name) for name in names}
    inside: list[str] = []

    def wrapped(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if inside:
                return original(*args, **kwargs)
            inside.append(name)
            start = cpu_seconds()
            try:
                return original(*args, **kwargs)
            finally:
                totals[names[name]] += cpu_seconds() - start
                inside.pop()

        return call

    for name, original in originals.items():
        setattr(homes[name], name, wrapped(name, original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(homes[name], name, original)


def parts(runs: scalinglab.RunTable) -> tuple[dict[str, float], Any]:
    """CPU seconds of each of :data:`PARTS` (one pass, one after another), and the choice."""
    from scalinglab.validate._law_hint import hint

    totals = dict.fromkeys(PARTS, 0.0)
    with _timed_parts(totals):
        start = cpu_seconds()
        scalinglab.fit("chinchilla", runs, compare=False)
        fit_cpu = cpu_seconds() - start
    totals["rest of fit"] = fit_cpu - totals["solve"] - totals["bootstrap"] - totals["calibration"]
    start = cpu_seconds()
    _, choice = hint("chinchilla", runs, "loss", seed=0)
    totals["law comparison"] = cpu_seconds() - start
    return totals, choice


def differences(old: Any, new: Any) -> str:
    """The largest relative differences between two whole fits: parameters, interval ends
    and the law choice's scores; and whether the chosen law and the warnings are the same."""

    def rel(a: float, b: float) -> float:
        return abs(b / a - 1) if a else abs(b)

    coefs = max(rel(old.coefs[k], new.coefs[k]) for k in old.coefs)
    ends = max(rel(old.intervals[k][i], new.intervals[k][i]) for k in old.intervals for i in (0, 1))
    a, b = old.law_choice, new.law_choice
    scores = max(rel(a.scores[k], b.scores[k]) for k in a.scores)
    same = "same" if (a.chosen, old.warnings) == (b.chosen, new.warnings) else "DIFFERENT"
    return (
        f"largest relative difference: parameters {coefs:.1e}, interval ends {ends:.1e}, "
        f"law scores {scores:.1e}; chosen law ({b.chosen}) and warnings {same}"
    )
