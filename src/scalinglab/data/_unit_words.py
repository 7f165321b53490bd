"""A number that names its quantity after it, as people write sizes and budgets: ``10B
tokens``, ``70M params``, ``1e24 FLOPs``.

The word (``token`` or ``tokens``, ``param``, ``params``, ``parameter`` or ``parameters``,
``flop`` or ``flops``; any case) follows the number or its unit suffix, with a space or
without (``1e21FLOP``). A cell of a size column may carry the word of the quantity the
column holds; another's (``10B params`` among tokens) is refused, not read
(:func:`~scalinglab.data._units.parse_values`). An option or a Python argument of a size
or a budget reads its quantity's word alike (``--tokens "10B tokens"``, ``params="70M
params"``, ``--compute "1e24 FLOPs"``) and refuses another's (``--tokens "10B params"``:
:func:`other_word`, :func:`refused_word`).
"""

from __future__ import annotations

import re

from scalinglab._errors import ConfigError, DataError

__all__ = [
    "FLOPS_NAMES",
    "QUANTITY_WORDS",
    "STEP_TOKENS_HINT",
    "bound_number",
    "other_word",
    "per_step",
    "quantity_named",
    "refuse_other_word",
    "refused_cell",
    "refused_word",
    "typed_number",
    "unit_word",
    "without_flops_unit",
]

#: Each unit word, singular or plural, and the quantity (column) it names.
QUANTITY_WORDS = {
    "token": "tokens", "tokens": "tokens",
    "param": "params", "params": "params", "parameter": "params", "parameters": "params",
    "flop": "flops", "flops": "flops",
}  # fmt: skip
#: The Python arguments that are compute budgets, whose text may end in the unit FLOPs
#: (:func:`~scalinglab.data._units.as_quantities`), one rule for every function taking them.
FLOPS_NAMES = frozenset({"flops", "budgets", "budget", "compute"})
#: What ``--tokens-per-step`` and ``tokens_per_step=`` take, for a value that is none.
STEP_TOKENS_HINT = "write the tokens of one step, batch size × sequence length: e.g. 0.5M or 524288"
#: Each quantity as a message writes it (FLOPs as the unit is written).
_SHOWN = {"params": "params", "tokens": "tokens", "flops": "FLOPs"}
#: A unit word ending a text, after a digit, a decimal point or a unit suffix (``10Btokens``).
_AT_END = re.compile(
    r"(?<=[\d.kmbgtp])\s*(?P<word>tokens?|parameters?|params?|flops?)\s*$", re.IGNORECASE
)
#: A unit word said per step, ending a text (``0.5M tokens/step``, ``tokens per step``).
_PER_STEP = re.compile(
    r"(?P<word>tokens?|parameters?|params?|flops?)\s*(?:/|\bper\b)\s*step\s*$", re.IGNORECASE
)


def unit_word(text: str) -> tuple[str, str | None]:
    """``text`` without the unit word ending it, and the quantity that word names
    (``"10B tokens"``: ``("10B", "tokens")``); ``(text, None)`` where none ends it."""
    found = _AT_END.search(text)
    if found is None:
        return text, None
    return text[: found.start()], QUANTITY_WORDS[found["word"].lower()]


def quantity_named(name: str) -> str | None:
    """The quantity an option or a Python argument named ``name`` holds (``--tokens``,
    ``tokens``: ``tokens``; a budget, ``--compute`` or ``budgets``: ``flops``), whose unit
    word its text may end in; ``None`` for any other (a loss, a law's symbol)."""
    bare = name.lstrip("-")
    if bare in FLOPS_NAMES:
        return "flops"
    if bare == "tokens-per-step":  # counts tokens, of one step
        return "tokens"
    return bare if bare in ("params", "tokens") else None


