"""How runs counted FLOPs, as a rule for C at any (N, D): one object for every fit that
reads FLOPs (a hyperparameter fit's sweep, a loss law's runs), saved as ``"flops_convention"``.

An exact count adds attention and the output head to 6·N·D: per token, about 6·L·T·d and
6·d·V FLOPs over the 6·N of the weights (Kaplan et al. 2020, Table 1), so flops/(6·N·D)
depends on the model's shape but not on D. Among runs each N is one shape, so the ratio is a
function of N, and over a family of shapes it falls with N roughly as ``1 + k·N^p``.
:func:`fitted_flops` records that function when the runs' ratios follow it (or a constant)
to within :data:`_TOL`; otherwise it records why not, beside the runs' median ratio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab import _repr
from scalinglab._format import format_count, format_g
from scalinglab._json import json_ready
from scalinglab._quantiles import median as median_of
from scalinglab.data._flops import COUNTED_RE, DERIVED_6ND, SAME_6ND, SIX_ND

__all__ = ["PLAIN_6ND", "FlopsConvention", "fitted_flops", "flops_of", "from_words"]

Array = NDArray[np.float64]

#: How closely flops/(6·N·D) must follow a constant or ``1 + k·N^p`` (relative): FLOPs
#: rounded by a logger stay well within it; another unit or a wrong row does not.
_TOL = 0.01
#: What plans say their compute is counted as, after the rule (:meth:`FlopsConvention.planned`).
_AS_RUNS = "as the fitted runs' flops count compute"


@dataclass(frozen=True)
class FlopsConvention:
    """Runs' FLOPs count, and C at any (N, D) by the same count where the runs say how.

    ``C = 6·N·D·r(N)``, ``r(N) = base + coef·N^power``: ``base = 1, coef = 0`` for 6·N·D.

    Attributes:
        counted: What the runs' FLOPs were, in words (their table's ``flops_convention``).
        base: The constant part of flops/(6·N·D); where :attr:`unclear`, the runs' median
            ratio (what a plan counts with, saying why it is no rule).
        coef: The coefficient of its ``N^power`` part (0: a constant ratio).
        power: The exponent of N in that part.
        sizes: The runs' model sizes the ratio was read at.
        unclear: Why the runs' flops/(6·N·D) is no clean function of N (then :meth:`flops`
            gives no C, and a hyperparameter fit's ``predict`` needs the FLOPs); ``""``
            when it is one.
        largest: The largest of a loss law's fitted runs' FLOPs as they count it, which
            ``plan``'s default budgets are multiples of, as ``fit``'s are; ``None`` where
            not recorded (a sweep's, a file from before fits recorded it).
    """

    counted: str
    base: float = 1.0
    coef: float = 0.0
    power: float = 0.0
    sizes: tuple[float, ...] = ()
    unclear: str = ""
    largest: float | None = None

    def __repr__(self) -> str:  # one line: no list of sizes
        return _repr.flops_convention(self)

    @property
    def is_6nd(self) -> bool:
        """Whether C is 6·N·D itself."""
        return self.base == 1.0 and self.coef == 0.0

    def ratio(self, params: Any) -> Any:
        """``r(N)`` = flops/(6·N·D) at ``params`` (arrays broadcast); the median where
        :attr:`unclear`."""
        return self.base + self.coef * np.asarray(params, dtype=np.float64) ** self.power

    def log_ratio(self, log_n: Array) -> tuple[Array, Array, Array]:
        """``g = log r`` at ``log N`` and its first two derivatives in ``log N``: the
        compute-optimal search moves along ``log D = log(C/6) - log N - g``."""
        if self.coef == 0.0:
            zero = np.zeros_like(log_n)
            return zero + math.log(self.base), zero, zero
        with np.errstate(all="ignore"):
            t = self.coef * np.exp(self.power * log_n)
            r = self.base + t
            return np.log(r), self.power * t / r, self.power**2 * t * self.base / r**2

    def flops(self, params: float, tokens: float) -> float | None:
        """C at (N, D) as the runs counted it, or ``None`` without a clean rule."""
        if self.unclear:
            return None
        return float(6.0 * params * tokens * self.ratio(params))

    def tokens(self, flops: Any, params: Any) -> Any:
        """``D = C/(6·N·r(N))``: the tokens of compute ``flops`` at size ``params``."""
        return flops / (6.0 * params * self.ratio(params))

    def per_token(self) -> str:
        """FLOPs per parameter and token in words: ``6``, ``1.33·6``, ``6·(1 + 2e8·N^-1)``."""
        if self.coef:
            return f"6·({self._part()})"
        return "6" if self.base == 1.0 else f"{format_g(self.base, 3)}·6"

    def planned(self) -> str:
        """The rule plans and ``predict(flops=)`` count compute by, in words (``plan``'s
        "FLOPs counted as:" line): ``C = 6·N·D``, or the runs' rule and where it is from."""
        if self.is_6nd:
            return SIX_ND
        if self.unclear:
            return f"{self.formula()}, {_AS_RUNS} (their median ratio to 6·N·D; {self.unclear})"
        if not self.coef:
            return f"{self.formula()}, {_AS_RUNS}"
        return f"{self.formula()}, {_AS_RUNS} ({self.where()})"

    def formula(self) -> str:
        """C in N and D: ``C = 6·N·D``, ``C = 1.33·6·N·D``, ``C = 6·N·D·(1 + 2e8·N^-1)``."""
        if self.coef:
            return f"C = 6·N·D·({self._part()})"
        return SIX_ND if self.base == 1.0 else f"C = {format_g(self.base, 3)}·6·N·D"

    def where(self) -> str:
        """Where the runs follow :meth:`formula`: ``at its 12 model sizes (N = 100M to 3B),
        to within 1%``."""
        return f"at {self._sizes()}, to within {_TOL:.0%}"

    def describe(self, *, runs: str) -> str:
        """The rule in words with where it came from (``runs``: whose flops, ``"the
        sweep's"``), or why there is none."""
        if self.unclear:
            return f"{self.counted}; {self.unclear}"
        if self.counted == DERIVED_6ND:  # says C = 6·N·D itself
            return self.counted
        if self.coef == 0.0:
            c = SIX_ND if self.base == 1.0 else f"C = {format_g(self.base, 4)}·6·N·D"
            return f"{c}, {runs} flops/(6·N·D) at {self._sizes()}; its FLOPs: {self.counted}"
        return (
            f"C = 6·N·D·({self._part()}), {runs} flops/(6·N·D) at {self._sizes()} to within "
            f"{_TOL:.0%}; its FLOPs: {self.counted}"
        )

    def _part(self) -> str:
        return f"{format_g(self.base, 4)} + {format_g(self.coef, 4)}·N^{format_g(self.power, 4)}"

    def _sizes(self) -> str:
        n = len(self.sizes)
        if n == 0:
            return "its model sizes"
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
            "largest": self.largest,
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
            largest=None if data.get("largest") is None else float(data["largest"]),  # type: ignore[arg-type]
        )


