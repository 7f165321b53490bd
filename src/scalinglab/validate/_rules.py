"""The rules that choose runs (``--holdout``, ``--fit-on``; ``holdout=``, ``fit_on=`` in Python):
a predicate on a column, the ``k`` largest, or a top fraction.

::

    "flops>=1e21"            runs with flops >= 1e21 are held out (units allowed: "params>1.5B")
    "flops>=1e21 & params>1e9"   clauses joined by & (or "and") must all hold
    "largest:5"              the 5 largest runs by flops (params where there are no flops)
    "largest:5:params"       ... by a named column
    "top-decile", "top:10%"  the runs at or above the 90th percentile of flops (or params)
    "flops<=max/8"           a bound relative to the column's largest value (max, max/K, max*K)
    "top-scales:2"           the runs of the 2 largest scales (IsoFLOP budgets; see below)
    "near-best:1.5"          in each scale, the runs within 1.5x in params of its lowest loss

Clauses join with ``&``; the runs fitted on may be a rule of their own (``fit_on``), e.g. fit
on ``"flops<=max/8 & near-best:1.5"``, score ``"top-scales:2 & near-best:1.5"`` (others: out).

A small grammar, never ``eval``: a column (the file's name for a renamed one, too), one of
``>= > <= < == !=``, and a number. A column name may hold spaces, as it is (``Model Size>5e9``)
or in quotes (``'Model Size'>5e9``, ``largest:5:"Model Size"``); quoted, it may hold ``&`` and
``and`` too, which otherwise join clauses. A split holding out nothing or everything, or naming a
column the runs lack, is refused with a :class:`ConfigError` or :class:`DataError`.

Scales: runs whose compute lies within :data:`SCALE_TOL` decades of each other form one
scale (an IsoFLOP budget), the unit rolling-origin backtests add one at a time; sizes that do
not cluster so (each run its own size) are binned at the fit's calibration cuts instead
(:mod:`scalinglab._scales`), and ``near-best:F`` is refused there: a bin is no budget.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g
from scalinglab._scales import SCALE_TOL
from scalinglab.data import RunTable, parse_quantity
from scalinglab.data._compare import CLAUSE, OPS
from scalinglab.data._unit_words import bound_number, quantity_named
from scalinglab.validate._rule_names import (
    RULE_HINT,
    Forms,
    clauses,
    no_budgets,
    no_column,
    unquoted,
    unread,
)
from scalinglab.validate._rule_scales import (
    SIZES,
    column_scales,
    scale_column,
    scale_index,
    scales,
    size_design,
)

__all__ = [
    "RULE_HINT",
    "SCALE_TOL",
    "SIZES",
    "Chosen",
    "cut_said",
    "rule_mask",
    "rule_said",
    "scale_column",
    "scale_index",
    "scales",
    "size_design",
]

Array = NDArray[np.float64]


_LARGEST = re.compile(r"^largest:(\d+)(?::([^&<>=!]+))?$", re.IGNORECASE)
_TOP = re.compile(r"^top:(\d+(?:\.\d+)?)%(?::([^&<>=!]+))?$", re.IGNORECASE)
_TOP_SCALES = re.compile(r"^top-scales:(\d+)$", re.IGNORECASE)
_NEAR_BEST = re.compile(r"^near-best:(\d+(?:\.\d+)?)$", re.IGNORECASE)
_RELATIVE = re.compile(r"^max(?:\s*([*/])\s*(\S+))?$", re.IGNORECASE)


def rule_said(option: str, text: str | None = None) -> str:
    """The rule as a message names it, both ways: ``--holdout 'x' (holdout= in Python)``,
    since the library's error reaches the command line and Python callers alike."""
    given = f" {text!r}" if text is not None else ""
    return f"{option}{given} ({option.removeprefix('--').replace('-', '_')}= in Python)"


class Chosen(NamedTuple):
    """The runs a rule selects (:func:`rule_mask`).

    Attributes:
        mask: Which runs.
        description: The rule in words.
        column: The column scales are measured by.
        by: The columns the rule compares (``loss`` there: chosen by the outcome).
    """

    mask: NDArray[np.bool_]
    description: str
    column: str
    by: tuple[str, ...]


