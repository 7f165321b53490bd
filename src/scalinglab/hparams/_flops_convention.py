"""How a sweep counted FLOPs, recorded by a hyperparameter fit, so that ``predict`` reads a
law of C at the C the sweep would have counted, not at 6·N·D.

An exact count adds attention and the output head to 6·N·D: per token, about 6·L·T·d and
6·d·V FLOPs over the 6·N of the weights (Kaplan et al. 2020, Table 1), so flops/(6·N·D)
depends on the model's shape but not on D. Within a sweep each N is one shape, so the ratio
is a function of N, and over a family of shapes it falls with N roughly as ``1 + k·N^p``.
The fit records that function when the sweep's ratios follow it (or a constant) to within
:data:`_TOL`; otherwise it records why not, and ``predict`` asks for the FLOPs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_count
from scalinglab._json import json_ready
from scalinglab.data import RunTable
from scalinglab.data._flops import DERIVED_6ND

__all__ = ["FlopsConvention", "prediction_flops", "sweep_flops"]

#: How closely flops/(6·N·D) must follow a constant or ``1 + k·N^p`` (relative): FLOPs
#: rounded by a logger stay well within it; another unit or a wrong row does not.
_TOL = 0.01


@dataclass(frozen=True)
class FlopsConvention:
    """A sweep's FLOPs count, and C at any (N, D) by the same count where the sweep says how.

    ``C = 6·N·D·(base + coef·N^power)``: ``base = 1, coef = 0`` for 6·N·D itself.

    Attributes:
        counted: What the sweep's FLOPs were, in words (its table's ``flops_convention``).
        base: The constant part of flops/(6·N·D).
        coef: The coefficient of its ``N^power`` part (0: a constant ratio).
        power: The exponent of N in that part.
        sizes: The sweep's model sizes the ratio was read at.
        unclear: Why the sweep's flops/(6·N·D) is no clean function of N (then there is no
            rule, and ``predict`` needs the FLOPs); ``""`` when it is one.
    """

    counted: str
    base: float = 1.0
    coef: float = 0.0
    power: float = 0.0
    sizes: tuple[float, ...] = ()
    unclear: str = ""

    def flops(self, params: float, tokens: float) -> float | None:
        """C at (N, D) as the sweep counted it, or ``None`` without a clean rule."""
        if self.unclear:
            return None
        return float(6.0 * params * tokens * (self.base + self.coef * params**self.power))

    def describe(self) -> str:
        """The rule in words with where it came from, or why there is none."""
        if self.unclear:
            return f"{self.counted}; {self.unclear}"
        if self.counted == DERIVED_6ND:  # says C = 6·N·D itself
            return self.counted
        if self.coef == 0.0:
            c = "C = 6·N·D" if self.base == 1.0 else f"C = {self.base:.4g}·6·N·D"
            return f"{c}, the sweep's flops/(6·N·D) at {self._sizes()}; its FLOPs: {self.counted}"
        return (
            f"C = 6·N·D·(1 + {self.coef:.4g}·N^{self.power:.4g}), the sweep's flops/(6·N·D) "
            f"at {self._sizes()} to within {_TOL:.0%}; its FLOPs: {self.counted}"
        )

    def _sizes(self) -> str:
        n = len(self.sizes)
        if n == 1:
            return f"its one model size (N = {format_count(self.sizes[0])})"
        lo, hi = format_count(min(self.sizes)), format_count(max(self.sizes))
        return f"its {n} model sizes (N = {lo} to {hi})"

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "counted": self.counted,
            "base": self.base,
            "coef": self.coef,
            "power": self.power,
            "sizes": list(self.sizes),
            "unclear": self.unclear,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FlopsConvention:
        """Inverse of :meth:`to_dict`."""
        return cls(
            counted=str(data["counted"]),
            base=float(data["base"]),  # type: ignore[arg-type]
            coef=float(data["coef"]),  # type: ignore[arg-type]
            power=float(data["power"]),  # type: ignore[arg-type]
            sizes=tuple(float(s) for s in data["sizes"]),  # type: ignore[attr-defined]
            unclear=str(data["unclear"]),
        )


def sweep_flops(table: RunTable) -> FlopsConvention:
    """The FLOPs convention of a sweep's runs: a constant or ``1 + k·N^p`` ratio to 6·N·D
    where every run's ratio follows one to within :data:`_TOL`, else why not."""
    counted = table.flops_convention or _column(table)
    if counted == DERIVED_6ND:  # 6·N·D by construction: nothing to read off the runs
        return FlopsConvention(counted=counted)
    if not all(table.has(c) for c in ("params", "tokens", "flops")):
        return FlopsConvention(counted=counted, unclear="the sweep has no FLOPs to compare")
    n, d, c = (np.asarray(table[k], dtype=np.float64) for k in ("params", "tokens", "flops"))
    with np.errstate(all="ignore"):
        ratio = c / (6.0 * n * d)
    ok = np.isfinite(ratio) & (ratio > 0) & np.isfinite(n) & (n > 0)
    if not ok.any():
        return FlopsConvention(counted=counted, unclear="no run has positive FLOPs, N and D")
    n, ratio = n[ok], ratio[ok]
    sizes = np.unique(n)
    per = np.array([np.median(ratio[n == s]) for s in sizes])
    for s, r in zip(sizes, per, strict=True):
        worst = float(np.max(np.abs(ratio[n == s] / r - 1.0)))
        if worst > _TOL:  # the same model's ratio changes with D: no function of N
            return FlopsConvention(
                counted=counted,
                unclear=f"its flops/(6·N·D) differs by up to {worst:.1%} among the runs of "
                f"N = {format_count(float(s))}, so it is no function of N alone",
            )
    kept = tuple(float(s) for s in sizes)
    mid = float(np.median(per))
    if np.all(np.abs(per / mid - 1.0) <= _TOL):
        base = 1.0 if abs(mid - 1.0) <= 1e-9 else mid
        return FlopsConvention(counted=counted, base=base, sizes=kept)
    if len(sizes) >= 3 and np.all(per > 1.0):  # 2 sizes fit any k, p: nothing would test it
        power, log_k = np.polyfit(np.log(sizes), np.log(per - 1.0), 1)
        coef = math.exp(float(log_k))
        fitted = 1.0 + coef * sizes**power
        if np.all(np.abs(fitted / per - 1.0) <= _TOL):
            return FlopsConvention(counted=counted, coef=coef, power=float(power), sizes=kept)
    shown = ", ".join(
        f"{r:.3g}× at N = {format_count(float(s))}" for s, r in zip(sizes, per, strict=True)
    )
    return FlopsConvention(
        counted=counted,
        sizes=kept,
        unclear=f"its flops/(6·N·D) ({shown}) follows neither a constant nor 1 + k·N^p "
        f"to within {_TOL:.0%}, so C at another N cannot be read off it",
    )


