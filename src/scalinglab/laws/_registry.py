"""Find a law by name or build one from a formula string."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from scalinglab._errors import FormulaError, check_text, meant
from scalinglab._keywords import keywords_checked
from scalinglab.laws._base import Law
from scalinglab.laws._bnsl import BrokenPowerLaw
from scalinglab.laws._catalog import KaplanN, PowerLaw, PowerLawPlusConstant
from scalinglab.laws._catalog_nd import Chinchilla, KaplanND, OverTraining
from scalinglab.laws._formula import FormulaLaw

__all__ = ["LAW_NAMES", "catalog", "get_law"]

#: Names accepted by :func:`get_law`; one-variable laws take ``:column`` (``power-law:flops``),
#: the broken power law takes its number of breaks (``bnsl-2``).
LAW_NAMES = (
    "chinchilla",
    "overtraining",
    "kaplan",
    "kaplan-n",
    "power-law",
    "power-law-plus-constant",
    "bnsl",
)
_ALIASES = {
    "hoffmann": "chinchilla",
    "powerlaw": "power-law",
    "power-law+c": "power-law-plus-constant",
    "gadre": "overtraining",
    "over-training": "overtraining",
}
#: The catalog laws whose variables are fixed, and the columns they read: a ``:COLUMN``
#: (which one-variable laws take) is refused for them by name, not parsed as a formula.
_FIXED = {
    "chinchilla": "params and tokens",
    "overtraining": "params and tokens",
    "kaplan": "params and tokens",
    "kaplan-n": "params",
}
_NAME = re.compile(r"^[a-z][a-z0-9+\-]*(:[A-Za-z_][A-Za-z0-9_]*)?$")


@keywords_checked("scalinglab.get_law")
def get_law(spec: str | Law, *, columns: Mapping[str, str] | None = None) -> Law:
    """A law from a name (``"chinchilla"``, ``"power-law:flops"``, ``"bnsl-2"``) or a formula.

    Args:
        spec: A law name, a formula string, or a :class:`Law` (returned as is).
        columns: For formulas, extra symbol -> column mapping (``{"T": "temperature"}``).

    Returns:
        A :class:`Law`: the catalog law of that name, or a :class:`FormulaLaw` parsed
        from the formula.

    Raises:
        FormulaError: For an unknown name or a formula that cannot be used.
        ConfigError: For a spec that is neither a string nor a Law.
    """
    if isinstance(spec, Law):
        return spec
    example = "'chinchilla', 'power-law:flops' or 'E + A*N**-alpha'"
    text = check_text(
        spec, what="a law (a name or a formula), if not a Law,", example=example
    ).strip()
    parts = [p.strip() for p in text.split(",")]
    if len(parts) > 1 and all(_NAME.match(p) for p in parts):
        raise FormulaError(
            f"{text!r} names {len(parts)} laws; a law is one name or formula",
            hint=f"a fit takes one (or --law auto to choose); to compare them, repeat --law on "
            f"backtest (--law {parts[0]} --law {parts[1]}) or pass laws={parts!r} to compare()",
        )
    if _NAME.match(text):
        name, _, column = text.partition(":")
        name = _ALIASES.get(name, name)
        col = column or "params"
        if column and name in _FIXED:
            maps = "N=COLUMN,D=COLUMN" if "tokens" in _FIXED[name] else "N=COLUMN"
            raise FormulaError(
                f"{name} is a law of {_FIXED[name]}; it takes no :COLUMN (got {text!r})",
                hint=f"write {name}; to read {_FIXED[name]} from other columns: --x {maps} "
                "(x= in Python); a one-variable law of another column: power-law:COLUMN, "
                "power-law-plus-constant:COLUMN or bnsl:COLUMN",
            )
        if name == "chinchilla" and not column:
            return Chinchilla()
        if name == "overtraining" and not column:
            return OverTraining()
        if name == "kaplan" and not column:
            return KaplanND()
        if name == "kaplan-n" and not column:
            return KaplanN()
        if name == "power-law":
            return PowerLaw(column=col)
        if name == "power-law-plus-constant":
            return PowerLawPlusConstant(column=col)
        m = re.fullmatch(r"bnsl(?:-(\d+))?", name)
        if m:
            return BrokenPowerLaw(breaks=int(m.group(1) or 1), column=col)
        if "-" in name or column:  # a name, never a formula: 'name:col' does not parse
            raise _unknown(text)
    if text.isidentifier():  # one bare symbol is never a usable formula: a misspelt name
        raise _unknown(text)
    return FormulaLaw(text, columns=dict(columns or {}))


def _unknown(text: str) -> FormulaError:
    close = difflib.get_close_matches(text.lower(), LAW_NAMES, n=1)
    return FormulaError(
        f"unknown law {text!r}" + (meant(close[0]) if close else ""),
        hint=f"choose one of {', '.join(LAW_NAMES)} (see `scalinglab laws`), "
        "or write a formula such as 'E + A*N**-alpha'",
    )


def catalog() -> list[Law]:
    """One instance of every built-in law, for listings.

    Returns:
        The laws, a new instance of each.
    """
    return [
        Chinchilla(),
        OverTraining(),
        KaplanND(),
        KaplanN(),
        PowerLaw(),
        PowerLawPlusConstant(),
        BrokenPowerLaw(),
    ]
