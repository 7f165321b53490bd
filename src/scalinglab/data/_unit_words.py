"""A number that names its quantity after it, as people write sizes and budgets: ``10B
tokens``, ``70M params``, ``1e24 FLOPs``.

The word (``token`` or ``tokens``, ``param``, ``params``, ``parameter`` or ``parameters``,
``flop`` or ``flops``; any case) follows the number or its unit suffix, with a space or
without (``1e21FLOP``). A cell of a size column may carry the word of the quantity the
column holds; another's (``10B params`` among tokens) is refused, not read
(:func:`~scalinglab.data._units.parse_values`). A compute option or argument reads the
word FLOPs alike (``--compute "1e24 FLOPs"``: :func:`without_flops_unit`).
"""

from __future__ import annotations

import re

__all__ = ["QUANTITY_WORDS", "unit_word", "without_flops_unit"]

#: Each unit word, singular or plural, and the quantity (column) it names.
QUANTITY_WORDS = {
    "token": "tokens", "tokens": "tokens",
    "param": "params", "params": "params", "parameter": "params", "parameters": "params",
    "flop": "flops", "flops": "flops",
}  # fmt: skip
#: A unit word ending a text, after a digit, a decimal point or a unit suffix (``10Btokens``).
_AT_END = re.compile(
    r"(?<=[\d.kmbgtp])\s*(?P<word>tokens?|parameters?|params?|flops?)\s*$", re.IGNORECASE
)


def unit_word(text: str) -> tuple[str, str | None]:
    """``text`` without the unit word ending it, and the quantity that word names
    (``"10B tokens"``: ``("10B", "tokens")``); ``(text, None)`` where none ends it."""
    found = _AT_END.search(text)
    if found is None:
        return text, None
    return text[: found.start()], QUANTITY_WORDS[found["word"].lower()]


def without_flops_unit(text: str, flops: bool = True) -> str:
    """``text`` without a trailing unit ``FLOP`` or ``FLOPs`` where ``flops`` (a compute:
    ``"1e21FLOP"`` is ``"1e21"``), else as it is: the one reading of a compute's unit, for
    :func:`~scalinglab.data._units.parse_flops` and for a hold-out rule's bound on the flops
    column."""
    rest, said = unit_word(text)
    return rest if flops and said == "flops" else text
