"""What the fitted cells' design leaves unmeasured: one token budget, one model size, or N
and D moving together.

A sweep at one D measures how lr*, B* and the loss at the optimum move with N, and nothing
about D: a law of D cannot be fitted, and a law of C = 6·N·D, which then varies with N
alone, fits exactly as a law of N while claiming a dependence on D that no cell measured
(at another D it is off by the unmeasured exponent, with an interval that does not show
it). The same holds with N and D swapped at one N. Cells that keep one tokens per parameter
(a ladder at D = 20·N), or lie on any power curve D = c·N^b, cannot separate N from D at
all: a law of both fits them along a valley of equal fits (:mod:`scalinglab.fit._collinear`).

So ``law="auto"`` chooses among the laws these cells identify, laws of the one variable
that varies (on a curve, the one that moves more; :func:`identified_forms`), and says why
once; a variable whose values span under 5% counts as one value (:data:`NARROW`); the
loss* law reads the same variable (:func:`~._loss_formula.loss_formula`); a prediction
away from the cells' D, N or curve warns that the sweep did not measure it
(:func:`off_design`). Named laws are fitted as named: one of a variable every cell shares
is refused (:func:`~scalinglab.fit._columns.check_spread`), one the cells cannot identify
is said (:mod:`._unidentified`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_count, format_g
from scalinglab.fit._collinear import COLLINEAR_TOL, distinct_rows, log_line, power_curve
from scalinglab.hparams._choose import BATCH_CANDIDATES, LR_CANDIDATES

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = [
    "NARROW",
    "OFF",
    "CellDesign",
    "cell_design",
    "fit_design",
    "identified_forms",
    "log_spread",
    "off_design",
]

Array = NDArray[np.float64]

#: lr* and B* laws of one variable (Step Law's forms without the other), for cells where
#: only that one varies.
ALONE: Mapping[str, tuple[str, str]] = {
    "params": ("A * N**alpha", "B * N**delta"),
    "tokens": ("A * D**beta", "B * D**gamma"),
}
#: A prediction this far (natural log, 10%) from the cells' D, N or curve is off it: Step
#: Law's lr* moves as D^0.3, so by 3% across it, inside a located optimum's usual interval.
OFF = math.log(1.1)
#: A column whose values span less than this (natural log, 5%) across the cells is read as
#: one value: Step Law's lr* moves as N^-0.71, D^0.31 and its B* as D^0.57, so across 5% of
#: N or D the optima move by 3.5% at most, inside a located optimum's usual interval (see
#: :data:`OFF`): an exponent fitted across it reads noise (cells at N = 200M to 201.6M, D =
#: 2B to 32B once fitted lr* = A·N^alpha as a curve and failed on a nonsense exponent).
NARROW = math.log(1.05)
#: On a curve, D is the variable that moves only where its log spread exceeds N's by more
#: than this share: a ladder at one tokens per parameter (D rounded to whole steps) moves
#: both alike, and keeps N's, as its curve is written D of N.
_TIE = 1.01
_SYMBOL = {"params": "N", "tokens": "D"}
_MORE = {"params": "model sizes", "tokens": "token counts"}


@dataclass(frozen=True)
class CellDesign:
    """How the fitted cells' N and D vary, when they do not vary apart.

    Attributes:
        fixed: ``"params"`` or ``"tokens"`` when every cell shares it, or its values span
            under :data:`NARROW` (the other varies), else ``""``.
        value: That shared value, the geometric mean of a narrow span (``nan`` when none).
        span: The lowest and highest of that column (equal when every cell shares it).
        curve: ``"D = 20·N^1.00 exactly"`` when both vary but three or more distinct cells
            lie on one power curve (within :data:`~scalinglab.fit._collinear.COLLINEAR_TOL`
            RMS in logs), else ``""``: two points lie on one whatever the design.
        mean, normal: That curve as a line in ``(ln N, ln D)``: a point on it, and its unit
            normal (``nan`` without a curve).
    """

    fixed: str = ""
    value: float = math.nan
    span: tuple[float, float] = (math.nan, math.nan)
    curve: str = ""
    mean: tuple[float, float] = (math.nan, math.nan)
    normal: tuple[float, float] = (math.nan, math.nan)

    @property
    def varies(self) -> str:
        """The one column the cells vary: the other than a shared one, or on a curve the one
        whose log spread is the larger (N's on a tie within 1%); ``""`` when N and D vary
        apart."""
        if self.fixed:
            return "tokens" if self.fixed == "params" else "params"
        if not self.curve:
            return ""
        # along the line, ln N moves by |normal D| per unit length and ln D by |normal N|
        return "tokens" if abs(self.normal[0]) > _TIE * abs(self.normal[1]) else "params"

    def shared(self) -> str:
        """The fixed column's value as a note writes it: ``200M``, or ``200M to 202M`` for
        a narrow span."""
        low, high = (format_count(x) for x in self.span)
        return low if low == high else f"{low} to {high}"


def log_spread(x: Array) -> float:
    """``ln(max / min)`` of positive values: how far apart a column's values are (``0`` when
    every one is the same, ``inf`` with a value <= 0 or not finite)."""
    x = np.asarray(x, dtype=np.float64)
    if not len(x) or np.ptp(x) == 0:
        return 0.0
    low, high = float(np.min(x)), float(np.max(x))
    return math.log(high / low) if low > 0 and math.isfinite(high) else math.inf


def cell_design(cols: Mapping[str, Array]) -> CellDesign:
    """The design of cells with these ``params`` and ``tokens`` (an empty one, as for N and
    D varied apart, when either is missing or every cell has about the same N and D)."""
    if "params" not in cols or "tokens" not in cols or len(cols["params"]) < 2:
        return CellDesign()
    n, d = (np.asarray(cols[c], dtype=np.float64) for c in ("params", "tokens"))
    fixed = [c for c, x in (("params", n), ("tokens", d)) if log_spread(x) < NARROW]
    if len(fixed) == 1:
        x = n if fixed[0] == "params" else d
        low, high = float(np.min(x)), float(np.max(x))
        centre = low if low == high else math.exp(float(np.mean(np.log(x))))
        return CellDesign(fixed=fixed[0], value=centre, span=(low, high))
    line = log_line(n, d)
    # two points lie on a power curve whatever the design: a curve takes three
    if fixed or line is None or line[2] >= COLLINEAR_TOL or len(distinct_rows(np.c_[n, d])) < 3:
        return CellDesign()
    mean, normal, _ = line
    return CellDesign(
        curve=power_curve(n, d, "N", "D") or "",
        mean=(float(mean[0]), float(mean[1])),
        normal=(float(normal[0]), float(normal[1])),
    )


def fit_design(fit: HparamFit) -> CellDesign:
    """The design of a fit's used cells, from their keys."""
    keys = [fit.cells[i].keys for i in fit.used]
    cols = {
        c: np.array([float(k[c]) for k in keys])
        for c in ("params", "tokens")
        if all(c in k for k in keys)
    }
    return cell_design(cols)


