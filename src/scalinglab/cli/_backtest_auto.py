"""What ``backtest --law auto`` says of ``fit --law auto``: the two choose by different rules.

``backtest`` fits auto's candidates below one split and names the law of the lowest error on
the runs held out (the top decile by default); ``fit --law auto`` chooses by rolling-origin
cuts on the training scales (:func:`scalinglab.validate.choose_law`: each candidate fitted
below cuts within the runs it fits, a tie within 5% going to the fewest parameters). On the
bundled runs the first names chinchilla and the second overtraining, which read as a
contradiction while neither said so; the note says how fit chooses, and what it chooses on
the same runs (0.1-0.4 s, the cost of fit's own choice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from scalinglab.validate._auto_rule import auto_rule

__all__ = ["fit_auto_note", "with_fit_auto"]

#: How ``fit --law auto`` chooses, against the backtest's one split (the report's words too).
_RULE = auto_rule("this winner's")


def with_fit_auto(
    comparison: Any,
    laws: Sequence[Any],
    table: Any,
    *,
    y: str,
    seed: int,
    columns: Mapping[str, str] | None,
) -> Any:
    """``comparison`` (a :class:`~scalinglab.validate.Comparison`) with :func:`fit_auto_note`
    among its notes, after the one naming auto's candidates, where ``laws`` has ``auto``;
    as it is otherwise."""
    from scalinglab.fit._options import is_auto

    if not any(is_auto(law) for law in laws):
        return comparison
    notes = list(comparison.notes)
    after = next((i + 1 for i, n in enumerate(notes) if n.startswith("law auto:")), 0)
    notes.insert(after, fit_auto_note(table, y=y, seed=seed, columns=columns))
    return replace(comparison, notes=tuple(notes))


def fit_auto_note(
    table: Any, *, y: str, seed: int, columns: Mapping[str, str] | None = None
) -> str:
    """How ``fit --law auto`` chooses, and what it chooses on every run of ``table`` (held-out
    ones included, as ``fit`` reads the same RUNS), or why it cannot choose there."""
    from scalinglab._errors import ScalingLabError
    from scalinglab.cli._law_choice import auto_law
    from scalinglab.validate._choose_inputs import said
    from scalinglab.validate._tie import TIE_RTOL

    on = f"on all {len(table)} runs, held-out ones included,"
    try:
        choice = auto_law(table, y, seed=seed, columns=columns)
    except ScalingLabError as err:  # no candidate can be fitted below the cuts
        return f"{_RULE}; {on} it cannot choose: {said(err)}"
    if choice.fallback:  # too few scales for a cut: it fits the first candidate
        return f"{_RULE}; {on} it compares none: {choice.reason}"
    scores = ", ".join(
        f"{law} {score:.2%}"
        if score == score
        else f"{law} {'not identified below a cut' if law in choice.unidentified else 'failed'}"
        for law, score in choice.scores.items()
    )
    cuts = f"{len(choice.cuts)} cut" + "s" * (len(choice.cuts) != 1)
    best = choice.best_by_backtest
    why = (
        "the lowest"
        if choice.chosen == best
        else f"within {TIE_RTOL:.0%} of {best}'s, with the fewest parameters"
    )
    return f"{_RULE}; {on} it chooses {choice.chosen} ({scores} over {cuts}; {why})"
