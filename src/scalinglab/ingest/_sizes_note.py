"""The warning for ingested runs without a size (params or tokens): stored, but a fit of loss
on N and D refuses them, so the user hears at ingest, where ``--map`` names the key, not at
fit time."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab.store import StoredRun

__all__ = ["missing_sizes_note"]


def _shown(names: Sequence[str]) -> str:
    return ", ".join(map(repr, names[:3])) + (" ..." if len(names) > 3 else "")


def missing_sizes_note(runs: Sequence[StoredRun]) -> list[str]:
    """One warning for runs with no params, tokens or flops; one for runs missing only params
    or tokens, counting and naming (the first few of) each."""
    notes: list[str] = []
    sizeless = [r.name for r in runs if r.params is None and r.tokens is None and r.flops is None]
    if sizeless:
        notes.append(
            f"warning: {len(sizeless)} run(s) have no params, tokens or flops "
            f"({_shown(sizeless)}): stored, but a fit refuses them; name the columns with "
            "--map params=NAME"
        )
    sized = [r for r in runs if r.name not in sizeless]
    parts, maps = [], []
    for quantity in ("params", "tokens"):
        lacking = [r.name for r in sized if getattr(r, quantity) is None]
        if lacking:
            parts.append(f"{len(lacking)} run(s) have no {quantity} ({_shown(lacking)})")
            maps.append(f"--map {quantity}=NAME")
    if parts:
        notes.append(
            f"warning: {'; '.join(parts)}: stored, but a fit of loss on params and tokens "
            f"refuses them; name the config or metric that holds it with {' / '.join(maps)}"
        )
    return notes