def rule_mask(
    table: RunTable,
    text: str,
    option: str = "--holdout",
    *,
    scale: str | None = None,
    rows: str = "runs",
    forms: Forms = None,
) -> Chosen:
    """The runs ``text`` selects, the rule in words, the column scales are measured by
    (``scale`` where given, else :func:`scale_column`'s, else, for a predicate on runs with
    no size column, ``x>5``, the first column it names) and the columns it compares.
    ``rows``: what the rows are, as a column they lack is said (``"cells"`` of a sweep);
    ``forms``: the named forms a near miss is matched to (default ``backtest``'s)."""
    lowered = text.lower()
    if m := _LARGEST.match(text):
        k, column = int(m.group(1)), _size_column(table, m.group(2), option, scale, rows)
        if k == 0:
            raise ConfigError(f"{rule_said(option, text)}: k must be at least 1", hint=RULE_HINT)
        values = table[column]
        order = np.argsort(-values, kind="stable")
        mask = np.zeros(len(table), dtype=bool)
        mask[order[:k]] = True
        said = f"the {k} largest runs" if k > 1 else "the largest run"
        tie = _tie_said(values, order[:k], column, option, rows)
        return Chosen(mask, f"{said} by {column}{tie}", column, (column,))
    fraction = None
    if lowered in ("top-decile", "top-quartile"):
        fraction = 0.1 if lowered == "top-decile" else 0.25
        column = _size_column(table, None, option, scale, rows)
    elif m := _TOP.match(text):
        fraction = float(m.group(1)) / 100
        column = _size_column(table, m.group(2), option, scale, rows)
    if fraction is not None:
        if not 0 < fraction < 1:
            raise ConfigError(
                f"{rule_said(option, text)}: the fraction must be in (0%, 100%)", hint=RULE_HINT
            )
        values = table[column]
        cut = float(np.quantile(values, 1 - fraction))
        mask = values >= cut
        said = f"the top {fraction:.0%} by {column}: {column} >= {cut_said(cut, values, mask)}"
        return Chosen(mask, said, column, (column,))
    return _predicate(table, text, option, scale, rows, forms)


def _predicate(
    table: RunTable, text: str, option: str, scale: str | None, rows: str, forms: Forms
) -> Chosen:
    parts = clauses(text)
    if not parts:
        raise ConfigError(f"{rule_said(option)} is empty", hint=RULE_HINT)
    mask = np.ones(len(table), dtype=bool)
    named_columns: list[str] = []
    for clause in parts:
        special = _special(table, clause.strip(), rule_said(option, text), scale)
        if special is not None:
            mask &= special
            continue
        m = CLAUSE.match(clause)
        if m is None:  # a near miss of a named form: did you mean it?
            raise unread(rule_said(option, text), clause, forms)
        named, op, number = unquoted(m.group(1)), m.group(2), unquoted(m.group(3))
        column = table.column_for(named)  # the file's name for a renamed column, too
        if column is None:
            raise no_column(table, rule_said(option, text), named, rows=rows)
        named_columns.append(column)
        try:
            value = _relative(table[column], number)
            if value is None:
                given = f"{rule_said(option, text)}: {number!r}"
                value = parse_quantity(bound_number(number, quantity_named(column), given=given))
        except DataError:
            raise ConfigError(
                f"{rule_said(option, text)}: {number!r} is not a number", hint=RULE_HINT
            ) from None
        if math.isnan(value):
            raise ConfigError(
                f"{rule_said(option, text)}: compare with a number, not NaN", hint=RULE_HINT
            )
        mask &= OPS[op](table[column], value)
    said = " and ".join(c.strip() for c in parts)
    if scale is None and named_columns and not any(table.has(c) for c in SIZES):
        scale = named_columns[0]  # no size to measure by: the column the rule holds out by
    return Chosen(mask, said, scale_column(table, scale), tuple(named_columns))


