"""Sizes written for people: one way to show a count or a FLOP budget everywhere (the
command line, the report, the fit's own warnings). The inverse of
:mod:`scalinglab.data._units`, which reads them; no NumPy here, so that ``--help`` and
``--version`` stay light."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "column_form",
    "format_beyond",
    "format_column",
    "format_columns",
    "format_count",
    "format_counted",
    "format_flops",
    "format_g",
    "format_grouped",
    "format_infinite",
    "format_interval",
    "format_level",
    "format_loss",
    "format_number",
    "format_quantity",
    "join_and",
    "join_first",
    "join_more",
    "noun_for",
    "with_article",
]


def format_count(x: float, *, digits: int = 3) -> str:
    """A finite parameter or token count in the units people use: ``70M``, ``1.4T``, to
    ``digits`` significant figures (``999.7M`` at 3 shows as ``1B``, not ``1e3M``); past
    the largest unit, T, from 1e15 on, in plain scientific notation as a FLOP count is
    (``2e15``, ``6.4e29``, never ``6.4e17T``). Every size said in units goes through it."""
    rounded = float(f"{x:.{digits}g}")
    if abs(rounded) < 1e15:
        for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(rounded) >= scale:
                return f"{rounded / scale:.{digits}g}{unit}"
    return format_g(rounded, digits)


def format_grouped(n: float) -> str:
    """A whole count with its digits grouped in threes, as the README writes step counts:
    ``23,937`` steps, not ``23937`` (``format_count``'s ``23.9K`` rounds them)."""
    return f"{round(n):,}"


def format_counted(n: int, noun: str, plural: str = "") -> str:
    """``n`` and its noun, singular for one and plural otherwise: ``1 run``, ``0 runs``,
    ``3 runs``; ``plural`` where adding an ``s`` does not make it (``1 match``, ``2
    matches``). The one way a message counts things, never ``3 run(s)``."""
    return f"{n} {noun_for(n, noun, plural)}"


def noun_for(n: float, noun: str, plural: str = "") -> str:
    """The noun of :func:`format_counted` without its count, for a message that names the
    things instead (``unknown key 'x'``, ``unknown keys 'x', 'y'``)."""
    return noun if n == 1 else plural or noun + "s"


def format_g(x: float, digits: int = 6) -> str:
    """``x`` as Python's ``g`` writes it to ``digits`` significant figures (no trailing
    zeros), but its exponent as the tables write one: ``4.23e7``, ``1e-6``, not
    ``4.23e+07``, ``1e-06``. The one way a message writes a number that may reach exponent
    form; ``nan`` and ``inf`` as Python writes them."""
    mantissa, sep, exponent = f"{x:.{digits}g}".partition("e")
    return f"{mantissa}e{int(exponent)}" if sep else mantissa


def format_column(values: Sequence[float], digits: int = 3) -> list[str]:
    """The numbers of one table column, each as :func:`format_g` writes it to ``digits``
    significant figures, but with its trailing zeros kept up to the most decimals another
    of the column shows: ``2.00`` beside ``7.17`` (not ``2``), ``20`` beside ``30``, and
    ``2.08`` beside ``0.703`` as they are (never more figures than ``digits``); a value in
    exponent form, or not finite, as :func:`format_g` writes it."""
    shown = [format_g(float(x), digits) for x in values]
    fixed = [t for t in shown if "e" not in t and t.lstrip("-")[:1].isdigit()]
    most = max((len(t.partition(".")[2]) for t in fixed), default=0)
    out = []
    for x, text in zip(values, shown, strict=True):
        if text in fixed:
            own = len(f"{float(x):#.{digits}g}".partition(".")[2])  # its figures' decimals
            text = f"{float(x):.{min(own, most)}f}"
        out.append(text)
    return out


def column_form(values: Iterable[float], digits: int = 3) -> Callable[[float], str]:
    """:func:`format_column` as a form, for a column whose cells are written one at a time
    (a value with its interval's ends, by a table's cell function): each of ``values`` as
    the column of the finite ones writes it, any other number as :func:`format_g` does."""
    finite = [float(v) for v in values if math.isfinite(v)]
    shown = dict(zip(finite, format_column(finite, digits), strict=True))
    return lambda x: shown.get(float(x)) or format_g(float(x), digits)


def format_flops(x: float) -> str:
    """A finite FLOP count: ``5.76e23``, ``1e24``; a small exponent without its padding
    zero (``1.04e7``, ``1e5``, ``2e-5``), as :func:`format_number` writes one."""
    return format_g(x, 3)


def format_loss(x: float) -> str:
    """A loss as every table writes one, to 4 decimals with its trailing zeros
    (``1.8940``), the value and its interval's ends alike; :func:`format_number`'s ``—``
    for NaN."""
    return f"{x:.4f}" if math.isfinite(x) else format_number(x)


def format_gain(x: float) -> str:
    """A difference of losses (a schedule's gain over a baseline; a fit's residual, of log
    losses), signed, to a loss's 4 decimals (``+0.0339``, ``-0.0005``), the value and its
    interval's ends alike;
    :func:`format_number`'s ``—`` for NaN."""
    return f"{x:+.4f}" if math.isfinite(x) else format_number(x)


def format_are(x: float) -> str:
    """A loss curve's absolute relative error (ARE) as a percentage to 3 decimals,
    ``0.137%``: the curve backtest's table, its note of a spike and its report alike."""
    return f"{x:.3%}"


def format_beyond(decades: float, *, unit: str = "dec") -> tuple[str, str]:
    """A distance beyond the data (in decades) as a factor and in decades, ``("x22",
    "1.34 dec")``; ``("inside", "")`` within the data, ``("—", "")`` where unknown (NaN).
    Another ``unit`` (``"span"``: of a variable's fitted range, where the runs took it to 0
    or below) has no factor: ``("", "0.40 span")``."""
    if not math.isfinite(decades):
        return "—", ""
    if decades <= 0:
        return "inside", ""
    if unit != "dec":
        return "", f"{decades:.2f} {unit}"
    if decades >= 6:  # x3e26 rather than 27 digits; from the decades, as 10**400 overflows
        exponent = math.floor(decades)
        mantissa = round(10 ** (decades - exponent), 1)
        if mantissa >= 10:  # 9.96 rounds to 10.0: one more decade
            mantissa, exponent = mantissa / 10, exponent + 1
        return f"x{mantissa:.1f}e{exponent:02d}", f"{decades:.2f} dec"  # as :.1e pads it
    factor = 10**decades
    shown = f"x{factor:,.0f}" if factor >= 10 else f"x{factor:.2g}"
    return shown, f"{decades:.2f} dec"


def format_number(x: float, digits: int = 5) -> str:
    """``x`` to ``digits`` significant figures, scientific when very large or small; ``—``
    for NaN (the CLI's tables and the report's downstream table alike)."""
    if not math.isfinite(x):
        return "—" if math.isnan(x) else str(x)
    a = abs(x)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        mantissa, _, exponent = f"{x:.{digits - 1}e}".partition("e")
        if "." in mantissa:  # no trailing zeros, as in the fixed form (1e-6, not 1.0000e-6)
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    # below 1e5 too few figures still reach exponent form (12345.6 at 4: 1.235e4, never
    # Python's 1.235e+04), written as above
    return format_g(x, digits)


def format_aic(x: float) -> str:
    """An information criterion (AIC, BIC) to one decimal, ``-63.3``: its differences
    between fits are what it says, and a tenth is finer than any that matters; the
    command line, a fit's text and its report card alike."""
    return f"{x:.1f}"


def format_quantity(x: float, column: str) -> str:
    """``x`` as a ``params`` or ``tokens`` count (:func:`format_count`), as ``flops``
    (:func:`format_flops`), or any other column's value to three significant figures."""
    if not math.isfinite(x):
        return str(x)
    if column in ("params", "tokens"):
        return format_count(x)
    return format_flops(x) if column == "flops" else format_g(x, 3)


def join_and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: a list in a message."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def format_level(level: float) -> str:
    """A coverage as a percentage with the digits it has: ``90%``, ``99.9%`` (not ``100%``),
    ``68.3%``; more than 3 digits where 3 would round a share under 1 to ``100%`` (the
    upper end of a 99.9% interval: ``99.95%``)."""
    text = f"{100 * level:.3g}"
    digits = 3
    while 0 < level < 1 and float(text) >= 100 and digits < 17:
        digits += 1
        text = f"{100 * level:.{digits}g}"
    return f"{text}%"


def join_first(items: Sequence[str], most: int) -> str:
    """The first ``most`` items, comma-separated, and ``...`` when there are more."""
    items = list(items)
    return ", ".join(items[:most]) + (", ..." if len(items) > most else "")


def join_more(
    items: Sequence[str], most: int = 5, *, sep: str = ", ", what: str = "", noun: str = ""
) -> str:
    """The first ``most`` items and ``and N more`` when there are more: a list in a message
    that still says how long it is.

    Args:
        items: The items, as they are shown.
        most: How many to show.
        sep: What stands between two items; one other than ``", "`` (``"; "``, for items
            that hold commas themselves) stands before the ``and`` too: ``a; b; and 3 more``
            (``a, b and 3 more`` with commas).
        what: The words after ``more``, as they are (``"(extra.diverged)"``).
        noun: The noun after ``more``, plural past one (``"key"``: ``and 1 more key``,
            ``and 3 more keys``), where ``what`` is not given.
    """
    items = list(items)
    more = len(items) - most
    if more <= 0:
        return sep.join(items)
    before = "" if sep == ", " else sep.rstrip()
    said = f" {what}" if what else f" {noun_for(more, noun)}" if noun else ""
    return f"{sep.join(items[:most])}{before} and {more} more{said}"


#: How many columns an error names before "and N more columns": a wide table (an eval
#: table of 66 columns) would otherwise fill the screen with one message.
COLUMNS_NAMED = 20


def format_columns(names: Iterable[object], most: int = COLUMNS_NAMED) -> str:
    """A table's column names as a message lists them: quoted, the first ``most`` and ``and
    N more columns`` past them."""
    return join_more([repr(str(n)) for n in names], most, noun="column")


def format_infinite(x: float) -> str:
    """An infinite number, ``∞`` or ``-∞`` (a hyphen-minus, as every finite number's sign
    is), the one way the command line and the report write one."""
    return "∞" if x > 0 else "-∞"


def format_interval(lower: float, upper: float, form: Callable[[float], str]) -> str:
    """``[lower, upper]``, each end by ``form`` (an infinite end as
    :func:`format_infinite` writes it), or ``""`` where there is no interval (an end NaN).
    A positive quantity's unbounded interval is ``[0, ∞]``: its 0 is a bound, not a value
    ``form`` would give digits to (``[0.0000, ∞]`` read as a loss of zero)."""
    if math.isnan(lower) or math.isnan(upper):
        return ""
    if lower == 0 and upper == math.inf:
        return f"[0, {format_infinite(upper)}]"

    def end(x: float) -> str:
        return str(form(x)) if math.isfinite(x) else format_infinite(x)

    return f"[{end(lower)}, {end(upper)}]"


def with_article(noun: str) -> str:
    """``noun`` after its indefinite article by its first sound: a word's first letter (``"an
    IsoFLOP result"``, ``"a law comparison"``), a number's first word as said (``"an 80%
    interval"``, ``"an 11% interval"``, ``"a 90% interval"``)."""
    if noun[:1].isdigit():  # eight..., eleven, eighteen: said with a vowel
        whole = noun[: len(noun) - len(noun.lstrip("0123456789"))]
        vowel = whole.startswith("8") or whole in ("11", "18")
    else:
        vowel = noun[:1].lower() in "aeiou"
    return f"{'an' if vowel else 'a'} {noun}"
