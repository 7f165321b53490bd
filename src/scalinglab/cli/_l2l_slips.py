"""``loss2loss predict --x 3.1``: the fit's option taken for the prediction's. ``loss2loss
fit`` names its two loss columns with ``--x`` and ``--y``; ``loss2loss predict`` reads the
values of L_x from ``--loss``. Click answered "No such option: --x" and a hint to read
``--help``; here the message says where L_x goes and the hint writes the command."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from scalinglab.cli._argwalk import typed_values

__all__ = ["column_option_hint", "column_option_message"]

#: The options of ``loss2loss fit`` that name its columns.
_COLUMNS = ("--x", "--y")


def _on_l2l_predict(command: Any) -> bool:
    callback = getattr(command, "callback", None)
    return getattr(callback, "__name__", "") == "loss2loss_predict_command"


def column_option_message(name: str, command: Any) -> str | None:
    """Click's unknown-option message for ``loss2loss predict --x`` or ``--y``, said for
    what was meant; ``None`` for any other option or command."""
    if not _on_l2l_predict(command) or name not in _COLUMNS:
        return None
    return (
        f"No such option: {name}: loss2loss predict takes the values of L_x with --loss; "
        "--x and --y name the two loss columns when the law is fitted (loss2loss fit), and "
        "the fit keeps them"
    )


def column_option_hint(ctx: Any, args: Sequence[str]) -> str | None:
    """The hint for ``loss2loss predict --x VALUE``: the command with ``--loss VALUE`` (the
    value and ``--fit`` as typed, or placeholders); ``None`` for any other command."""
    if not _on_l2l_predict(getattr(ctx, "command", None)):
        return None
    if not any(word.partition("=")[0] in _COLUMNS for word in args):
        return None
    given = typed_values(args)
    value = given.get("--x") or "3.1"
    source = given.get("--fit") or "l2l.json"
    # quoted as a shell reads them: the hint is a command to paste (a path with a space)
    return f"scalinglab loss2loss predict --fit {shlex.quote(source)} --loss {shlex.quote(value)}"
