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
from scalinglab._format import format_count, format_g
from scalinglab.data import RunTable
from scalinglab.data._flops import DERIVED_6ND
from scalinglab.data._flops_rule import FlopsConvention, fitted_flops

__all__ = [
    "AS_GIVEN",
    "FLOPS_FACTOR",
    "FlopsConvention",
    "expected_flops",
    "flops_mismatch",
    "given_flops",
    "prediction_flops",
    "sweep_flops",
]

_SWEEP = "the sweep's"  # whose flops/(6·N·D) the rule was read off, in its words
#: How far a given C may lie from the C its rule counts at (N, D) before ``predict`` warns:
#: an exact count adds attention and the head to 6·N·D (well under 2x at the sizes of LLMs);
#: further off, the C is another run's (another N or D), and a law of C reads that run's.
FLOPS_FACTOR = 2.0
#: What the note of a given C that no law reads says of it (a plan, which passes its own C,
#: drops that note: its user gave no C).
AS_GIVEN = "as given labels the prediction only"


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
            return c, f"C={format_g(c, 3)} as 6·N·D ({_ALONE})"
        return c, (
            f"C={format_g(c, 3)} as 6·N·D: the fit was saved before fits recorded their sweep's "
            "FLOPs convention; if the sweep's FLOPs were an exact count, pass them (--flops, "
            "Python: flops=) or fit again"
        )
    c_rule = convention.flops(params, tokens)
    if c_rule is not None:
        # where no law reads C, say so: the C shown is a label, which --flops only relabels
        alone = "" if reads_c else f"; {_ALONE}, so a given C would change no number"
        return (
            c_rule,
            f"C={format_g(c_rule, 3)} from the sweep's FLOPs convention: "
            f"{convention.describe(runs=_SWEEP)}{alone}",
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


_ALONE = "the laws read N and D alone, not C"


def given_flops(
    convention: FlopsConvention | None,
    flops: float,
    params: float,
    tokens: float,
    *,
    reads_c: bool,
) -> tuple[str, tuple[str, ...]]:
    """The note and warnings of a prediction given its C (``--flops``, ``flops=``).

    Laws of C read the given C: a warning where it is more than :data:`FLOPS_FACTOR` off
    the C the sweep's convention counts at (N, D). Laws of N and D alone do not read it: a
    note says that it changes no number.
    """
    if not reads_c:
        return (
            f"C={format_g(flops, 3)} {AS_GIVEN}: {_ALONE}, so the given C "
            "(--flops, Python: flops=) changes no number"
        ), ()
    counted = (
        "C = 6·N·D, as a fit saved before fits recorded their sweep's FLOPs convention counts"
        if convention is None
        else convention.planned()
    )
    off = flops_mismatch(
        flops,
        params,
        tokens,
        expected=expected_flops(convention, params, tokens),
        counted=counted,
        reader="the fit's laws of C give",
    )
    return "", () if off is None else (off,)


def expected_flops(convention: FlopsConvention | None, params: float, tokens: float) -> float:
    """C at (N, D) by ``convention``: its rule, or its median ratio to 6·N·D where it has
    none (:attr:`FlopsConvention.unclear`); 6·N·D for ``None`` (a fit saved without one).
    """
    ratio = 1.0 if convention is None else float(convention.ratio(params))
    return 6.0 * params * tokens * ratio


def flops_mismatch(
    flops: float, params: float, tokens: float, *, expected: float, counted: str, reader: str
) -> str | None:
    """The warning for a given C more than :data:`FLOPS_FACTOR` off the C counted at (N, D).

    Args:
        flops: The C given.
        params, tokens: Where the prediction is asked.
        expected: The C at (N, D) by the count the laws were fitted to.
        counted: That count, in words (``"C = 6·N·D"``).
        reader: Who reads C, with its verb (``"the fit's laws of C give"``).
    """
    ratio = flops / expected
    if max(ratio, 1.0 / ratio) <= FLOPS_FACTOR:
        return None
    side = "above" if ratio > 1.0 else "below"
    return (
        f"the given C={format_g(flops, 3)} (--flops, Python: flops=) is {abs(math.log10(ratio)):.2f} "
        f"decades {side} the {format_g(expected, 3)} counted at N={format_count(params)}, "
        f"D={format_count(tokens)} ({counted}), more than {format_g(FLOPS_FACTOR)}x off: {reader} "
        "lr* and B* at that C, as for a run of another N or D; give the C of this N and D, "
        "or leave it out"
    )
