"""How the hyperparameter tables write their numbers (``hparams fit``, ``predict``,
``backtest`` and a notebook's view of a fit alike); NumPy-free, so the command line's
``--help`` loads none."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from scalinglab._format import format_count, format_g, format_number

__all__ = ["coef", "iv", "lr", "regret_pct", "regret_pcts", "si", "si_iv"]


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


#: The most significant figures a regret is written to: two regrets still alike at 6 are
#: a tie, and more digits would only show the solver's noise.
MOST_FIGURES = 6


def _written(v: float, figures: int) -> str:
    """``100 v`` to ``figures`` significant figures, whole percents from 100% on."""
    x = 100 * v
    if x == 0:
        return "0%"
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}%"


def regret_pct(v: float, among: Iterable[float] = ()) -> str:
    """A regret (a fraction: ``9e-5`` is ``0.0090%``) as every table, note, page and repr
    writes one: to two significant figures (``0.0090%``, ``0.046%``, ``0.12%``, ``123%``),
    more where ``among`` (the regrets it is read against: its table column, the other
    candidates) holds another that two would write the same, so close candidates never look
    equal; ``—`` where not finite (no cell scored).

    Args:
        v: The regret, as a fraction of the optimum's loss.
        among: The regrets it is told apart from (``v`` itself and non-finite ones ignored).

    Returns:
        The percentage, ``—`` for NaN or infinity.
    """
    if not math.isfinite(v):
        return "—"
    # those alike even at MOST_FIGURES are a tie: they add no figure
    others = [w for w in among if math.isfinite(w) and not _alike(v, w, MOST_FIGURES)]
    figures = 2
    while any(_alike(v, w, figures) for w in others):
        figures += 1
    return _written(v, figures)


def regret_pcts(values: Sequence[float]) -> list[str]:
    """A column of regrets, each by :func:`regret_pct` told apart from the others."""
    return [regret_pct(v, values) for v in values]


def _alike(v: float, w: float, figures: int) -> bool:
    """Whether ``v`` and ``w`` read as one number at ``figures``, compared as numbers:
    0.995% may round up to ``1.00%`` where 1% writes ``1.0%``."""
    return _value(_written(v, figures)) == _value(_written(w, figures))


def _value(text: str) -> float:
    return float(text.rstrip("%").replace(",", ""))


def si_iv(bounds: tuple[float, float]) -> str:
    """``[lo, hi]`` as counts; ``""`` where an end is not finite."""
    return f"[{si(bounds[0])}, {si(bounds[1])}]" if all(math.isfinite(t) for t in bounds) else ""
