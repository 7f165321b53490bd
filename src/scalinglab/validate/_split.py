"""Which runs a backtest holds out and which it fits on: a :class:`Split` by the rules of
:mod:`scalinglab.validate._rules` (``"flops>=1e21"``, ``"largest:5"``, ``"top-decile"``...).
A split holding out nothing or everything is refused with a :class:`ConfigError`.

Its scale axis (``largest:K``, the rolling-origin cuts, how far each held-out run lies beyond
the runs fitted) is the runs' size, flops else params else tokens, for a law of N, D or C;
for a law of another variable (``Linf + A*exp(-k*U)`` with ``--x U=steps``) the law's own
variable (:func:`law_scale`), since the size of such runs says nothing of how far the law
extrapolates (it may be one value in every run).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError, check_text
from scalinglab._format import format_counted
from scalinglab.data import RunTable
from scalinglab.laws import Law
from scalinglab.validate import _repr
from scalinglab.validate._fit_side import check_fit_side, fewest_kept, most_params
from scalinglab.validate._old_names import SplitAliases
from scalinglab.validate._rule_bounds import loosen_hint
from scalinglab.validate._rules import (
    SCALE_TOL,
    SIZES,
    Chosen,
    rule_mask,
    rule_said,
    scale_column,
    scales,
)
from scalinglab.validate._split_hints import by_outcome, disjoint_hint

__all__ = [
    "SCALE_TOL",
    "Split",
    "law_scale",
    "scale_column",
    "scales",
    "split_fields",
    "split_runs",
]

Array = NDArray[np.float64]


@old_fields(train="fitted", test="held_out")
@dataclass(frozen=True)
class Split(SplitAliases):
    """Runs to fit on and runs to predict.

    Attributes:
        fitted: Runs the law is fitted to (``train``, their old name, reads them for one
            release with a DeprecationWarning).
        held_out: Held-out runs it must predict (``test``, their old name, likewise).
        holdout: The hold-out rule as given.
        description: The rule in words, e.g. ``"the 5 largest runs by flops"``.
        column: The column scales and distances are measured by: ``flops``, else
            ``params``, else ``tokens``; the law's own variable for a law of none of them
            (:func:`law_scale`), or the column a predicate names where the runs have no size.
        source: Where all the runs came from, with their count (``RunTable.describe_source``).
        warnings: What biases the score, in words: a rule that chooses runs by their loss.
        fit_on: The ``fit_on`` rule (``--fit-on``) that chose :attr:`fitted`, as given;
            ``""`` where every run not held out is fitted.
        not_held_out: Runs not held out that ``fit_on`` chose among (0 without one).
    """

    fitted: RunTable
    held_out: RunTable
    holdout: str
    description: str
    column: str
    source: str = ""
    warnings: tuple[str, ...] = ()
    fit_on: str = ""
    not_held_out: int = 0

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.split(self)

    def span(self) -> float | None:
        """The fitted range of :attr:`column` (largest minus smallest fitted value; 1 where
        the runs fitted hold one value) where its values, fitted or held out, reach 0 or
        below: an axis with no factors (``U`` from -1 to 4), whose distances count spans
        of the fitted range, as ``predict``'s do (:func:`~scalinglab.fit._reach
        .linear_axes`); ``None`` where every value is positive.

        Returns:
            The span, or ``None``.
        """
        fitted, held = self.fitted[self.column], self.held_out[self.column]
        if min(np.min(fitted), np.min(held)) > 0:
            return None
        span = float(np.max(fitted) - np.min(fitted))
        return span if np.isfinite(span) and span > 0 else 1.0

    def times_fitted(self) -> Array:
        """Extrapolation factor of each held-out run: its scale over the largest fitted one;
        NaN where the axis reaches 0 or below (:meth:`span`), where a ratio is no distance
        (-0.25 for a run above a largest fitted value of -0.2): :meth:`spans_beyond`.

        Returns:
            One factor per held-out run, in :attr:`held_out`'s order.
        """
        held = np.asarray(self.held_out[self.column], float)
        if self.span() is not None:
            return np.full(held.shape, np.nan)
        return np.asarray(held / np.max(self.fitted[self.column]), float)

    def spans_beyond(self) -> Array:
        """How far each held-out run lies past the largest fitted one, in spans of the
        fitted range (:meth:`span`; negative below it), where the axis reaches 0 or below;
        NaN where it does not (:meth:`times_fitted` gives the factor there).

        Returns:
            One number of spans per held-out run, in :attr:`held_out`'s order.
        """
        span, held = self.span(), np.asarray(self.held_out[self.column], float)
        if span is None:
            return np.full(held.shape, np.nan)
        return np.asarray((held - np.max(self.fitted[self.column])) / span, float)


def split_runs(
    table: RunTable,
    holdout: str,
    *,
    fit_on: str | None = None,
    scale: str | None = None,
    laws: Sequence[Law | str] = (),
    x: Mapping[str, str] | None = None,
) -> Split:
    """Split runs by a hold-out rule (see the module docstring for the forms).

    Args:
        table: The runs.
        holdout: The rule for the runs to predict.
        fit_on: The rule for the runs to fit on; default: every run not held out. Without
            a column of its own (``top-scales:2``) it orders runs by ``scale``'s axis, not
            by a column the hold-out rule names (``largest:4:params``).
        scale: The column scales are measured by (:attr:`Split.column`; ``largest:K``
            without a column, ``top-decile``, ``top-scales:K``); default ``None``: flops,
            else params, else tokens (:func:`law_scale` gives a law's own variable).
        laws: The laws to be fitted on the split: a ``fit_on`` rule that keeps too few runs
            for the one of most parameters is refused here, told a bound that keeps the
            fewest it fits without a warning of too few runs
            (:func:`~scalinglab.validate._fit_side.fewest_runs`; without laws, half the runs);
            ``"auto"`` stands for its candidates for the runs it fits, as
            :func:`scalinglab.compare` reads it.
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it, for ``laws``.

    Returns:
        The runs to fit on and the runs to predict, with the hold-out rule in words.

    Raises:
        ConfigError: For a rule that cannot be parsed, that holds out nothing or everything,
            or a ``fit_on`` rule that selects no run or a held-out one.
        DataError: For a column the runs do not have, or a ``fit_on`` rule that keeps too
            few runs to fit one of ``laws``.
    """
    text = check_text(holdout, what="a hold-out rule", example="'largest:5'").strip()
    chosen = rule_mask(table, text, scale=scale)
    mask, description, column = chosen.mask, chosen.description, chosen.column
    if fit_on is not None:
        rule = check_text(fit_on, what="fit_on", example="'flops<=max/8'").strip()
        scale = _fit_on_scale(table, chosen, scale)
        return _two_rules(table, text, chosen, rule, scale, laws=laws, x=x)
    n, k = len(table), int(mask.sum())
    if k == 0:
        raise ConfigError(
            f"{rule_said('--holdout', text)} holds out no run of {n} ({description})",
            hint=loosen_hint(table, text, None, verb="holds out", otherwise=_LARGEST),
        )
    if k == n:
        raise ConfigError(
            f"{rule_said('--holdout', text)} holds out all {n} runs, leaving none to fit ({description})",
            hint="tighten it so that it selects only the largest runs, e.g. 'largest:5'",
        )
    return Split(
        table.select(~mask),
        table.select(mask),
        text,
        description,
        column,
        table.describe_source(),
        by_outcome(chosen, "--holdout", text),
    )


#: How to loosen a hold-out rule that holds out no run, where no clause gives a bound.
_LARGEST = "loosen it so that it selects the largest runs, e.g. 'largest:5'"


def _fit_on_scale(table: RunTable, chosen: Chosen, scale: str | None) -> str | None:
    """The axis a ``fit_on`` rule without a column of its own orders runs by: the split's
    default (``scale``, else flops, params, tokens), not the column the hold-out rule names
    (``largest:4:params`` must not make ``top-scales:2`` count scales of params); on runs
    with no size, the column a hold-out predicate names, the only axis there is."""
    if scale is not None or any(table.has(c) for c in SIZES):
        return scale
    return chosen.column


def _two_rules(
    table: RunTable,
    text: str,
    chosen: Chosen,
    rule: str,
    scale: str | None,
    *,
    laws: Sequence[Law | str],
    x: Mapping[str, str] | None,
) -> Split:
    test, description, column = chosen.mask, chosen.description, chosen.column
    fitted = rule_mask(table, rule, option="--fit-on", scale=scale)
    train, fit_description = fitted.mask, fitted.description
    both = np.flatnonzero(train & test)
    if len(both):
        raise ConfigError(
            f"{rule_said('--fit-on', rule)} and {rule_said('--holdout', text)} both select {format_counted(len(both), 'run')}, e.g. "
            f"{table.runs[both[0]]!r}",
            hint=disjoint_hint(text, rule, left=int((train & ~test).sum())),
        )
    # the law of most parameters needs the most runs: the fewest to keep are its
    if not train.any() or not test.any():
        which = "--fit-on" if not train.any() else "--holdout"
        pool = ~test if test.any() else None
        keep, why, points = fewest_kept(laws, table, pool, x)  # distinct points, as fit counts
        loosened = rule if not train.any() else text
        hint = loosen_hint(table, loosened, pool, keep=keep, why=why, scale=scale,
                           points=points, holdout=text)  # fmt: skip
        raise ConfigError(f"{rule_said(which, loosened)} selects no run of {len(table)}", hint=hint)
    split = Split(
        table.select(train),
        table.select(test),
        text,
        f"{description}; fitted on {fit_description}",
        column,
        table.describe_source(),
        by_outcome(chosen, "--holdout", text) + by_outcome(fitted, "--fit-on", rule),
        fit_on=rule,
        not_held_out=int((~test).sum()),
    )
    most, among = most_params(laws, split.fitted, x)  # auto: its candidates for these runs
    if most is not None:  # too few for it: refused with the bound that keeps enough
        check_fit_side(most, split, table=table, pool=~test, scale=scale, among=among, x=x)
    return split


def law_scale(
    laws: Sequence[Law], table: RunTable, x: Mapping[str, str] | None = None
) -> str | None:
    """The column a backtest of ``laws`` measures scale by, where it is not the runs' size:
    the laws' own variable when none of them reads flops, params or tokens (a law of
    training steps, ``--x U=steps``) and all of them read it first; ``None`` otherwise
    (:func:`scale_column`: flops, else params, else tokens).

    Args:
        laws: The laws backtested on one split.
        table: The runs, whose renamed columns (``model_size``: ``params``) count as read.
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it.
    """
    first = set()
    for law in laws:
        named = {**law.variables, **{s: c for s, c in (x or {}).items() if s in law.variables}}
        columns = [table.column_for(c) or c for c in named.values()]
        if not columns or any(c in SIZES for c in columns):
            return None
        first.add(columns[0])
    if len(first) != 1:  # laws of different variables: none of them is the axis
        return None
    column = first.pop()
    return column if table.has(column) else None


def split_fields(split: Split) -> dict[str, object]:
    """The JSON fields of ``split`` a backtest and a comparison both write: the hold-out, how
    many runs each side holds (``n_train``/``n_test``, their old keys, for one release) and
    where the runs came from."""
    return {
        "holdout": split.holdout,
        "holdout_description": split.description,
        "n_fitted": len(split.fitted),
        "n_held_out": len(split.held_out),
        "n_train": len(split.fitted),  # the old keys of the two above, one release
        "n_test": len(split.held_out),
        "source": split.source or split.fitted.describe_source(),
        "simulated": split.fitted.simulated,
    }