def _relative(values: Array, number: str) -> float | None:
    """``max``, ``max/8``, ``max*0.5``: a bound relative to the column's largest value."""
    m = _RELATIVE.match(number)
    if m is None:
        return None
    top = float(np.max(values))
    if m.group(1) is None:
        return top
    factor = parse_quantity(m.group(2))
    return top / factor if m.group(1) == "/" else top * factor


def _special(
    table: RunTable, clause: str, rule: str, scale: str | None
) -> NDArray[np.bool_] | None:
    """``top-scales:K`` and ``near-best:F`` clauses; ``None`` for any other clause. ``rule``
    is the whole rule as a message names it (:func:`rule_said`)."""
    if m := _TOP_SCALES.match(clause):
        k = int(m.group(1))
        if k < 1:
            raise ConfigError(
                f"{rule}: top-scales:K holds out the K largest scales, and K must be at least 1",
                hint="e.g. 'top-scales:2'",
            )
        column = scale_column(table, scale)
        index = scale_index(table[column], column, size_design(table, column))
        return np.asarray(index > index.max() - k)
    if m := _NEAR_BEST.match(clause):
        factor = float(m.group(1))
        if factor < 1:
            raise ConfigError(
                f"{rule}: near-best:F keeps the runs within F times the best run's params at "
                "each scale, and F must be at least 1",
                hint="e.g. 'near-best:1.5' (from 1/1.5 to 1.5 times the best run's params)",
            )
        for needed in ("params", "loss"):
            if not table.has(needed):
                raise DataError(
                    f"{rule}: {clause} needs the runs' {needed}",
                    source=table.source,
                    column=needed,
                )
        column = scale_column(table, scale)
        found = column_scales(table[column], column, size_design(table, column))
        if found.run_together is not None:
            raise no_budgets(rule, clause, column, found.run_together)
        index = found.index
        params, loss = table["params"], table["loss"]
        keep = np.zeros(len(table), dtype=bool)
        for s in np.unique(index):
            members = np.flatnonzero(index == s)
            best = params[members[np.argmin(loss[members])]]
            ratio = params[members] / best
            keep[members] = (ratio <= factor) & (ratio >= 1 / factor)
        return keep
    return None


def _tie_said(
    values: NDArray[np.float64], picked: NDArray[np.intp], column: str, option: str, rows: str
) -> str:
    """Where ``largest:K`` cuts through runs of one value (six runs of the largest size,
    five picked): how many share it and how many the rule picked, which ``largest:K`` names
    as K runs (its docs), so that the others left out are said, not silent; else ``""``."""
    cut = values[picked[-1]]
    tied, held = int(np.sum(values == cut)), int(np.sum(values[picked] == cut))
    if tied == held:
        return ""
    did = "held out" if option == "--holdout" else "fitted on"
    return f"; {tied} {rows} share the cut value, {column} {format_g(float(cut), 3)}: {held} of them {did}"


def _num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}g}".replace("e+", "e")


def cut_said(cut: float, values: NDArray[np.float64], mask: NDArray[np.bool_]) -> str:
    """``cut`` at the fewest digits (3 or more) that still part the runs as ``mask`` does:
    above the largest value left in and at most the smallest held out, so that cells at
    1.28786e20 left in are not shown beside a cut of 1.29e20 (it is 1.288e20)."""
    below = values[~mask & np.isfinite(values)]
    low = float(below.max()) if below.size else -math.inf
    high = float(values[mask].min()) if mask.any() else math.inf
    for digits in range(3, 18):
        text = _num(cut, digits)
        if low < float(text) <= high:
            return text
    return repr(cut)


def _size_column(
    table: RunTable, named: str | None, option: str, scale: str | None, rows: str
) -> str:
    # the file's name for a renamed column, too (model_size -> params)
    named = None if named is None else unquoted(named)
    column = scale_column(table, scale) if named is None else table.column_for(named)
    if column is None:
        raise no_column(table, rule_said(option), str(named), rows=rows)
    return column
