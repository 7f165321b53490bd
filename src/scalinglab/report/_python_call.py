"""The :func:`scalinglab.fit` call that reproduces a fit, for the report's card."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.fit import FitResult

__all__ = ["python_call"]


def python_call(result: FitResult, *, y: str = "loss") -> str:
    """The :func:`scalinglab.fit` call that reproduces ``result`` from the same runs: its
    ``where`` too, as ``--where`` is on the command's card (without it the call fits every
    run of the source, not the selection the comment counts)."""
    x = {s: c for s, c in result.columns.items() if c != {"N": "params", "D": "tokens"}.get(s)}
    where = dict(result.where or {})  # None: not recorded, so not said (the card says so)
    args = [
        repr(result.law_spec),
        "runs",
        f"robust_loss={result.robust_loss!r}",
        f"delta={result.delta!r}",
        f"space={result.space!r}",
        *([f"x={x!r}"] if x else []),
        *([f"y={y!r}"] if y != "loss" else []),
        *([f"where={where!r}"] if where else []),
        f"bootstrap={result.n_bootstrap}",
        f"level={result.level!r}",
        f"seed={result.seed}",
    ]
    return f"scalinglab.fit({', '.join(args)})  # runs: {result.source}"