def _column(table: RunTable) -> str:
    """Words for a table built without a reader's convention."""
    column = table.origins.get("flops", "flops")
    return f"as given in the data (column {column!r})"


def prediction_flops(
    convention: FlopsConvention | None,
    params: float,
    tokens: float,
    *,
    reads_c: bool,
) -> tuple[float, str]:
    """C at (N, D) when ``predict`` was given no FLOPs, and the note that says how.

    Args:
        convention: The fit's (``None``: a fit saved before fits recorded it).
        params, tokens: Where the prediction is asked.
        reads_c: Whether one of the fit's laws is a law of C.

    Returns:
        C (``nan`` when no law reads it and the sweep gives no rule) and the note.

    Raises:
        ConfigError: A law reads C and the sweep's FLOPs give no rule for it.
    """
    if convention is None:  # as every prediction was before: say what it assumes
        c = 6.0 * params * tokens
        return c, (
            f"C={c:.3g} as 6·N·D: the fit was saved before fits recorded their sweep's "
            "FLOPs convention; if the sweep's FLOPs were an exact count, pass them (--flops, "
            "Python: flops=) or fit again"
        )
    c_rule = convention.flops(params, tokens)
    if c_rule is not None:
        return c_rule, f"C={c_rule:.3g} from the sweep's FLOPs convention: {convention.describe()}"
    if reads_c:
        raise ConfigError(
            "the fit's laws read the training FLOPs C, and no C can be computed at "
            f"N={format_count(params)}, D={format_count(tokens)} as its sweep counted them: "
            f"the sweep's FLOPs are {convention.describe()}",
            hint="give C as the sweep counted it: --flops 1e23 (Python: flops=1e23)",
        )
    return math.nan, (
        "C not computed (the laws read N and D alone): the sweep's FLOPs are "
        f"{convention.describe()}"
    )