def other_word(text: str, quantity: str | None) -> str | None:
    """The quantity other than ``quantity`` whose unit word ends ``text`` (``"10B params"``
    read as tokens: ``"params"``); ``None`` where no word ends it, it is ``quantity``'s, or
    no quantity is read (a loss)."""
    said = unit_word(text.strip())[1]
    return said if quantity is not None and said not in (None, quantity) else None


def per_step(text: str) -> str:
    """``text`` with a unit word said per step read as the word (``"0.5M tokens/step"``,
    ``"0.5M tokens per step"``: ``"0.5M tokens"``): ``--tokens-per-step``'s own words."""
    return _PER_STEP.sub(r"\g<word>", text.strip())


def typed_number(text: str) -> str:
    """The number of ``text`` as typed, less its unit word and spaces (``"1.4 T params"``:
    ``"1.4T"``), which a hint writes back."""
    return re.sub(r"\s+", "", unit_word(text.strip())[0])


def refused_word(given: str, text: str, *, said: str, quantity: str) -> ConfigError:
    """The error refusing a value ``given`` as written (``--tokens '10B params'``,
    ``tokens='10B params'``) of ``quantity``, whose ``text`` ends in the word of ``said``:
    one wording for every option and Python argument of a size or a budget, its hint with
    the number typed (``write a number of tokens there: 10B or '10B tokens'``)."""
    shown, number = _SHOWN[quantity], typed_number(text)
    return ConfigError(
        f"{given} is a count of {_SHOWN[said]}, not {shown}",
        hint=f"write a number of {shown} there: {number} or '{number} {shown}'",
    )


def refused_cell(
    cell: object, quantity: str | None, *, source: str, row: int, column: str
) -> DataError | None:
    """The error refusing a table's ``cell`` of a column read as ``quantity`` that ends in
    another quantity's word (``10B params`` among tokens), its hint with the number written
    (``10B or 10B tokens``); ``None`` for any other cell."""
    said = other_word(cell, quantity) if isinstance(cell, str) else None
    if said is None or quantity is None:
        return None
    number = typed_number(str(cell))
    return DataError(
        f"{cell!r} is a count of {said}, and this column is read as {quantity}",
        source=source, row=row, column=column,
        hint=f"write the {quantity} there ({number} or {number} {quantity}), or read "
        f"{quantity} from the column that holds them",
    )  # fmt: skip


def refuse_other_word(text: object, quantity: str | None, *, given: str) -> None:
    """Refuse ``text`` (read as ``quantity``) where it ends in another quantity's word
    (:func:`refused_word`); ``given``: the value as the message writes it (``budgets='1e19
    tokens'``). Anything else, a number or text of none, passes to the caller's check.

    Raises:
        ConfigError: ``"1e19 tokens"`` as FLOPs, ``"7B tokens"`` as params, ...
    """
    if isinstance(text, str) and (said := other_word(text, quantity)) and quantity:
        raise refused_word(given, text, said=said, quantity=quantity)


def bound_number(text: str, quantity: str | None, *, given: str) -> str:
    """A comparison's bound ``text`` on a column of ``quantity`` (``tokens>1e8 tokens``,
    ``flops<=1e21 FLOPs``) less that quantity's unit word, else as it is (a loss's, or a
    column of no quantity, whose number then reads as none); ``given``: the bound as the
    message writes it.

    Raises:
        ConfigError: Another quantity's word (``tokens>1e8 params``): :func:`refused_word`.
    """
    refuse_other_word(text, quantity, given=given)
    rest, said = unit_word(text)
    return rest if said is not None and said == quantity else text


def without_flops_unit(text: str, flops: bool = True) -> str:
    """``text`` without a trailing unit ``FLOP`` or ``FLOPs`` where ``flops`` (a compute:
    ``"1e21FLOP"`` is ``"1e21"``), else as it is: the one reading of a compute's unit, for
    :func:`~scalinglab.data._units.parse_flops` and for a hold-out rule's bound on the flops
    column."""
    rest, said = unit_word(text)
    return rest if flops and said == "flops" else text
