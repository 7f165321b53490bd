"""``plan --params 70B`` or ``plan --tokens 1T``: a size fixed on a plan. ``plan`` chooses N*
and D* for a budget; a run of a size given is ``predict``'s (``--params N --flops C``: the
tokens ``C/(6·N)`` and the loss with its interval). Click answered with the options nearest
in spelling, ``--hparams, --hparams-preset, --preset``, none of which fixes a size, and a
hint to read ``--help``; here the message says what ``plan`` does and the hint writes the
``predict`` command, with the ``--fit`` or ``--preset`` and the budget as typed."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from typing import Any

from scalinglab.cli._argwalk import typed_values

__all__ = ["fixed_size_hint", "fixed_size_message"]

#: The sizes a plan chooses, as ``predict`` names them.
_SIZES = ("--params", "--tokens")
#: The names ``plan`` takes a budget by.
_BUDGETS = ("--compute", "--flops", "--budget", "--budgets")
_NO_SUCH = re.compile(r"No such option: (?P<name>--[\w-]+)")


def _on_plan(command: Any) -> bool:
    return getattr(command, "name", None) == "plan"


def fixed_size_message(name: str, command: Any) -> str | None:
    """Click's unknown-option message for ``plan --params`` or ``plan --tokens``, said for
    what was meant; ``None`` for any other option or command."""
    if not _on_plan(command) or name not in _SIZES:
        return None
    return (
        f"No such option: {name}: plan chooses the model size N* and tokens D* for a budget "
        "(--compute) or a loss (--target-loss); it does not take them fixed"
    )


def fixed_size_hint(ctx: Any, args: Sequence[str], message: str) -> str | None:
    """The hint for ``plan --params`` or ``plan --tokens``: the ``predict`` command that
    gives the loss of a run of that size on the budget (its source and budget as typed, or
    placeholders); ``None`` for any other message."""
    found = _NO_SUCH.match(message)
    if found is None or found["name"] not in _SIZES or not _on_plan(getattr(ctx, "command", None)):
        return None
    given = typed_values(args)
    source = next(
        (f"{o} {shlex.quote(given[o])}" for o in ("--fit", "--preset") if o in given),
        "--fit fit.json",
    )
    # the budget under any name plan takes it by (--flops, the hidden one, too)
    budget = next((given[o] for o in _BUDGETS if o in given), "1e24").split(",")[0]
    params = given.get("--params", "70B")
    if found["name"] == "--params":
        return (
            f"for a run of a given size, predict it: scalinglab predict {source} --params "
            f"{params} --flops {budget} (its tokens D = C/(6·N), its loss with the interval)"
        )
    tokens = given.get("--tokens", "1T")
    size = _size(budget, tokens)
    return (
        f"for a run of {tokens} tokens on {budget} FLOPs, its size is N = C/(6·D)"
        f"{'' if size == 'N' else f' = {size}'}: scalinglab predict {source} --params {size} "
        f"--tokens {tokens}"
    )


def _size(budget: str, tokens: str) -> str:
    """``C/(6·D)`` of the budget and tokens as typed, ``N`` where either is no number."""
    from scalinglab._errors import ScalingLabError
    from scalinglab.data._units import parse_cell, parse_flops

    try:
        c, d = parse_flops(budget), parse_cell(tokens)
    except ScalingLabError:  # text that is no number
        return "N"
    if c is None or d is None or not (c > 0 and d[0] > 0):
        return "N"
    from scalinglab._format import format_g

    return format_g(c / (6 * d[0]), 3)
