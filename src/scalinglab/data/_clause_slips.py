"""Clauses that try a comparison and miss its grammar (:mod:`scalinglab.data._compare`):
``params=>70M``, ``70M <= params``, ``params ≥ 70M``, ``params>=``, ``>=70M``,
``params>=70M,tokens<1e9``, ``params in 70M..1B``, ``params>>70M``. Each is refused by what
is wrong with it and, where one is clear, the clause meant, one reading for ``--where``
(``where=``) and the backtest rules (``--holdout``, ``--fit-on``), before a clause with a
``=`` in it is read as ``COLUMN=VALUE`` (``params=>70M`` was told that ``params`` is no
text column) or its operator's second character as its number (``params>=``: "'=' is not
a number").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scalinglab._errors import meant

__all__ = ["comparison_slip", "is_text_condition"]

#: Operators typed as one Unicode character, or backwards, and the operator meant.
_RESPELT = {"≥": ">=", "≤": "<=", "≠": "!=", "=>": ">=", "=<": "<=", "=!": "!=", "<>": "!="}
#: An operator and its mirror, for a clause written number first (``70M <= params``).
_MIRROR = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}
_OPS = ">=|<=|==|!=|>|<"
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*[kmbgtp]?"
#: Characters an operator is written with; any in a clause means it tries a comparison.
_OP_CHARS = "<>!≥≤≠"
#: ``COLUMN=VALUE``: a name of no operator's character, then ``=`` and no other operator
#: character (``==``, ``=>``); the value is free (``schedule=cosine->wsd``).
_TEXT = re.compile(rf"^\s*[^{_OP_CHARS}=\s][^{_OP_CHARS}=]*=(?![=<>!≥≤≠])")
#: One ``=`` alone, as an operator (``params=70M`` in a rule): ``==`` meant.
_SINGLE = re.compile(r"(?<![<>=!])=(?![=<>!])")
_RANGE = re.compile(r"^\s*(?P<col>.+?)\s+in\s+(?P<lo>\S+?)\s*\.\.\s*(?P<hi>\S+)\s*$", re.I)
_REVERSED = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?P<op>{_OPS})\s*(?P<col>\S.*?)\s*$", re.I)
_LEADING = re.compile(rf"^\s*(?P<op>{_OPS})")
_NO_NUMBER = re.compile(rf"^\s*(?P<col>[^{_OP_CHARS}=]+?)\s*(?P<op>{_OPS})\s*$")
#: A run of operator characters that is no operator (``>>``, ``>==``, ``!``).
_ODD_OP = re.compile(rf"[{_OP_CHARS}=]+")


def is_text_condition(text: str) -> bool:
    """Whether ``text`` is ``COLUMN=VALUE`` (``dataset=c4``, ``params = 70M``): a name of
    no operator's character, then one ``=`` (``params=>70M`` is a comparison tried)."""
    return _TEXT.match(text) is not None


def comparison_slip(text: str, *, joined: Callable[[list[str]], str]) -> str | None:
    """What is wrong with ``text``, a clause that reads as no comparison, and the clause
    meant where it is clear (``"; did you mean 'params>=70M'?"``); ``None`` where ``text``
    tries none (no operator character, and not ``COLUMN in A..B``).

    Args:
        text: The clause as typed.
        joined: Conditions (each a clause) as the caller's option joins them, in words
            after a colon: ``"; did you mean 'a & b'?"`` for a rule, each its own
            ``--where`` for ``--where``.
    """
    clause = text.strip()
    if m := _RANGE.match(clause):
        col, lo, hi = m["col"].strip(), m["lo"], m["hi"]
        if any(c in col for c in _OP_CHARS + "="):
            return None
        return f": a range is two comparisons{joined([f'{col}>={lo}', f'{col}<={hi}'])}"
    if not any(c in clause for c in _OP_CHARS + "="):
        return None
    for typed, op in _RESPELT.items():
        if typed in clause:
            return meant(clause.replace(typed, op, 1))  # the clause meant says it
    if "," in clause and all(_is_clause(part) for part in clause.split(",")):
        parts = [p.strip() for p in clause.split(",")]
        return f": conditions are not joined by a comma{joined(parts)}"
    if m := _REVERSED.match(clause):
        col = m["col"]
        if not re.match(_NUMBER + "$", col, re.I) and not any(c in col for c in _OP_CHARS + "="):
            flipped = f"{col}{_MIRROR[m['op']]}{m['num'].replace(' ', '')}"
            return f": the column goes first{meant(flipped)}"
    if m := _LEADING.match(clause):
        return f": no column before {m['op']}"
    if m := _NO_NUMBER.match(clause):
        return f": no number after {m['op']}"
    if _SINGLE.search(clause):
        return meant(_SINGLE.sub("==", clause, count=1))
    odd = [run for run in _ODD_OP.findall(clause) if run not in _MIRROR]
    if odd == ["!"]:  # params!70M: != with its = left off
        return meant(clause.replace("!", "!=", 1))
    if odd:
        return f": {odd[0]!r} is no operator"
    return ""


def _is_clause(text: str) -> bool:
    """Whether ``text`` reads as a comparison (``tokens<1e9``)."""
    from scalinglab.data._compare import CLAUSE

    return CLAUSE.match(text) is not None
