"""The one place an option with a fixed set of values suggests the value meant.

``--kind tensorbord`` and ``--robust-loss hubber`` say "did you mean ...?" in the library's
own refusal; ``--on-conflict keeep``, ``--space lgo`` and ``--format pnj`` were refused
without one. Rather than teach each refusal, the CLI's error boundary adds the suggestion to
any refusal of such an option's value (:func:`choice_slip`), and to click's refusal of a
``click.Choice`` (:func:`click_choice_slip`), unless the refusal already suggests one.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from scalinglab._errors import did_you_mean, meant

__all__ = ["choice_slip", "click_choice_slip"]

#: Option -> its values, or where they are kept (``module:NAME``): one source for each set.
_CHOICES: dict[str, tuple[str, ...] | str] = {
    "--on-conflict": "scalinglab.store._store:ON_CONFLICT",
    "--space": "scalinglab.cli._checked_options:_SPACES",
    "--format": "scalinglab.report._figure:FIGURE_FORMATS",
    "--final": "scalinglab.ingest._final:FINAL_KINDS",  # mean:K, said without its K
    "--robust-loss": "scalinglab.fit._losses:LOSSES",
    "--kind": "scalinglab.ingest._source:KINDS",
    "--surface": "scalinglab.hparams._surface:SURFACES",
    "--weighting": "scalinglab.hparams._pair:WEIGHTINGS",
    "--task-law": "scalinglab.downstream._task_law:TASK_LAWS",
    "--average-law": "scalinglab.downstream._average:AVERAGE_LAWS",
}


def _choices(option: str) -> tuple[str, ...]:
    """The values ``option`` takes (``()`` for an option without a fixed set)."""
    where = _CHOICES.get(option, ())
    if isinstance(where, tuple):
        return where
    module, _, name = where.partition(":")
    return tuple(getattr(importlib.import_module(module), name))


def choice_slip(command: Any, args: Sequence[str], message: str, hint: str) -> str:
    """``"; did you mean 'keep'?"`` for a refusal (``message``, ``hint``) of ``args``'s
    value of an option with a fixed set of values, named in the message; ``""`` when none
    is near, none is refused or the refusal already suggests one.

    Args:
        command: The root click command ``args`` run.
        args: The words after the program's name.
        message: The refusal's message.
        hint: The refusal's hint.
    """
    asked = meant("", hint=True).partition("''")[0].strip()  # "did you mean", as worded
    if asked in f"{message} {hint}":
        return ""
    from scalinglab.cli._argwalk import walk

    try:
        words = walk(command, args)
    except Exception:  # pragma: no cover - a walk that fails leaves the refusal as it is
        return ""
    for each in words.options():
        value = each.value or ""
        choices = _choices(each.option) if value else ()
        refused = bool(choices) and value not in choices and value in message
        if refused and (said := did_you_mean(value.split(":")[0], choices)):
            return said
    return ""


def click_choice_slip(err: Exception) -> str:
    """``"; did you mean 'x'?"`` for click's refusal of a ``click.Choice`` option's value
    (its message says only "is not one of", with the value quoted first); ``""`` for any
    other error."""
    choices = getattr(getattr(getattr(err, "param", None), "type", None), "choices", None)
    if not choices:
        return ""
    _, _, rest = str(getattr(err, "message", "") or err).partition("'")
    given, quoted, _ = rest.partition("'")
    return did_you_mean(given, [str(c) for c in choices]) if quoted else ""