#: C = 6·N·D itself: what a fit without another rule counts (a preset's, by its words).
PLAIN_6ND = FlopsConvention(counted=SIX_ND)


def fitted_flops(counted: str, params: Any, tokens: Any, flops: Any) -> FlopsConvention:
    """The FLOPs convention of runs at ``params``, ``tokens`` and ``flops`` (arrays), counted
    as ``counted`` says: 6·N·D where derived, or within :data:`SAME_6ND` of it at every run
    (as the reader calls such a column 6·N·D), else a constant or ``1 + k·N^p`` ratio to
    6·N·D where every run's follows one to within :data:`_TOL`, else the median and why not.
    """
    if counted == DERIVED_6ND:  # 6·N·D by construction: nothing to read off the runs
        return FlopsConvention(counted=counted)
    n, d, c = (np.asarray(v, dtype=np.float64).reshape(-1) for v in (params, tokens, flops))
    with np.errstate(all="ignore"):
        ratio = c / (6.0 * n * d)
    ok = np.isfinite(ratio) & (ratio > 0) & np.isfinite(n) & (n > 0)
    if not ok.any():
        return FlopsConvention(counted=counted, unclear="no run has positive FLOPs, N and D")
    n, ratio = n[ok], ratio[ok]
    sizes = np.array(sorted(set(n.tolist())))  # np.unique would import numpy.ma (issue 12)
    kept = tuple(float(s) for s in sizes)
    if np.all(np.abs(ratio - 1.0) <= SAME_6ND):
        return FlopsConvention(counted=counted, sizes=kept)
    per = np.array([median_of(ratio[n == s]) for s in sizes])
    median = median_of(ratio)
    for s, r in zip(sizes, per, strict=True):
        worst = float(np.max(np.abs(ratio[n == s] / r - 1.0)))
        if worst > _TOL:  # the same model's ratio changes with D: no function of N
            return FlopsConvention(
                counted=counted,
                base=median,
                sizes=kept,
                unclear=f"the runs' flops/(6·N·D) differs by up to {worst:.1%} among the runs "
                f"of N = {format_count(float(s))}, so it is no function of N alone",
            )
    mid = median_of(per)
    if np.all(np.abs(per / mid - 1.0) <= _TOL):
        return FlopsConvention(counted=counted, base=mid, sizes=kept)
    if len(sizes) >= 3 and np.all(per > 1.0):  # 2 sizes fit any k, p: nothing would test it
        power, log_k = np.polyfit(np.log(sizes), np.log(per - 1.0), 1)
        coef = math.exp(float(log_k))
        fitted = 1.0 + coef * sizes**power
        if np.all(np.abs(fitted / per - 1.0) <= _TOL):
            return FlopsConvention(counted=counted, coef=coef, power=float(power), sizes=kept)
    shown = ", ".join(
        f"{format_g(r, 3)}× at N = {format_count(float(s))}"
        for s, r in zip(sizes, per, strict=True)
    )
    return FlopsConvention(
        counted=counted,
        base=median,
        sizes=kept,
        unclear=f"the runs' flops/(6·N·D) ({shown}) follows neither a constant nor 1 + k·N^p "
        f"to within {_TOL:.0%}, so C at another N cannot be read off it",
    )


