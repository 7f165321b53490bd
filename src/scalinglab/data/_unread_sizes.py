"""The note for a size derived from the other two (C = 6·N·D) while a column that may hold
it is left unread: one named like it in another language or spelling (``Paramètres``,
``Modellgröße``), or whose numbers match the derived ones row by row. Without it, the
derivation would quietly stand in for the column the user meant."""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab.data._derived import HOW

__all__ = ["unread_size"]

Array = NDArray[np.float64]
#: Words in a column's name (folded: no accents, lower case) that say it holds each size.
_LOOKS = {
    "params": re.compile(r"param|size|groesse|grosse|taille"),
    "tokens": re.compile(r"token|jeton"),
    "flops": re.compile(r"flop|comput|pf[-_ ]?day"),
}
#: A ratio of two sizes, never a size itself: ``tokens_per_param``.
_RATIO = re.compile(r"(?:per|/)[-_ ]?(?:param|token)|^tpp$")
#: How far a column's numbers may be from the derived ones and still read as the same size.
_FACTOR = 1.5


def unread_size(derived: str, numeric: Mapping[str, Array], others: Mapping[str, str]) -> list[str]:
    """The note naming the columns left unread (``others``, read as covariates into
    ``numeric``) that may hold the size ``derived`` (``""``: none derived), and how to read
    one; none where no column looks like it."""
    if not derived:
        return []
    values = numeric[derived]
    found = [
        src
        for target, src in others.items()
        if target in numeric and (_named(src, derived) or _matches(numeric[target], values))
    ]
    if not found:
        return []
    how = f"{derived} derived as {HOW[derived]}"
    if len(found) == 1:
        pick = _quoted(found[0])
        return [
            f"column {found[0]!r} not read: {how}; if it holds {derived}, read it: "
            f"--map {derived}={pick} (columns={{{derived!r}: {found[0]!r}}} in Python)"
        ]
    listed = ", ".join(repr(c) for c in found)
    return [
        f"columns {listed} not read: {how}; if one holds {derived}, read it: --map "
        f"{derived}=COLUMN (columns={{{derived!r}: COLUMN}} in Python)"
    ]


def _fold(name: str) -> str:
    """``name`` without accents, in lower case (``Größe`` -> ``groesse``)."""
    name = name.replace("ß", "ss").replace("ö", "oe").replace("Ö", "oe")
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def _named(column: str, size: str) -> bool:
    """Whether ``column``'s name says it holds ``size`` (not a ratio of two sizes)."""
    folded = _fold(column)
    return bool(_LOOKS[size].search(folded)) and not _RATIO.search(folded)


def _matches(values: Array, derived: Array) -> bool:
    """Whether ``values`` agree with the derived size within :data:`_FACTOR` on every row
    where both are positive and finite (and on one row at least)."""
    both = np.isfinite(values) & np.isfinite(derived) & (values > 0) & (derived > 0)
    if not both.any() or both.sum() < len(values):
        return False
    ratio = values[both] / derived[both]
    return bool(np.all((ratio <= _FACTOR) & (ratio >= 1 / _FACTOR)))


def _quoted(column: str) -> str:
    """``column`` as a shell takes it: bare where it is letters, digits and ``_.-`` (any
    script: ``Paramètres``), else quoted."""
    return column if re.fullmatch(r"[\w.-]+", column) else shlex.quote(column)
