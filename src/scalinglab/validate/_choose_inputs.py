"""What :func:`scalinglab.validate.choose_law` compares: the candidate laws for the runs'
columns, each one's Huber scale, the axis the cuts run along, and a failed candidate's reason.

Where the runs have params and tokens but one of them is the same in every run (one model
size trained for several token counts), no two-variable law can be fitted, and the
candidates are the one-variable laws of the column that varies (``power-law-plus-constant:
tokens``...), said in :attr:`Candidates.note`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from scalinglab._errors import ConfigError, DataError, ScalingLabError
from scalinglab._format import format_quantity, noun_for
from scalinglab.data import RunTable
from scalinglab.laws import Law

__all__ = [
    "CANDIDATES",
    "Candidates",
    "auto_laws",
    "auto_refused",
    "axis_of",
    "axis_said",
    "candidates",
    "deltas",
    "read_as",
    "said",
]

#: Catalog laws tried, by the variables the runs have.
CANDIDATES: Mapping[tuple[str, ...], tuple[str, ...]] = {
    ("params", "tokens"): ("chinchilla", "overtraining", "kaplan"),
    ("params",): ("power-law-plus-constant", "power-law", "kaplan-n"),
}
#: The one-variable laws of each variable, for runs where only that one varies.
ONE_VARIABLE: Mapping[str, tuple[str, ...]] = {
    "params": CANDIDATES[("params",)],
    "tokens": ("power-law-plus-constant:tokens", "power-law:tokens"),
}


@dataclass(frozen=True)
class Candidates:
    """The laws compared, and why these when it is not the default for the columns."""

    laws: tuple[str, ...]
    note: str = ""


def candidates(table: RunTable) -> Candidates:
    """The catalog laws to compare on these runs (:data:`CANDIDATES`, or the one-variable
    laws of the one of params and tokens that varies)."""
    if table.has("params") and table.has("tokens"):
        fixed = [c for c in ("params", "tokens") if _one_value(table[c])]
        if len(fixed) == 1:
            column = fixed[0]
            varies = "tokens" if column == "params" else "params"
            value = format_quantity(float(table[column][0]), column)
            note = (
                f"every run has {column} = {value}: laws of {varies} alone compared (a law "
                f"of params and tokens cannot fit how the loss depends on {column})"
            )
            return Candidates(ONE_VARIABLE[varies], note)
    for columns, laws in CANDIDATES.items():
        if all(table.has(c) for c in columns):
            return Candidates(laws)
    raise ConfigError(
        "law auto needs a params column (and tokens for two-variable laws)",
        hint="name a law with --law, or map columns with --map",
    )


def auto_laws(
    laws: Sequence[str | Law], table: RunTable, x: Mapping[str, str] | None = None
) -> tuple[tuple[str | Law, ...], str]:
    """``laws`` with ``"auto"`` in place of the candidates ``--law auto`` chooses among for
    these runs (:func:`candidates`): a backtest compares laws itself, so auto's choice is
    every candidate side by side. Returns the laws, each once, and the note that says so
    (``""`` without ``"auto"``)."""
    from scalinglab.fit._options import is_auto

    if not any(is_auto(law) for law in laws):
        return tuple(laws), ""
    given = candidates(read_as(table, x))
    out: dict[str, str | Law] = {}
    for law in laws:
        for one in given.laws if is_auto(law) else (law,):
            out.setdefault(one if isinstance(one, str) else one.spec, one)
    note = (
        f"law auto: its candidates backtested side by side ({', '.join(given.laws)}), the "
        "catalog laws `fit --law auto` chooses among for these runs"
        + (f"; {given.note}" if given.note else "")
    )
    return tuple(out.values()), note


def auto_refused(call: str) -> ConfigError:
    """``law="auto"`` given to a backtest of one law: auto stands for several, which
    :func:`scalinglab.compare` backtests side by side."""
    each = "; ".join(
        f"with {' and '.join(columns)}: {', '.join(laws)}" for columns, laws in CANDIDATES.items()
    )
    return ConfigError(
        f"{call} backtests one law, and law 'auto' stands for its candidates ({each})",
        hint="backtest them side by side: scalinglab.compare(runs, laws=['auto']), as "
        "scalinglab backtest --law auto does; or name one law",
    )


def _one_value(values: np.ndarray) -> bool:
    v = np.asarray(values, dtype=np.float64)
    return bool(len(v)) and float(np.nanmin(v)) == float(np.nanmax(v))


def deltas(delta: float | Mapping[str, float], names: Sequence[str]) -> dict[str, float]:
    """Each candidate's Huber scale: the one given, or its entry of the mapping."""
    if isinstance(delta, float | int):
        chosen = dict.fromkeys(names, float(delta))
    else:
        missing = [n for n in names if n not in delta]
        if missing:
            raise ConfigError(
                f"no Huber delta given for {noun_for(len(missing), 'law')} {', '.join(missing)}",
                hint="give delta as one number, or one per candidate law",
            )
        chosen = {n: float(delta[n]) for n in names}
    bad = {n: d for n, d in chosen.items() if not (math.isfinite(d) and d > 0)}
    if bad:
        raise ConfigError(f"Huber delta must be a positive number, got {bad}")
    return chosen


def axis_of(table: RunTable, columns: Sequence[str]) -> np.ndarray:
    """Log10 of the cut axis: params·tokens when both are used, else the one column."""
    if "params" in columns and "tokens" in columns:
        return np.asarray(np.log10(table["params"] * table["tokens"]), dtype=np.float64)
    return np.asarray(np.log10(np.prod([table[c] for c in columns], axis=0)), dtype=np.float64)


def axis_said(columns: Sequence[str]) -> str:
    """The cut axis of :func:`axis_of` in words: ``N·D`` (params times tokens, not FLOPs)."""
    return "N·D" if "params" in columns and "tokens" in columns else "·".join(columns)


def read_as(table: RunTable, x: Mapping[str, str] | None) -> RunTable:
    """``table`` with each symbol's default column (``N``: ``params``) holding the column
    ``x`` names for it, so that every candidate law reads what the fit will read."""
    from scalinglab.laws._base import DEFAULT_COLUMNS

    moved = {
        DEFAULT_COLUMNS[s]: table[c]
        for s, c in (x or {}).items()
        if s in DEFAULT_COLUMNS and c != DEFAULT_COLUMNS[s]
    }
    return replace(table, columns={**table.columns, **moved}) if moved else table


def said(err: ScalingLabError) -> str:
    """The error's message without the file and column it names (one table for all)."""
    if not isinstance(err, DataError):
        return err.message
    where = [str(err.source)] if err.source is not None else []
    where += [f"row {err.row}"] if err.row is not None else []
    where += [f"column {err.column!r}"] if err.column is not None else []
    return err.message.removeprefix(", ".join(where) + ": ") if where else err.message
