"""The run names a curve name that matches none most likely meant (``--train cosin``:
``cosine_24000`` or ``cosine_72000``), for the refusal to suggest them."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import closest_name, meant

__all__ = ["close_runs"]

#: Most runs suggested for one name: more that start with it is a list, which the hint gives.
_MOST = 3


def _close(name: str, runs: Sequence[str]) -> list[str]:
    """The runs ``name`` most likely meant, as it would match them: by full name where it
    holds a ``/`` (``25M/cosine_24000``), else by the last part: the names it starts
    (``constant``: ``constant_24000``, ``constant_72000``), none where more than
    :data:`_MOST` do, else a close spelling (:func:`~scalinglab._errors.closest_name`)."""
    known = list(dict.fromkeys(r if "/" in name else r.split("/")[-1] for r in runs))
    lowered = name.strip().lower()
    started = [k for k in known if k.lower().startswith(lowered)]
    if started:  # several alike (run0..run9): none is likelier, and the hint lists them all
        return started if len(started) <= _MOST else []
    near = closest_name(name, known)
    return [] if near is None else [near]


def close_runs(missing: Sequence[str], runs: Sequence[str]) -> str:
    """``"; did you mean 'cosine_24000' or 'cosine_72000'?"`` for the name of ``missing``
    that matches none of ``runs`` (several: ``"; for 'cosin', did you mean ...? for
    'constant', did you mean ...?"``); ``""`` where none is near."""
    close = {n: found for n in missing if (found := _close(n, runs))}
    if len(missing) == 1 and close:
        return meant(*close[missing[0]])
    said = [f"for {n!r}, {meant(*found, hint=True)}" for n, found in close.items()]
    return "; " + " ".join(said) if said else ""
