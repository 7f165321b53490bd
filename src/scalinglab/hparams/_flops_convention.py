"""How a sweep counted FLOPs, recorded by a hyperparameter fit, so that ``predict`` reads a
law of C at the C the sweep would have counted, not at 6·N·D.

The rule is :class:`~scalinglab.data._flops_rule.FlopsConvention`, read off the sweep's runs
as a loss law's fit reads it off its runs: a constant or ``1 + k·N^p`` ratio to 6·N·D where
the runs follow one; otherwise it records why not, and ``predict`` asks for the FLOPs of a
law of C.
"""

from __future__ import annotations

import math

from scalinglab._errors import ConfigError
from scalinglab._format import format_count
from scalinglab.data import RunTable
from scalinglab.data._flops import DERIVED_6ND
from scalinglab.data._flops_rule import FlopsConvention, fitted_flops

__all__ = ["FlopsConvention", "prediction_flops", "sweep_flops"]

_SWEEP = "the sweep's"  # whose flops/(6·N·D) the rule was read off, in its words


def sweep_flops(table: RunTable) -> FlopsConvention:
    """The FLOPs convention of a sweep's runs (:func:`fitted_flops`, as a loss law's fit
    records its runs'): a constant or ``1 + k·N^p`` ratio to 6·N·D, else why not."""
    counted = table.flops_convention or _column(table)
    if counted != DERIVED_6ND and not all(table.has(c) for c in ("params", "tokens", "flops")):
        return FlopsConvention(counted=counted, unclear="the sweep has no FLOPs to compare")
    return fitted_flops(counted, *(table[k] for k in ("params", "tokens", "flops")))


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
        if not reads_c:  # C labels the prediction only: nothing to pass or refit for
            return c, f"C={c:.3g} as 6·N·D (the laws read N and D alone, not C)"
        return c, (
            f"C={c:.3g} as 6·N·D: the fit was saved before fits recorded their sweep's "
            "FLOPs convention; if the sweep's FLOPs were an exact count, pass them (--flops, "
            "Python: flops=) or fit again"
        )
    c_rule = convention.flops(params, tokens)
    if c_rule is not None:
        return (
            c_rule,
            f"C={c_rule:.3g} from the sweep's FLOPs convention: {convention.describe(runs=_SWEEP)}",
        )
    if reads_c:
        raise ConfigError(
            "the fit's laws read the training FLOPs C, and no C can be computed at "
            f"N={format_count(params)}, D={format_count(tokens)} as its sweep counted them: "
            f"the sweep's FLOPs are {convention.describe(runs=_SWEEP)}",
            hint="give C as the sweep counted it: --flops 1e23 (Python: flops=1e23)",
        )
    return math.nan, (
        "C not computed (the laws read N and D alone): the sweep's FLOPs are "
        f"{convention.describe(runs=_SWEEP)}"
    )
