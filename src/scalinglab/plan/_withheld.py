"""Refuse to plan from a fit whose runs leave N and D unidentified (its ``plan_withheld``).

Runs that leave the law's N and D terms unidentified (one tokens-per-parameter ratio: every
run on one power curve; too few model sizes or token counts for its terms) fix the law only along the line they lie on, so any N*, D* split of
a budget is arbitrary, and so are the loss at the compute-optimal split and the compute a
target loss needs (both a minimum over splits): nothing of a plan is left to give. ``fit``
records why on the result (:attr:`scalinglab.FitResult.plan_withheld`), from the runs alone,
so a fit that did not converge carries it as well.
"""

from __future__ import annotations

__all__ = ["check_withheld", "preset_call"]

#: How Python plans from a published law instead, where the call is not known: planning
#: functions name themselves with the user's own argument (``plan --preset`` on the command
#: line).
PRESET = "the preset 'hoffmann2022' in place of the fit"
#: Where the reason points at the fit's warnings, as fit wrote it then and writes it now:
#: left out of the refusal, which shows no warnings.
_POINTERS = (" (see the warning above)", " (see the fit's warnings)")


def preset_call(call: str, keyword: str, value: float) -> str:
    """``call`` from the published law ``'hoffmann2022'`` with the user's own ``value``, as
    a withheld plan's hint writes it: ``compute_for_loss('hoffmann2022', target_loss=2.0)``,
    ``optimal_allocation('hoffmann2022', flops=1e21)`` (Python's repr, less its ``e+``)."""
    return f"{call}('hoffmann2022', {keyword}={repr(float(value)).replace('e+', 'e')})"


def check_withheld(source: object, *, named: str | None = None, preset: str = PRESET) -> None:
    """Refuse ``source``, a fit whose ``plan_withheld`` says why no plan may be made from it.

    Args:
        source: What planning was given; anything without ``plan_withheld`` passes.
        named: What the message names it by (``"--fit fit.json"``); default the file it was
            read from, where it was.
        preset: How the hint says to plan from a published law instead: the call made,
            with the user's own argument (``compute_for_loss('hoffmann2022',
            target_loss=2.0)``).

    Raises:
        ConfigError: Where ``source.plan_withheld`` is set, with its reason, and a hint
            with what the runs lack (the remedy the fit recorded with it); where it is
            neither a string nor ``None`` (``True``: no reason, not a plan made anyway).
    """
    from scalinglab._errors import ConfigError
    from scalinglab.fit._withheld import check_reason, withheld_parts

    reason = getattr(source, "plan_withheld", None)
    check_reason(reason, owner=type(source).__name__)  # `True`: no reason, not "plan anyway"
    if not isinstance(reason, str) or not reason:
        return

    path = getattr(source, "path", None)
    named = named or (f"fit {path}" if isinstance(path, str) else "")
    said, remedy = withheld_parts(reason)
    # the reason as fit's table note words it, less its pointer to the warning printed there
    why = said.partition(": ")[2] or said
    for pointer in _POINTERS:
        why = why.replace(pointer, "")
    # what the runs lack, as the fit found it (a model size, several tokens per parameter);
    # a file written before it was recorded points at the fit's warnings, which say it
    remedy = (
        remedy or "fit runs that identify the law's terms: the fit's warnings say what these lack"
    )
    raise ConfigError(
        f"{named + ': ' if named else ''}plan withheld: {why}, and the loss at a budget's "
        "compute-optimal split, or the compute a target loss needs, rests on that split too",
        hint=f"{remedy}; or plan from a published law: {preset}",
    )
