"""The one grammar of a comparison on a column: ``flops>=1e21``, ``'Model Size'>5e9``,
``params>1.5B``, for the backtest rules (``--holdout``, ``--fit-on``:
:mod:`scalinglab.validate._rules`) and ``--where`` (``where=`` in Python) alike. Never
``eval``: a column (as it is, spaces and all, or in quotes, where it may hold ``&`` and
``and``, which otherwise join clauses), one of ``>= > <= < == !=``, and a number.

``--where`` records a comparison as the pair ``(COLUMN OP, NUMBER)`` (``("params>=",
"2e7")``), so that a fit's recorded ``where`` (``{"params>=": "2e7"}``) reads back as the
same condition wherever ``(column, value)`` pairs go, and joins back to the clause as it
was written (``params>=2e7``), never to ``params>==2e7``.
"""

from __future__ import annotations

import operator
import re
import shlex
from collections.abc import Callable, Iterable
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._unit_words import bound_number, quantity_named, unit_word
from scalinglab.data._units import parse_quantity

__all__ = [
    "CLAUSE",
    "NAME",
    "OPS",
    "QUOTED",
    "WHERE_FORMS",
    "Compared",
    "clauses",
    "compared",
    "condition_said",
    "condition_words",
    "unquoted",
    "where_clause",
    "where_column",
    "where_options",
]

#: A name in quotes, either kind.
QUOTED = "'[^']*'|\"[^\"]*\""
#: A column in a clause: quoted, or bare up to the operator (spaces allowed: 'Model Size>5e9').
NAME = "'[^']+'|\"[^\"]+\"|[A-Za-z_][^<>=!&'\"]*?"
#: The operators, each a NumPy comparison (NaN meets none but ``!=``).
OPS: dict[str, Callable[[NDArray[np.float64], float], NDArray[np.bool_]]] = {
    ">=": operator.ge, "<=": operator.le, "==": operator.eq,
    "!=": operator.ne, ">": operator.gt, "<": operator.lt,
}  # fmt: skip
_OP = "(>=|<=|==|!=|>|<)"
#: A clause's number: in quotes (``'70M'``), or no operator's character in it (``70M,tokens<1e9``
#: is two clauses, not a number), its unit suffix apart or not (``70 M``), then a unit word
#: or not (``tokens>1e8 tokens``, ``flops<=1e21 FLOPs``).
_NUMBER = (
    rf"(?:{QUOTED}|[^\s<>=!'\"&]+(?i:\s+[kmbgtp](?=\s|$))?)"
    r"(?i:\s+(?:tokens?|parameters?|params?|flops?))?"
)
#: A whole clause: the column, the operator, and the number.
CLAUSE = re.compile(rf"^\s*({NAME})\s*{_OP}\s*({_NUMBER})\s*$")
_KEY = re.compile(rf"^\s*({NAME})\s*{_OP}\s*$")  # a recorded comparison's column: 'params>='


class Compared(NamedTuple):
    """A ``--where`` comparison, read from its recorded pair (:func:`compared`).

    Attributes:
        column: The column as named, less its quotes.
        op: One of :data:`OPS`.
        number: The number as written (``2e7``, ``1.5B``).
    """

    column: str
    op: str
    number: str

    def value(self, *, column: str | None = None) -> float:
        """The number, units read (``1.5B``; ``1e21 FLOPs`` of a flops ``column``, ``1e8
        tokens`` of a tokens one: the unit word of the column's quantity).

        Raises:
            ConfigError: For text that is no number, or NaN, or another quantity's unit word
                (``tokens>1e8 params``).
        """
        given = f"--where {str(self)!r} (where= in Python): {self.number!r}"
        quantity = quantity_named(column or self.column)
        number = bound_number(self.number, quantity, given=given)
        try:
            value = parse_quantity(number)
        except DataError:
            value = None
        text = f"{self.column}={self.number}"
        if value is None and self.op == "==":  # name==x: text is matched with one =
            raise ConfigError(
                f"--where {str(self)!r} (where= in Python): == compares numbers, and "
                f"{self.number!r} is not a number",
                hint=f"for a text column, write one =: --where {shlex.quote(text)} "
                f"(where={text!r} in Python)",
            )
        if value is None or value != value:  # NaN: no run would meet it, nor miss it
            raise ConfigError(
                f"--where {str(self)!r} (where= in Python): {self.number!r} is not a number "
                "to compare with",
                hint=f"write a number, units allowed: --where '{self.column}{self.op}2e7' "
                f"or '{self.column}{self.op}1.5B'; for a text column, --where "
                f"{self.column}=VALUE",
            )
        return value

    def __str__(self) -> str:
        return f"{self.column}{self.op}{self.number}"


