"""Which cells a hyperparameter backtest holds out, and which of them it can score: those
whose optimum was located (bracketed).

The rules are ``backtest``'s (:mod:`scalinglab.validate._rules`), read on the cells (each
cell's params, tokens and flops) with the same meanings where they make sense for cells:
``top-scales:K`` holds out the cells of the K largest model sizes, ``'flops>=1e20'``,
``'params>=500M'``, ``top-decile`` and ``top:10%`` the cells they select (clauses joined by
``&``); ``size:N`` the cells of the model size near N. ``near-best:F`` picks runs by their
loss within a scale, which no cell has: refused. ``largest:K`` was this command's name for
``top-scales:K``; it reads so for one release, with a warning, since backtest's
``largest:K`` (the K largest runs by flops) means another thing; ``largest:K:params`` too,
which backtest's reading would cut among the cells of one size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from scalinglab._defaults import HPARAMS_HOLDOUT
from scalinglab._errors import ConfigError, DataError, check_text
from scalinglab._format import format_g
from scalinglab._warn import warn_at_caller
from scalinglab.data import RunTable, parse_quantity
from scalinglab.hparams._cell_label import cell_label
from scalinglab.hparams._holdout_sizes import too_few_sizes
from scalinglab.validate._rule_names import clauses
from scalinglab.validate._rules import RULE_HINT, rule_mask, rule_said

if TYPE_CHECKING:
    from scalinglab.hparams._backtest import HparamBacktest
    from scalinglab.hparams._optimum import CellOptimum
    from scalinglab.hparams._sweep import Sweep

__all__ = [
    "DEFAULT", "FORMS", "Held", "check_holdout", "held_said", "renamed", "scorable", "scored_said",
    "split_sweep",
]  # fmt: skip

#: The rule a hyperparameter backtest holds out by unless told.
DEFAULT = HPARAMS_HOLDOUT
#: The forms a hyperparameter hold-out rule takes, as the messages list them.
FORMS = (
    "'top-scales:K' (the K largest model sizes), 'size:N' (537M), or a rule on the cells' "
    "params, tokens or flops as backtest takes it ('params>=500M', 'flops>=1e20', "
    "'top-decile', 'top:10%', joined by &)"
)
_HINT = "e.g. --holdout top-scales:1, size:537M or 'params>=500M' (holdout= in Python)"
#: The hint for a clause backtest's rules cannot read: this command's forms, not backtest's.
_FORMS_HINT = f"a hyperparameter backtest holds out {FORMS} (--holdout, holdout= in Python)"
_TOP_SCALES = re.compile(r"^\s*top-scales:(\S*)\s*$", re.IGNORECASE)
#: The old ``largest:K``, ``largest:K:params`` too: backtest's reading of that would take K
#: cells, cutting ties among one model size's cells, not the cells of K sizes.
_OLD_LARGEST = re.compile(r"^\s*largest:([^:\s]*)(?::\s*['\"]?params['\"]?)?\s*$", re.IGNORECASE)
_SIZE = re.compile(r"^\s*size:(\S*)\s*$", re.IGNORECASE)
_NEAR_BEST = re.compile(r"^\s*near-best:", re.IGNORECASE)
#: The named forms a near miss is read against (``top-scale:1``: top-scales:1?); ``larges:1``
#: is said as top-scales:1, which the old largest:1 reads as here (not backtest's meaning).
_NAMED = {f: f for f in ("top-scales", "size", "top-decile", "top-quartile", "top")} | {
    "largest": "top-scales"}  # fmt: skip


class Held(NamedTuple):
    """The cells a rule holds out (:func:`split_sweep`).

    Attributes:
        cells: Their indices in the sweep.
        description: The rule in words, with the count: ``"the 2 largest model sizes: 7
            cells"``.
    """

    cells: list[int]
    description: str


def held_said(bt: HparamBacktest) -> str:
    """The held-out cells in words and the rule as given, as the backtest's table and page
    title them: ``the 2 largest model sizes: 7 cells (top-scales:2)`` (the rule alone where
    the backtest was made without the words)."""
    said = bt.holdout_description
    return f"{said} ({bt.holdout})" if said else bt.holdout


def renamed(holdout: str, *, python: bool = False) -> tuple[str, str]:
    """``(rule, warning)``: a rule whose old ``largest:K`` clause reads as the
    ``top-scales:K`` it has always meant here, and the line that says so (``""``, and the
    rule as it is, where it has none): led by ``--holdout largest:K`` for the command line,
    by ``holdout='largest:K'`` where ``python`` (a library caller's DeprecationWarning)."""
    parts = [(c.strip(), _OLD_LARGEST.match(c)) for c in clauses(holdout)]
    old = [(c, m.group(1) or "1") for c, m in parts if m]
    if not old:
        return holdout, ""
    rule = " & ".join(f"top-scales:{m.group(1) or 1}" if m else c for c, m in parts)
    first, k = old[0]
    cells = f"the {k} largest model sizes" if k != "1" else "the largest model size"
    if python:
        given, write = f"holdout={holdout.strip()!r}", f"holdout={rule!r}"
    else:
        given, write = f"--holdout {first} (holdout= in Python)", f"top-scales:{k}"
    return rule, (
        f"{given} of a hyperparameter backtest is deprecated and goes in the next release: "
        f"it reads as top-scales:{k}, the cells of {cells}, as before; write {write} "
        "(backtest's largest:K holds out the K largest runs by flops)"
    )


def check_holdout(holdout: str) -> None:
    """Refuse a rule no sweep could hold out by (a K or N that is no number, ``near-best``,
    an unreadable clause) before any work: the cells it holds out are known only once the
    sweep is read.

    Raises:
        ConfigError: Naming the forms there are.
    """
    for clause in clauses(renamed(holdout)[0]):
        _number_clause(clause, holdout)
        if _NEAR_BEST.match(clause):
            _no_near_best(holdout)


def split_sweep(sweep: Sweep, holdout: str) -> Held:
    """The cells of ``sweep`` that ``holdout`` holds out, known before any optimum is
    located (a rule that holds out no cell, or every cell, is refused before that work).
    An old ``largest:K`` warns (:func:`renamed`) and reads as ``top-scales:K``.

    Raises:
        ConfigError: A malformed rule, or one that holds out no cell or every cell.
        DataError: A rule naming a column the cells lack.
    """
    check_text(holdout, what="a hold-out rule", example="'top-scales:1'")  # holdout=5
    rule, said = renamed(holdout, python=True)  # the CLI renamed it first, in its own words
    if said:
        warn_at_caller(said, DeprecationWarning)
    columns = sweep.cell_columns()
    n = sweep.n_cells
    mask = np.ones(n, dtype=bool)
    words: list[str] = []
    compared: dict[str, None] = {}
    parts = clauses(rule)
    if not parts:
        raise ConfigError(f"{rule_said('--holdout')} is empty", hint=_HINT)
    for clause in parts:
        picked, word, by = _clause(clause, holdout, columns, sweep)
        mask &= picked
        words.append(word)
        compared.update(dict.fromkeys(by))
    held = [int(i) for i in np.flatnonzero(mask)]
    description = " and ".join(words)
    if not held or len(held) == n:
        have = "; ".join(
            f"{c}: {', '.join(format_g(v, 4) for v in np.unique(columns[c]))}"
            for c in compared
            if c in columns
        )
        raise ConfigError(
            f"{rule_said('--holdout', holdout)} holds out {len(held)} of {n} cells "
            f"({description}{'; ' if have else ''}{have})",
            hint="choose a rule that leaves cells on both sides, " + _HINT,
        )
    return Held(held, f"{description}: {len(held)} cell{'s' if len(held) != 1 else ''}")


def _clause(
    clause: str, holdout: str, columns: dict[str, np.ndarray], sweep: Sweep
) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """The cells one clause selects, the clause in words, and the columns it compares."""
    k, size = _number_clause(clause, holdout)
    params = columns.get("params")
    if k is not None or size is not None:
        if params is None:
            raise DataError(
                f"{rule_said('--holdout', holdout)} holds out cells by model size, and the "
                "cells have no params",
                source=sweep.table.source,
                column="params",
                hint="map the model size with --map params=COLUMN, or hold out by "
                "'tokens>=N' or 'flops>=N'",
            )
        sizes = np.unique(params)
        if k is not None:
            if k >= len(sizes):
                too_few_sizes(holdout, sizes, columns.get("tokens"))
            said = f"the {k} largest model sizes" if k > 1 else "the largest model size"
            return params >= sizes[-k], said, ("params",)
        assert size is not None  # no K, so size:N gave one
        near = [s for s in sizes if abs(s / size - 1) < 0.01]
        if not near:
            have = ", ".join(format_g(s, 4) for s in sizes)
            raise ConfigError(
                f"{rule_said('--holdout', holdout)}: no cells with params near "
                f"{format_g(size)} ({have})",
                hint="give one of the model sizes listed",
            )
        said = f"model size {cell_label({'params': near[0]})[2:]}"
        return params == near[0], said, ("params",)
    if _NEAR_BEST.match(clause):
        _no_near_best(holdout)
    table = RunTable(
        columns=columns,
        runs=tuple(f"cell {i + 1}" for i in range(sweep.n_cells)),
        rows=tuple(range(1, sweep.n_cells + 1)),
        source=sweep.table.source,
        origins={c: o for c, o in sweep.table.origins.items() if c in columns},
    )
    try:
        chosen = rule_mask(table, clause.strip(), rows="cells", forms=_NAMED)
    except ConfigError as err:  # backtest's forms (largest:5, near-best:1.5): not these
        if err.hint != RULE_HINT:
            raise
        raise ConfigError(err.message, hint=_FORMS_HINT) from None
    return chosen.mask, chosen.description.replace(" runs ", " cells "), chosen.by


def _number_clause(clause: str, holdout: str) -> tuple[int | None, float | None]:
    """``(K, None)`` of a ``top-scales:K`` clause, ``(None, N)`` of ``size:N``, ``(None,
    None)`` of any other.

    Raises:
        ConfigError: A K that is no whole number at least 1, an N that is no size.
    """
    if m := _TOP_SCALES.match(clause):
        try:
            k = int(m.group(1))
        except ValueError:
            k = 0
        if k < 1:
            raise ConfigError(
                f"{rule_said('--holdout', holdout)}: top-scales:K holds out the cells of the K "
                "largest model sizes, and K must be a whole number, at least 1",
                hint="e.g. --holdout top-scales:1 (the cells of the largest model size)",
            )
        return k, None
    if m := _SIZE.match(clause):
        try:
            value = parse_quantity(m.group(1))
        except DataError:
            value = math.nan
        if not value > 0:
            raise ConfigError(
                f"{rule_said('--holdout', holdout)}: {m.group(1)!r} is not a number of parameters",
                hint="e.g. --holdout size:537M (the cells of the model size near 537M)",
            )
        return None, value
    return None, None


def _no_near_best(holdout: str) -> None:
    raise ConfigError(
        f"{rule_said('--holdout', holdout)}: near-best:F keeps the runs near each scale's "
        "lowest loss, and a hyperparameter backtest holds out whole cells, which have no "
        "one loss",
        hint=_HINT,
    )


def scorable(
    cells: Sequence[CellOptimum], held: Sequence[int], *, source: str = ""
) -> tuple[list[int], list[str]]:
    """The held-out cells a backtest can score, and a note naming the others: an
    unbracketed cell's optimum lies somewhere past its grid, so a prediction has nothing
    to be scored against (its "regret" would be read on a surface with no minimum there).

    Raises:
        DataError: Every held-out cell is unbracketed: nothing is left to score.
    """
    kept = [i for i in held if cells[i].bracketed]
    left = [cells[i] for i in held if not cells[i].bracketed]
    if not left:
        return kept, []
    by_status: dict[str, list[str]] = {}
    for c in left:
        by_status.setdefault(c.status, []).append(c.label())
    named = "; ".join(f"{', '.join(labels)} ({why})" for why, labels in by_status.items())
    if not kept:
        raise DataError(
            f"every held-out cell is unbracketed, so no prediction can be scored against "
            f"a located optimum: {named}",
            source=source,
            hint="extend those cells' grids past their best lr and batch, or hold out "
            "other cells (--holdout, holdout=)",
        )
    n = len(left)
    return kept, [
        f"{n} held-out cell{'s' if n != 1 else ''} of {len(held)} left out of the scores, "
        f"with no optimum located to score a prediction against: {named}"
    ]


def scored_said(description: str, *, scored: int, held: int) -> str:
    """The held-out cells in words (:attr:`Held.description`), with how many of them were
    scored where some could not be (:func:`scorable`): ``"...: 2 cells, 1 scored"``."""
    return f"{description}, {scored} scored" if scored < held else description
