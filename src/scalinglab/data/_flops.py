"""What a run table's FLOPs count, in words, and a note when a given FLOPs column is not
6·N·D. How a fit's plans and predictions count FLOPs from the runs' numbers is
:mod:`scalinglab.data._flops_rule`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g, join_first

__all__ = [
    "COUNTED_RE",
    "DERIVED_6ND",
    "PLANS_COUNT_6ND",
    "RULE_WORDS",
    "SAME_6ND",
    "SIX_ND",
    "flops_convention",
]

Array = NDArray[np.float64]

#: The convention of a table without FLOPs: a reader that stores runs keeps such FLOPs apart
#: from FLOPs a source gave (the store's ``flops_6nd``, not its ``flops``).
DERIVED_6ND = "C = 6·N·D, computed from params and tokens (the data have no FLOPs column)"
#: A given FLOPs column within this of 6·N·D (median ratio) is called 6·N·D.
SAME_6ND = 0.02
#: Past this, a note says a budget in the file's FLOPs is not a plan's.
_NOTE = 0.05
#: A row whose flops/(6·N·D) is this far from the median (either way) is named: exact counts
#: differ from 6·N·D by a ratio that drifts with the model's shape (about 2.3 at width 128
#: and 2048 tokens of context, 1.04 at width 4096), so a factor 2 from the median is no
#: count's drift but a wrong value or another unit.
_FAR = 2.0


#: Words of the note for a flops column that is not 6·N·D; a fit of a law of C itself
#: (whose C is the column) leaves that note out.
PLANS_COUNT_6ND = "plans and predictions from a fit of N and D count C"
#: The rule a fit of N and D counts such a column by, in words true of every fit: it reads
#: r(N) off its own runs (:func:`~scalinglab.data._flops_rule.fitted_flops`), and ``plan``
#: prints the one it read.
RULE_WORDS = (
    "C = 6·N·D·r(N), r read off the fitted runs: a constant, 1 + k·N^p where it follows "
    "one, else their median ratio; plan prints the fit's as 'FLOPs counted as'"
)
#: How plans count compute without another convention (Kaplan et al. 2020, §2.1).
SIX_ND = "C = 6·N·D"
#: The words :func:`flops_convention` gives a column counted otherwise, which
#: :func:`~scalinglab.data._flops_rule.from_words` reads back for fits written before fits
#: recorded their rule: ``1.33× 6·N·D``, or ``1.1-1.5×, median 1.3× 6·N·D``.
_COUNTED = "counted as its source did: "
COUNTED_RE = re.compile(re.escape(_COUNTED) + r"(?:(.*?), median )?(\S+?)× 6·N·D")


def flops_convention(
    chosen: Mapping[str, str],
    derived: str,
    columns: Mapping[str, Array],
    rows: Sequence[int] = (),
) -> tuple[str, list[str]]:
    """What the table's flops are, and the notes that go with it.

    Args:
        chosen: Canonical column -> the source column it was read from.
        derived: The size column computed from the other two (``""``: none).
        columns: The numeric columns (``params``, ``tokens``, ``flops`` where present).
        rows: Each run's row as the user sees it, to name rows whose flops disagree with
            the others' (``()``: 1-based positions).

    Returns:
        The convention in words (a fit records it) and its notes: how budgets are counted,
        and a warning naming rows far from the others' ratio to 6·N·D. Flops whose ratio
        follows ``1 + k·N^p`` are said as that rule, the one a fit of them counts C by
        (:func:`~scalinglab.data._flops_rule.fitted_flops`); others by their median ratio.
    """
    if derived == "flops":
        return DERIVED_6ND, []
    if "flops" not in chosen:
        return "none in the data (no FLOPs column, and no tokens to compute 6·N·D from)", []
    given = f"as given in the data (column {chosen['flops']!r})"
    if derived:
        other = "D = C/(6N)" if derived == "tokens" else "N = C/(6D)"
        return f"{given}; {derived} derived from it as {other}, so C = 6·N·D", []
    if "params" not in columns or "tokens" not in columns:  # flops alone: nothing to compare
        return f"{given}, counted as its source did", []
    with np.errstate(all="ignore"):
        ratio = columns["flops"] / (6.0 * columns["params"] * columns["tokens"])
    r = np.sort(ratio[np.isfinite(ratio) & (ratio > 0)])  # np.quantile would load numpy.ma
    if not len(r):
        return f"{given}, counted as its source did", []
    mid, low, high = 0.5 * float(r[(len(r) - 1) // 2] + r[len(r) // 2]), float(r[0]), float(r[-1])
    # the rule a fit reads off the same numbers (here imported: that module imports this one)
    from scalinglab.data._flops_rule import fitted_flops

    rule = fitted_flops(given, columns["params"], columns["tokens"], columns["flops"])
    if rule.coef and not rule.unclear:
        # every row follows 1 + k·N^p to within its tolerance (else there is no rule), so no
        # row is far from it: far from the median they are the rule's fall with N
        trend = "falling" if rule.power < 0 else "rising"
        said = f"{rule.formula()} {rule.where()} ({format_g(low, 3)}-{format_g(high, 3)}× 6·N·D, {trend} with N)"
        return f"{given}, {_COUNTED}{said}", [_budget_note(chosen["flops"], said)]
    except_, warning = _far_rows(ratio, mid, rows or range(1, len(ratio) + 1), chosen["flops"])
    if abs(mid - 1.0) <= SAME_6ND:
        said = f"{given}: 6·N·D to within {SAME_6ND:.0%} (median ratio {format_g(mid, 3)}){except_}"
        return said, warning
    spread = (
        f"{format_g(low, 3)}-{format_g(high, 3)}×, median {format_g(mid, 3)}×"
        if high > low * 1.01
        else f"{format_g(mid, 3)}×"
    )
    convention = f"{given}, {_COUNTED}{spread} 6·N·D{except_}"
    if abs(mid - 1.0) <= _NOTE:
        return convention, warning
    return convention, [_budget_note(chosen["flops"], f"{spread} 6·N·D"), *warning]


def _budget_note(column: str, holds: str) -> str:
    """The note that a fit's plans count C as ``column`` does (``holds``: how, in words)."""
    return (
        f"column {column!r} holds {holds}: {PLANS_COUNT_6ND} as it does ({RULE_WORDS}), so "
        "give budgets in this file's FLOPs"
    )


