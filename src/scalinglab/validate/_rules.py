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
scale (an IsoFLOP budget), the unit rolling-origin backtests add one at a time.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab.data import RunTable, parse_quantity

__all__ = ["RULE_HINT", "SCALE_TOL", "rule_mask", "rule_said", "scale_column", "scales"]

Array = NDArray[np.float64]

#: Runs within this many decades of compute (about ±12%) count as one scale.
SCALE_TOL = 0.05

_OPS: dict[str, Callable[[Array, float], NDArray[np.bool_]]] = {
    ">=": operator.ge, "<=": operator.le, "==": operator.eq,
    "!=": operator.ne, ">": operator.gt, "<": operator.lt,
}  # fmt: skip
# a column: a bare name (spaces allowed: 'Model Size>5e9'), or any name in quotes
_QUOTED = "'[^']*'|\"[^\"]*\""
_NAME = "'[^']+'|\"[^\"]+\"|[A-Za-z_][^<>=!&'\"]*?"
_CLAUSE = re.compile(rf"^\s*({_NAME})\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")
_LARGEST = re.compile(r"^largest:(\d+)(?::([^&<>=!]+))?$", re.IGNORECASE)
_TOP = re.compile(r"^top:(\d+(?:\.\d+)?)%(?::([^&<>=!]+))?$", re.IGNORECASE)
_TOP_SCALES = re.compile(r"^top-scales:(\d+)$", re.IGNORECASE)
_NEAR_BEST = re.compile(r"^near-best:(\d+(?:\.\d+)?)$", re.IGNORECASE)
_RELATIVE = re.compile(r"^max(?:\s*([*/])\s*(\S+))?$", re.IGNORECASE)
RULE_HINT = (
    "write a predicate such as 'flops>=1e21', 'params>1B' or 'flops<=max/8', or 'largest:5', "
    "'top-decile', 'top:10%', 'top-scales:2', 'near-best:1.5' (clauses joined by &); a "
    "column name with spaces as it is or in quotes ('Model Size'>5e9, largest:5:'Model Size')"
)


def scale_column(table: RunTable) -> str:
    """The column that measures a run's scale: ``flops``, else ``params``, else ``tokens``."""
    for name in ("flops", "params", "tokens"):
        if table.has(name):
            return name
    raise DataError(
        "the runs have no flops, params or tokens column to order them by scale",
        source=table.source,
        hint="map one with --map flops=COLUMN (columns={'flops': COLUMN} in Python), or hold "
        "out with a predicate on a column",
    )


def scales(values: Array, *, tol: float = SCALE_TOL) -> NDArray[np.int64]:
    """Scale index (0 = smallest) of each run: sizes within ``tol`` decades chain into one."""
    logs = np.log10(np.asarray(values, dtype=np.float64))
    order = np.argsort(logs, kind="stable")
    index = np.empty(len(logs), dtype=np.int64)
    index[order] = np.concatenate([[0], np.cumsum(np.diff(logs[order]) > tol)])
    return index


def rule_said(option: str, text: str | None = None) -> str:
    """The rule as a message names it, both ways: ``--holdout 'x' (holdout= in Python)``,
    since the library's error reaches the command line and Python callers alike."""
    given = f" {text!r}" if text is not None else ""
    return f"{option}{given} ({option.removeprefix('--').replace('-', '_')}= in Python)"


def rule_mask(
    table: RunTable, text: str, option: str = "--holdout"
) -> tuple[NDArray[np.bool_], str, str]:
    lowered = text.lower()
    if m := _LARGEST.match(text):
        k, column = int(m.group(1)), _size_column(table, m.group(2), option)
        if k == 0:
            raise ConfigError(f"{rule_said(option, text)}: k must be at least 1", hint=RULE_HINT)
        values = table[column]
        order = np.argsort(-values, kind="stable")
        mask = np.zeros(len(table), dtype=bool)
        mask[order[:k]] = True
        return mask, f"the {k} largest runs by {column}", column
    fraction = None
    if lowered in ("top-decile", "top-quartile"):
        fraction = 0.1 if lowered == "top-decile" else 0.25
        column = _size_column(table, None)
    elif m := _TOP.match(text):
        fraction, column = float(m.group(1)) / 100, _size_column(table, m.group(2), option)
    if fraction is not None:
        if not 0 < fraction < 1:
            raise ConfigError(
                f"{rule_said(option, text)}: the fraction must be in (0%, 100%)", hint=RULE_HINT
            )
        values = table[column]
        cut = float(np.quantile(values, 1 - fraction))
        mask = values >= cut
        return mask, f"the top {fraction:.0%} by {column}: {column} >= {_num(cut)}", column
    return _predicate(table, text, option)


