"""How the hyperparameter tables write their numbers (``hparams fit``, ``predict``,
``backtest`` and a notebook's view of a fit alike); NumPy-free, so the command line's
``--help`` loads none."""

from __future__ import annotations

import math
from collections.abc import Callable

from scalinglab._format import format_count, format_g, format_number

__all__ = ["coef", "iv", "lr", "pct", "si", "si_iv"]


def si(v: float) -> str:
    """A count (N, D, a batch) as the report page prints it: ``65.5K``, ``1B`` (not
    ``1e+03M``), no suffix from 1e15 on (``1.24e24``, not ``1.24e+24T``); else ``—``."""
    return format_count(v) if math.isfinite(v) else "—"


def lr(v: float) -> str:
    """A learning rate: ``5e-5``, not ``5e-05`` (the report's cells alike)."""
    return format_g(v, 3)


def coef(v: float) -> str:
    """A law's coefficient: ``7.329e4``, not ``7.329e+04`` (the report's laws table alike)."""
    return format_number(v, 4)


def iv(bounds: tuple[float, float], form: Callable[[float], str] = lr) -> str:
    """``[lo, hi]`` each end by ``form``; ``""`` where an end is not finite."""
    return (
        f"[{form(bounds[0])}, {form(bounds[1])}]" if all(math.isfinite(t) for t in bounds) else ""
    )


def pct(v: float) -> str:
    """A regret as the backtest tables print it, ``0.123%``; ``—`` for none (no cell)."""
    return f"{100 * v:.3f}%" if math.isfinite(v) else "—"


def si_iv(bounds: tuple[float, float]) -> str:
    """``[lo, hi]`` as counts; ``""`` where an end is not finite."""
    return f"[{si(bounds[0])}, {si(bounds[1])}]" if all(math.isfinite(t) for t in bounds) else ""
