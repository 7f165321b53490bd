"""Which cells a hyperparameter backtest holds out (``largest:K``, ``size:N``, ``params>=N``),
and which of them it can score: those whose optimum was located (bracketed)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError, DataError
from scalinglab.data import parse_quantity

if TYPE_CHECKING:
    from scalinglab.hparams._optimum import CellOptimum
    from scalinglab.hparams._sweep import Sweep

__all__ = ["FORMS", "check_holdout", "is_form", "scorable", "split_keys", "split_sweep"]

#: The forms a hyperparameter hold-out rule takes, as the messages list them.
FORMS = "'largest:K', 'size:N' or 'params>=N' (also tokens, >)"
_PREDICATE = re.compile(r"\s*(params|tokens)\s*(>=|>)\s*(\S+)\s*")


def check_holdout(holdout: str) -> None:
    """Refuse a rule of none of the forms (or with a K or N that is no number) before any
    work: the cells it holds out are known only once the sweep is read.

    Raises:
        ConfigError: Naming the forms there are.
    """
    _form(holdout)


def is_form(holdout: str) -> bool:
    """Whether ``holdout`` is of one of the :data:`FORMS` (its K or N may still be wrong)."""
    return holdout.partition(":")[0] in ("largest", "size") or bool(_PREDICATE.fullmatch(holdout))


def split_sweep(sweep: Sweep, holdout: str) -> list[int]:
    """Indices of the cells of ``sweep`` that ``holdout`` holds out, known before any
    optimum is located (a rule that holds out no cell is refused before that work).

    Raises:
        ConfigError: A malformed rule, or one that holds out no cell or every cell.
    """
    by = sweep.by
    return split_keys([dict(zip(by, map(float, row), strict=True)) for row in sweep.keys], holdout)


def split_keys(keys: Sequence[Mapping[str, float]], holdout: str) -> list[int]:
    """Indices of the cells, given by their grouping values (``{"params": 2.1e8, ...}``, as
    a located optimum's ``keys``), that ``holdout`` holds out.

    Raises:
        ConfigError: A malformed rule, or one that holds out no cell or every cell.
    """
    kind, key, value = _form(holdout)
    sizes = sorted({k.get("params", math.nan) for k in keys})
    if kind == "largest":
        if not value < len(sizes):
            raise ConfigError(
                f"holdout {holdout!r}: k must be between 1 and {len(sizes) - 1} "
                f"(there are {len(sizes)} model sizes)"
            )
        cut = sizes[-int(value)]
        return [i for i, k in enumerate(keys) if k["params"] >= cut]
    if kind == "size":
        near = [s for s in sizes if abs(s / value - 1) < 0.01]
        if not near:
            have = ", ".join(f"{s:.4g}" for s in sizes)
            raise ConfigError(f"holdout {holdout!r}: no cells with params near {value:g} ({have})")
        return [i for i, k in enumerate(keys) if k["params"] == near[0]]
    values = [k.get(key, math.nan) for k in keys]
    held = [i for i, v in enumerate(values) if v > value or (kind == ">=" and v == value)]
    if not held or len(held) == len(keys):
        have = ", ".join(f"{v:.4g}" for v in sorted(set(values)))
        raise ConfigError(
            f"holdout {holdout!r} holds out {len(held)} of {len(keys)} cells ({key}: {have})",
            hint="choose a cut that leaves cells on both sides",
        )
    return held


def _form(holdout: str) -> tuple[str, str, float]:
    """``(kind, column, number)`` of a rule: ``("largest", "params", K)``, ``("size",
    "params", N)``, or ``(">=" or ">", "params" or "tokens", cut)``."""
    if not is_form(holdout):
        raise ConfigError(
            f"holdout must be {FORMS}, got {holdout!r}",
            hint="e.g. --holdout largest:1, --holdout size:537M or --holdout 'params>=500M'",
        )
    kind, _, arg = holdout.partition(":")
    if kind == "largest":
        try:
            k = int(arg or 1)
        except ValueError:
            k = 0
        if k < 1:
            raise ConfigError(
                f"holdout {holdout!r}: k must be a whole number of model sizes, at least 1",
                hint="e.g. --holdout largest:1 (the cells of the largest model size)",
            )
        return kind, "params", float(k)
    at = _PREDICATE.fullmatch(holdout)
    number = arg if at is None else at.group(3)
    try:
        value = parse_quantity(number)
    except DataError:
        value = math.nan
    if math.isnan(value) or (at is None and value <= 0):
        raise ConfigError(
            f"holdout {holdout!r}: {number!r} is not a number of parameters or tokens",
            hint="e.g. --holdout size:537M or --holdout 'params>=500M'",
        )
    return (kind, "params", value) if at is None else (at.group(2), at.group(1), value)


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
        f"unbracketed (no optimum located to score a prediction against): {named}"
    ]
