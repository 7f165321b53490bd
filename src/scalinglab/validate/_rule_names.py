"""Column names in the rules that choose runs (:mod:`scalinglab.validate._rules`): a name
as it is, spaces and all (``Model Size>5e9``), or in quotes (``'Model Size'>5e9``), where it
may hold ``&`` and ``and``, which otherwise join clauses; and the message for a name the runs
do not have.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from scalinglab._errors import ConfigError, DataError, meant
from scalinglab.data import RunTable
from scalinglab.data._clause_slips import comparison_slip
from scalinglab.data._compare import NAME, QUOTED, clauses, unquoted
from scalinglab.data._covariates import why_text

__all__ = [
    "FORMS",
    "NAME",
    "QUOTED",
    "RULE_HINT",
    "Forms",
    "clauses",
    "near_form",
    "no_budgets",
    "no_column",
    "unquoted",
    "unread",
]

RULE_HINT = (
    "write a predicate such as 'flops>=1e21', 'params>1B' or 'flops<=max/8', or 'largest:5', "
    "'top-decile', 'top:10%', 'top-scales:2', 'near-best:1.5' (clauses joined by &); a "
    "column name with spaces as it is or in quotes ('Model Size'>5e9, largest:5:'Model Size')"
)
#: The named forms a command's rules take (``None``: :data:`FORMS`); a mapping names, for a
#: form a command reads under another name, the form it is read as (``hparams backtest``'s
#: old ``largest``: ``top-scales``), which a near miss of it is said as.
Forms = tuple[str, ...] | Mapping[str, str] | None
#: The named forms of a rule (``largest:5``, ``top-decile``, ...), which a near miss is read
#: against (:func:`near_form`).
FORMS = ("largest", "top-decile", "top-quartile", "top", "top-scales", "near-best")


def near_form(clause: str, forms: Forms = None) -> str | None:
    """The named form a clause that reads as none most likely meant, its argument kept:
    ``larges:1`` -> ``largest:1``, ``top-decil`` -> ``top-decile``, ``Top-Scales:2`` ->
    ``top-scales:2``; ``None`` for a clause with a comparison (a predicate), one that names
    a form already (its argument is what is wrong), or one near none. ``forms``: those a
    command takes (default :data:`FORMS`, ``backtest``'s); a near miss of a form a mapping
    renames is said as the form it reads as, with its first argument (``larges:2:params``
    -> ``top-scales:2``), where the argument after it names no other column."""
    text = clause.strip()
    if any(op in text for op in "<>=!"):
        return None
    head, colon, rest = text.partition(":")
    word = head.strip().lower()
    near = difflib.get_close_matches(word, list(forms or FORMS), n=1, cutoff=0.75)
    if not near or near[0] == head.strip():
        return None
    meant = forms.get(near[0], near[0]) if isinstance(forms, Mapping) else near[0]
    arg, _, column = rest.partition(":")
    if meant != near[0] and column.strip(" '\"").lower() in ("", "params"):
        return f"{meant}{colon}{arg.strip()}"  # read as another form: its K alone
    return f"{near[0]}{colon}{rest.strip()}"


def unread(rule: str, clause: str, forms: Forms = None) -> ConfigError:
    """A clause that reads as no form and no predicate (``rule``: the whole rule as a message
    names it), with the form it most likely meant (:func:`near_form`), or what is wrong
    with the comparison it tries and the one meant (``flops=>1e20``, ``70M <= params``:
    :func:`~scalinglab.data._clause_slips.comparison_slip`)."""
    near = near_form(clause, forms)
    said = meant(near) if near else comparison_slip(clause, joined=_joined) or ""
    return ConfigError(f"{rule}: cannot read {clause.strip()!r}{said}", hint=RULE_HINT)


def _joined(parts: list[str]) -> str:
    """Clauses as a rule joins them: ``"; did you mean 'a & b'?"``."""
    return meant(" & ".join(parts))


def no_column(table: RunTable, rule: str, column: str, *, rows: str = "runs") -> DataError:
    """A rule naming a column the runs (``rows``: a sweep's ``"cells"``) lack: the closest
    name (the file's own, for a renamed column), or the columns there are; for a column
    they hold as text, why (a comma the file does not settle: ``1,024``)."""
    if column in table.labels:
        why, what = why_text(table.notes, column)
        return DataError(
            f"{rule} compares column {column!r} as numbers, and the {rows} hold it as text"
            + (f": {why}" if why else f" ({table.labels[column][0]!r}, ...)"),
            source=table.source,
            column=column,
            hint=what or f"compare a column of numbers: {', '.join(sorted(table.columns))}",
        )
    have = sorted(table.columns)
    said = [c + (f" (read from {table.origins[c]!r})" if c in table.origins else "") for c in have]
    near = difflib.get_close_matches(column, [*have, *table.origins.values()], n=1)
    more = f" and {len(have) - 12} more" if len(have) > 12 else ""
    return DataError(
        f"{rule} names column {column!r}; the {rows} have {', '.join(said[:12])}{more}",
        source=table.source,
        column=column,
        hint=meant(near[0], hint=True) if near else "use one of the numeric columns listed",
    )


def no_budgets(rule: str, clause: str, column: str, why: str) -> ConfigError:
    """``near-best:F`` on sizes with no budgets: a scale there is a quantile bin spanning
    decades of size, and the params of its lowest-loss run (the largest model, mostly) say
    nothing of the runs' compute-optimal size."""
    return ConfigError(
        f"{rule}: {clause} keeps, at each compute budget, the runs near its lowest-loss run's "
        f"params, but these runs' {column} form no budgets ({why}); a scale here is a "
        f"quantile bin of {column} spanning decades, whose best run says nothing of the others",
        hint="drop near-best, or hold out by size ('top-scales:1', 'top-decile', 'flops>=1e21')",
    )