def identified_forms(
    lr_forms: Sequence[str], batch_forms: Sequence[str], design: CellDesign, *, two_d: bool
) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The lr* and B* candidates the cells identify, and the note saying what the design
    leaves unmeasured (``""`` for N and D varied apart): an ``"auto"`` choice (the full
    candidate list) becomes the law of the one variable that varies; a named law is kept."""
    lr_forms, batch_forms = tuple(lr_forms), tuple(batch_forms)
    varies = design.varies
    if not varies:
        return lr_forms, batch_forms, ""
    chosen = []
    if lr_forms == LR_CANDIDATES:
        lr_forms = (ALONE[varies][0],)
        chosen.append(f"lr* = {lr_forms[0]}")
    if two_d and batch_forms == BATCH_CANDIDATES:
        batch_forms = (ALONE[varies][1],)
        chosen.append(f"B* = {batch_forms[0]}")
    alone = f"{_SYMBOL[varies]} alone"
    laws = f", so {' and '.join(chosen)}, laws of {alone}, were fitted" if chosen else ""
    if design.fixed:
        column, symbol = design.fixed, _SYMBOL[design.fixed]
        low, high = design.span
        narrow = f" ({_apart(high / low)} apart: too close to measure it)" if high > low else ""
        return (
            lr_forms,
            batch_forms,
            (
                f"every fitted cell has {column} = {design.shared()}{narrow}: the dependence on "
                f"{symbol} is not measured{laws}; the laws hold at {symbol} = "
                f"{format_count(design.value)} (a prediction at another {symbol} says so) — "
                f"add cells at other {_MORE[column]} to measure it"
            ),
        )
    return (
        lr_forms,
        batch_forms,
        (
            f"the fitted cells' N and D move together (every cell lies on {design.curve}): no "
            "law can separate how lr*, B* and loss* depend on N from how they depend on D on "
            f"this sweep{laws}; the laws hold along that curve (a prediction off it says so) "
            "— add cells at other tokens per parameter to separate them"
        ),
    )


def off_design(design: CellDesign, where: Mapping[str, float]) -> str:
    """The warning for a prediction at ``where`` off the cells' shared D or N or their
    curve, by more than :data:`OFF` (``""`` when it is on it, or N and D varied apart)."""
    if "params" not in where or "tokens" not in where or not design.varies:
        return ""
    n, d = float(where["params"]), float(where["tokens"])
    unmeasured = (
        "so how lr*, B* and the loss at the optimum move {} is not measured, and neither "
        "the numbers nor their intervals account for it"
    )
    if design.fixed:
        column, symbol = design.fixed, _SYMBOL[design.fixed]
        given = float(where[column])
        if abs(math.log(given / design.value)) <= OFF:
            return ""
        low, high = design.span
        did = (
            f"barely varied {symbol} ({_apart(high / low)})"
            if high > low
            else f"did not vary {symbol}"
        )
        return (
            f"{symbol} = {format_count(given)}, and every fitted cell has {symbol} = "
            f"{design.shared()}: the sweep {did}, " + unmeasured.format(f"with {symbol}")
        )
    (m_n, m_d), (u_n, u_d) = design.mean, design.normal
    off = u_n * (math.log(n) - m_n) + u_d * (math.log(d) - m_d)  # distance from the line
    if abs(off) <= OFF:
        return ""
    if abs(u_d) >= 0.5 * abs(u_n):  # D as a power of N where the curve writes it so
        there = math.exp(m_d - u_n / u_d * (math.log(n) - m_n))
        at = f"there D = {format_count(there)} at N = {format_count(n)}, {_times(d / there)}"
    else:
        there = math.exp(m_n - u_d / u_n * (math.log(d) - m_d))
        at = f"there N = {format_count(there)} at D = {format_count(d)}, {_times(n / there)}"
    return (
        f"N = {format_count(n)}, D = {format_count(d)} lies off the fitted cells' curve "
        f"{design.curve} ({at}): the sweep moved N and D together, "
        + unmeasured.format("off that curve")
    )


def _apart(ratio: float) -> str:
    """How far apart a narrow span's ends are: ``0.8%``."""
    return f"{format_g(100 * (ratio - 1), 2)}%"


def _times(ratio: float) -> str:
    """How far a value is from the curve's: ``5x this one`` / ``1/5 of it``."""
    return (
        f"this is {format_g(ratio, 3)}x that"
        if ratio >= 1
        else f"this is 1/{format_g(1 / ratio, 3)} of that"
    )