def _predicate(table: RunTable, text: str, option: str) -> tuple[NDArray[np.bool_], str, str]:
    clauses = _clauses(text)
    if not clauses:
        raise ConfigError(f"{rule_said(option)} is empty", hint=RULE_HINT)
    mask = np.ones(len(table), dtype=bool)
    for clause in clauses:
        special = _special(table, clause.strip(), rule_said(option, text))
        if special is not None:
            mask &= special
            continue
        m = _CLAUSE.match(clause)
        if m is None:
            raise ConfigError(
                f"{rule_said(option, text)}: cannot read {clause.strip()!r}", hint=RULE_HINT
            )
        named, op, number = _unquoted(m.group(1)), m.group(2), m.group(3)
        column = table.column_for(named)  # the file's name for a renamed column, too
        if column is None:
            raise _no_column(table, rule_said(option, text), named)
        try:
            value = _relative(table[column], number)
            if value is None:
                value = parse_quantity(number)
        except DataError:
            raise ConfigError(
                f"{rule_said(option, text)}: {number!r} is not a number", hint=RULE_HINT
            ) from None
        if math.isnan(value):
            raise ConfigError(
                f"{rule_said(option, text)}: compare with a number, not NaN", hint=RULE_HINT
            )
        mask &= _OPS[op](table[column], value)
    return mask, " and ".join(c.strip() for c in clauses), scale_column(table)


def _clauses(text: str) -> list[str]:
    """The clauses of a rule, split at ``&``, ``&&`` and ``and`` outside quotes (a quoted
    column name may hold them: ``'R&D tokens'>1e9``)."""
    quoted: list[str] = []

    def hide(m: re.Match[str]) -> str:
        quoted.append(m.group(0))
        return f"\0{len(quoted) - 1}\0"

    masked = re.sub(_QUOTED, hide, text)
    parts = re.split(r"\s*(?:&&?|\band\b)\s*", masked)
    back = [re.sub(r"\0(\d+)\0", lambda m: quoted[int(m.group(1))], p) for p in parts]
    return [c for c in back if c.strip()]


def _unquoted(name: str) -> str:
    """A column name as written in a rule, less its quotes (``'Model Size'``)."""
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
        return name[1:-1]
    return name


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


def _special(table: RunTable, clause: str, rule: str) -> NDArray[np.bool_] | None:
    """``top-scales:K`` and ``near-best:F`` clauses; ``None`` for any other clause. ``rule``
    is the whole rule as a message names it (:func:`rule_said`)."""
    if m := _TOP_SCALES.match(clause):
        k = int(m.group(1))
        if k < 1:
            raise ConfigError(
                f"{rule}: top-scales:K holds out the K largest scales, and K must be at least 1",
                hint="e.g. 'top-scales:2'",
            )
        index = scales(table[scale_column(table)])
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
        index = scales(table[scale_column(table)])
        params, loss = table["params"], table["loss"]
        keep = np.zeros(len(table), dtype=bool)
        for s in np.unique(index):
            members = np.flatnonzero(index == s)
            best = params[members[np.argmin(loss[members])]]
            ratio = params[members] / best
            keep[members] = (ratio <= factor) & (ratio >= 1 / factor)
        return keep
    return None


def _num(x: float) -> str:
    return f"{x:.3g}".replace("e+", "e")


def _size_column(table: RunTable, named: str | None, option: str = "--holdout") -> str:
    # the file's name for a renamed column, too (model_size -> params)
    named = None if named is None else _unquoted(named)
    column = scale_column(table) if named is None else table.column_for(named)
    if column is None:
        raise _no_column(table, rule_said(option), str(named))
    return column


def _no_column(table: RunTable, rule: str, column: str) -> DataError:
    """A rule naming a column the runs lack: the closest name (the file's own, for a renamed
    column), or the columns there are."""
    have = sorted(table.columns)
    said = [c + (f" (read from {table.origins[c]!r})" if c in table.origins else "") for c in have]
    near = difflib.get_close_matches(column, [*have, *table.origins.values()], n=1)
    more = f" and {len(have) - 12} more" if len(have) > 12 else ""
    return DataError(
        f"{rule} names column {column!r}; the runs have {', '.join(said[:12])}{more}",
        source=table.source,
        column=column,
        hint=f"did you mean {near[0]!r}?" if near else "use one of the numeric columns listed",
    )