def from_words(convention: str) -> FlopsConvention:
    """The rule the words of a FLOPs convention (:attr:`Conventions.flops`) give: the runs'
    ratio to 6·N·D where :func:`~scalinglab.data._flops.flops_convention` wrote one
    ("counted as its source did: 1.33× 6·N·D"; the median of a spread), else 6·N·D.

    Only for fits written before fits recorded their :class:`FlopsConvention` (and a
    preset's conventions, in words): they plan and predict as they did then.
    """
    found = COUNTED_RE.search(convention)
    try:
        ratio = float(found.group(2)) if found else 1.0
    except ValueError:  # not a number: words this package did not write
        ratio = 1.0
    if found is None or not (0 < ratio < math.inf) or ratio == 1.0:
        return FlopsConvention(counted=convention)
    spread = f"they range over {found.group(1)}" if found.group(1) else ""
    return FlopsConvention(counted=convention, base=ratio, unclear=spread)


def flops_of(fit: object) -> FlopsConvention:
    """A fit's FLOPs convention: the one it recorded (``flops_convention``), else that of its
    conventions' words (:func:`from_words`: a fit written before fits recorded one, or a
    preset)."""
    recorded = getattr(fit, "flops_convention", None)
    if isinstance(recorded, FlopsConvention):
        return recorded
    words = getattr(getattr(fit, "conventions", None), "flops", "")
    return from_words(words if isinstance(words, str) else "")
