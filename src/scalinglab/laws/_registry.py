"""Find a law by name or build one from a formula string."""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Mapping

from scalinglab._errors import ConfigError, FormulaError, check_text, meant
from scalinglab._keywords import keywords_checked
from scalinglab.laws._base import Law
from scalinglab.laws._bnsl import BrokenPowerLaw
from scalinglab.laws._catalog import KaplanN, PowerLaw, PowerLawPlusConstant
from scalinglab.laws._catalog_nd import Chinchilla, KaplanND, OverTraining
from scalinglab.laws._formula import FormulaLaw

__all__ = ["LAW_NAMES", "catalog", "get_law", "law_class_error"]

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
    if (slip := law_class_error(spec)) is not None:
        raise slip
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


def law_class_error(spec: object) -> ConfigError | None:
    """The refusal of a law's class given where a law is (``fit(scalinglab.Chinchilla,
    runs)``, the parentheses left out), naming the instance and the law's name; ``None``
    for anything else."""
    if not (isinstance(spec, type) and issubclass(spec, Law)):
        return None
    name = getattr(spec, "name", None)
    if inspect.isabstract(spec) or not isinstance(name, str):  # Law itself: no law to make
        return ConfigError(
            f"law is the class {spec.__name__}, the base of the laws, not a law",
            hint="pass a law's name ('chinchilla'), a formula or a law (Chinchilla())",
        )
    return ConfigError(
        f"law is the class {spec.__name__}, not a law: a law is an instance of it",
        hint=f"pass {spec.__name__}() or the law's name, {name!r}",
    )


def _class_names() -> dict[str, str]:
    """Each catalog law's class name, lower case without punctuation (``kaplannd``), to
    the law's name (``kaplan``): ``"KaplanND"`` or ``"kaplan_nd"`` is meant as that law,
    not the law nearest in spelling (``kaplan-n``, another law)."""
    return {type(law).__name__.lower(): law.name for law in catalog()}


def _unknown(text: str) -> FormulaError:
    by_class = _class_names().get(re.sub(r"[^a-z0-9]", "", text.lower()))
    close = [by_class] if by_class else difflib.get_close_matches(text.lower(), LAW_NAMES, n=1)
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
