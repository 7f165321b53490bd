"""How ``--law auto`` chooses, in the words every output that sets it beside a backtest's
one held-out split uses: ``backtest --law auto``'s note (its winner may be another law) and
the backtest section of a report whose law auto chose (which backtests that law alone).

On a 5 × 6 grid of runs (20M-700M params, 400M-35B tokens) ``fit --law auto`` chooses
overtraining while ``backtest --law auto`` names chinchilla on the top decile: both are
right by their rules, and the report said only its own choice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

__all__ = ["auto_rule", "chosen_by_auto_note", "with_chosen_note"]


def auto_rule(than: str) -> str:
    """How ``fit --law auto`` chooses, against ``than`` (``"this winner's"``): rolling-origin
    cuts on the training scales, not a backtest's held-out split."""
    return (
        f"`fit --law auto` chooses by another rule than {than}: rolling-origin cuts on the "
        "training scales (each candidate fitted below a cut within the runs it fits, scored "
        "on those above it), not this held-out split"
    )


def chosen_by_auto_note(law: str) -> str:
    """The note of a backtest of the one law ``--law auto`` chose (the report's)."""
    return (
        f"{law} is law auto's choice: "
        + auto_rule("`backtest --law auto`'s winner's (the lowest error on this held-out split)")
        + f"; `backtest --law auto` backtests every candidate on this split and may name "
        f"another law than {law}"
    )


def with_chosen_note(bt: Any, choice: Any) -> Any:
    """``bt`` (a :class:`~scalinglab.validate.Backtest` of a fit's law) with
    :func:`chosen_by_auto_note` first among its notes where ``choice`` (the fit's
    :attr:`~scalinglab.FitResult.law_choice`) is law auto's choice of that law by
    comparison; as it is otherwise (a law given, no law compared)."""
    if choice is None or choice.fitted is not None or choice.fallback or choice.chosen != bt.law:
        return bt
    return replace(bt, notes=(chosen_by_auto_note(choice.chosen), *bt.notes))
