"""The diagnostics a fit's values alone decide, with no runs: a coefficient collapsed or
exploded, an exponent negative or implausible (:mod:`._diagnostics` gives them among the
others; a fit file read back is checked with them again), and a status other than
converged (:func:`unconverged_warning`: first among such a fit's warnings, and what plans
and predictions from it say)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._format import format_g
from scalinglab.fit._roles import RISING, roles
from scalinglab.laws import Law

__all__ = [
    "COEFFICIENT_RANGE",
    "EXPONENT_RANGE",
    "implausible_values",
    "unconverged_first",
    "unconverged_warning",
    "value_warnings",
]

#: Natural-unit range outside which a coefficient has collapsed or exploded.
COEFFICIENT_RANGE = (1e-10, 1e10)
#: Plausible range of a decay exponent.
EXPONENT_RANGE = (0.01, 1.0)


def implausible_values(law: Law, params: Mapping[str, float]) -> tuple[str, ...]:
    """The warnings :func:`diagnose` gives from the values alone: a coefficient outside
    :data:`COEFFICIENT_RANGE`, an exponent negative (the loss grows with scale) or outside
    :data:`EXPONENT_RANGE`. A fit file read back is checked with them (its values may
    have been edited since the fit judged them)."""
    kinds = roles(law)
    return tuple(w for n, v in params.items() for w in value_warnings(n, v, kinds.get(n, "")))


def value_warnings(name: str, value: float, kind: str) -> list[str]:
    """The warnings for one value of the role ``kind`` (:func:`~._roles.roles`)."""
    out: list[str] = []
    lo_c, hi_c = COEFFICIENT_RANGE
    if kind == "coefficient" and not lo_c <= value <= hi_c:
        out.append(
            f"{name} = {format_g(value, 3)} is outside [{format_g(lo_c)}, {format_g(hi_c)}]: the term has "
            "collapsed or exploded, and its exponent with it"
        )
    lo_e, hi_e = EXPONENT_RANGE
    if kind not in ("exponent", RISING):
        return out
    # the decay rate: the exponent itself where the formula writes N**-alpha, its negative
    # where it writes N**alpha (a term that decays there has alpha < 0)
    rate, rated = (value, "") if kind == "exponent" else (-value, f"-{name} ")
    if rate < 0 and kind == "exponent":
        out.append(f"{name} = {format_g(value, 4)} is negative: the law assumes the loss decays")
    elif rate < 0:
        out.append(
            f"{name} = {format_g(value, 4)} is positive: the formula raises its variable to the power "
            f"{name}, so the term grows with scale; the law assumes it decays ({name} < 0)"
        )
    elif rate < lo_e:
        what = "~0: its term is a constant, not separable from E"
        out.append(f"{name} = {format_g(value, 4)} is implausible ({what})")
    elif rate > hi_e:
        what = f"{rated}above {format_g(hi_e)}: published language-model exponents lie in 0.05-0.7"
        out.append(f"{name} = {format_g(value, 4)} is implausible ({what})")
    return out


def unconverged_warning(status: str, message: str) -> str | None:
    """The warning a fit of ``status`` (its ``message`` says why) gives first among its
    warnings, and a plan or prediction from it among its notes; ``None`` for a converged
    one: ``fit`` exits 1 on such a fit, but ``--out`` still saves it."""
    if status == "converged":
        return None
    return (
        f"the fit did not converge (status {status}: {message}): its coefficients are not "
        "an optimum; refit before trusting this"
    )


def unconverged_first(status: str, message: str, warnings: Sequence[str]) -> tuple[str, ...]:
    """``warnings`` with :func:`unconverged_warning`'s line first for a fit of ``status``
    that did not converge, once: a result that holds it already (``fit`` put it there) is
    left as it is, and one that lacks it (a file written before fits said it) gains it."""
    failed = unconverged_warning(status, message)
    if failed is None or failed in warnings:
        return tuple(warnings)
    return (failed, *warnings)