def _far_rows(ratio: Array, mid: float, rows: Sequence[int], column: str) -> tuple[str, list[str]]:
    """The rows whose flops/(6·N·D) lies :data:`_FAR` or more from the median ``mid``: words
    for the convention (``""``: none) and a warning naming them."""
    with np.errstate(all="ignore"):
        factor = ratio / mid
    far = np.isfinite(factor) & (factor > 0) & (np.abs(np.log(factor)) >= np.log(_FAR))
    if not far.any():
        return "", []
    which = [str(rows[int(i)]) for i in np.flatnonzero(far)]
    named = ("rows " if len(which) > 1 else "row ") + join_first(which, 8)
    lo, hi = float(factor[far].min()), float(factor[far].max())
    times = f"{format_g(lo, 3)}×" if hi <= lo * 1.01 else f"{format_g(lo, 3)}-{format_g(hi, 3)}×"
    count = f"{int(far.sum())} of {len(ratio)} rows"
    warning = (
        f"warning: column {column!r} at {count} ({named}) is {times} what the rows' "
        f"median ratio to 6·N·D ({format_g(mid, 3)}) gives from their params and tokens: flops that far "
        "off are a wrong value or another unit, and put a run at another compute; check "
        "those rows' flops, params and tokens"
    )
    return f", except {count} at {times} that ({named})", [warning]
