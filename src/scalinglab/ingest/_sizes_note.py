"""The warning for ingested runs without a size (params or tokens): stored, but a fit of loss
on N and D leaves them out, so the user hears at ingest, where ``--map`` names the key, not at
fit time. A size that follows from flops and the other size (``D = C/(6N)``) is no gap when no
run has it: a fit derives the whole column then (:func:`scalinglab.data._schema.build_table`),
but not a few rows of a column the other runs give."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._format import format_counted
from scalinglab.store import StoredRun

__all__ = ["missing_sizes_note"]


def _shown(names: Sequence[str]) -> str:
    return ", ".join(map(repr, names[:3])) + (" ..." if len(names) > 3 else "")


def _name(holder: str) -> str:
    return "COLUMN" if holder == "column" else "NAME"


def missing_sizes_note(runs: Sequence[StoredRun], *, holder: str = "config or metric") -> list[str]:
    """One warning for runs with no params, tokens or flops; one for runs missing only params
    or tokens, counting and naming (the first few of) each: not those whose missing size
    a fit derives from their flops and other size, as it does when no run has that size.
    ``holder``: what ``--map`` names in the source (a tracker's config or metric, a run
    table's column)."""
    notes: list[str] = []
    sizeless = [r.name for r in runs if r.params is None and r.tokens is None and r.flops is None]
    if sizeless:
        notes.append(
            f"warning: {format_counted(len(sizeless), 'run')} {'has' if len(sizeless) == 1 else 'have'} no params, tokens or flops "
            f"({_shown(sizeless)}): stored, but a fit leaves {'it' if len(sizeless) == 1 else 'them'} out; name the columns with "
            f"--map params={_name(holder)}"
        )
    sized = [r for r in runs if r.name not in sizeless]
    parts, maps = [], []
    for quantity, other in (("params", "tokens"), ("tokens", "params")):
        without = [r for r in sized if getattr(r, quantity) is None]
        if len(without) == len(sized):  # no run has it: derived from flops where they give it
            without = [r for r in without if r.flops is None or getattr(r, other) is None]
        lacking = [r.name for r in without]
        if lacking:
            has = "has" if len(lacking) == 1 else "have"
            parts.append(
                f"{format_counted(len(lacking), 'run')} {has} no {quantity} ({_shown(lacking)})"
            )
            maps.append(f"--map {quantity}={_name(holder)}")
    if parts:
        notes.append(
            f"warning: {'; '.join(parts)}: stored, but a fit of loss on params and tokens "
            f"leaves them out; name the {holder} that holds it with {' / '.join(maps)}"
        )
    return notes