def clauses(text: str) -> list[str]:
    """The clauses of a rule, split at ``&``, ``&&`` and ``and`` outside quotes (a quoted
    column name may hold them: ``'R&D tokens'>1e9``)."""
    quoted: list[str] = []

    def hide(m: re.Match[str]) -> str:
        quoted.append(m.group(0))
        return f"\0{len(quoted) - 1}\0"

    masked = re.sub(QUOTED, hide, text)
    parts = re.split(r"\s*(?:&&?|\band\b)\s*", masked)
    back = [re.sub(r"\0(\d+)\0", lambda m: quoted[int(m.group(1))], p) for p in parts]
    return [c for c in back if c.strip()]


def unquoted(name: str) -> str:
    """A column name as written in a rule, less its quotes (``'Model Size'``)."""
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
        return name[1:-1]
    return name


def where_clause(text: str) -> tuple[str, str] | None:
    """``"params>=2e7"`` as the pair ``--where`` records it, ``("params>=", "2e7")`` (its
    number checked: :meth:`Compared.value`); ``None`` for text that is no comparison
    (``dataset=c4``: a single ``=`` is no operator).

    Raises:
        ConfigError: A comparison with no number (``params>big``), or a clause that tries
            one and misses its grammar (``params=>70M``, ``70M <= params``:
            :func:`~scalinglab.data._clause_slips.comparison_slip`).
    """
    m = CLAUSE.match(text)
    if m is None:
        # here: their patterns are compiled only for a clause that is not COLUMN OP NUMBER
        from scalinglab.data._clause_slips import comparison_slip, is_text_condition

        slip = None if is_text_condition(text) else comparison_slip(text, joined=_each_where)
        if slip is None:
            return None  # dataset=c4: COLUMN=VALUE
        raise ConfigError(
            f"--where {text!r} (where= in Python): cannot read it as COLUMN OP NUMBER{slip}",
            hint=WHERE_FORMS,
        )
    pair = f"{m.group(1).strip()}{m.group(2)}", unquoted(m.group(3))
    column = unquoted(m.group(1))
    # A column read under another name (model_size for params) is known only with its
    # table: its unit word is checked then (Compared.value), the number alone now.
    known = quantity_named(column) is not None
    Compared(column, m.group(2), pair[1] if known else unit_word(pair[1])[0]).value()
    return pair


#: What ``--where`` takes, for a clause it cannot read.
WHERE_FORMS = (
    "write COLUMN OP NUMBER, OP one of >= > <= < == !=, units allowed: --where 'params>=70M' "
    "(where='params>=70M' in Python), or COLUMN=VALUE for a text column: --where dataset=c4"
)


def _each_where(parts: list[str]) -> str:
    """Conditions as ``--where`` takes several: each its own (``where=[...]`` in Python)."""
    options = " ".join(f"--where {shlex.quote(p)}" for p in parts)
    return f": give each its own, {options} (where={parts!r} in Python)"


def compared(column: str, value: str) -> Compared | None:
    """The comparison a ``(column, value)`` condition is (``("params>=", "2e7")``), or
    ``None`` for a text one (``("dataset", "c4")``)."""
    m = _KEY.match(column)
    return None if m is None else Compared(unquoted(m.group(1)), m.group(2), value.strip())


def where_column(column: str, value: str) -> str:
    """The column a ``(column, value)`` condition reads: ``params`` of ``("params>=",
    "2e7")``, ``dataset`` of ``("dataset", "c4")``."""
    said = compared(column, value)
    return column if said is None else said.column


def condition_said(column: str, value: str) -> str:
    """A condition as ``--where`` writes it: ``params>=2e7``, ``dataset=c4``."""
    return f"{column}{value}" if compared(column, value) else f"{column}={value}"


def where_options(where: Iterable[tuple[str, str]]) -> str:
    """The conditions as a user types them, each with its own ``--where`` and quoted for
    the shell: ``--where 'params>=2e7' --where dataset=c4``."""
    return " ".join(f"--where {shlex.quote(condition_said(c, v))}" for c, v in where)


def condition_words(column: str, value: str, *, quoted: bool = False) -> str:
    """A condition in a sentence: ``params >= 2e7``, ``dataset = c4`` (``dataset = 'c4'``
    ``quoted``), never ``params>= = 2e7``."""
    said = compared(column, value)
    if said is not None:
        return f"{said.column} {said.op} {said.number}"
    return f"{column} = {value!r}" if quoted else f"{column} = {value}"
