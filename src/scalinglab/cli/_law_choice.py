"""The one ``--law`` a fit takes, ``--law auto``, and the comparison of a given law with the
other catalog laws, for ``fit`` and ``report`` alike.

Both come from :func:`scalinglab.validate.choose_law` (rolling-origin cuts on the runs being
fitted); the comparison and its one-line warning are the library's
(:mod:`scalinglab.validate._law_hint`, which Python's ``fit(compare=True)`` uses too).
:func:`pick` is what a command calls: the law to fit, the choice ``auto`` made, or the
comparison started on a thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.laws import Law
    from scalinglab.validate._law_hint import Pending

__all__ = ["AUTO", "auto_law", "auto_line", "one_law", "pick"]

#: The ``--law`` value that asks for a choice.
AUTO = "auto"


def one_law(laws: list[str] | None) -> str:
    """The one ``--law`` a fit takes (Typer would keep the last of several silently)."""
    given = list(dict.fromkeys(laws or ["chinchilla"]))
    if len(given) > 1:
        raise ConfigError(
            f"fit takes one --law, and {len(given)} were given ({', '.join(given)})",
            hint="compare them with scalinglab backtest "
            + " ".join(f"--law {g}" for g in given)
            + ", or choose with --law auto",
        )
    return given[0]


def auto_law(
    table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None = None
) -> Any:
    """The :class:`~scalinglab.validate.LawChoice` for these runs, each candidate reading the
    ``--x`` columns; with too few scales to compare, the first candidate, compared with
    none (:func:`~scalinglab.validate._law_choice.fallback_choice`)."""
    from scalinglab.validate._choose import choose_law

    return choose_law(table, y=y, seed=seed, x=columns or None, fallback=True)


def auto_line(choice: Any) -> str:
    """The line that says what ``--law auto`` compared and which law it chose, and why (the
    note of Python's ``fit('auto')``)."""
    from scalinglab.fit._options import auto_note

    return auto_note(choice)[0]


def pick(
    form: Law | None,
    table: RunTable,
    y: str,
    *,
    seed: int,
    columns: Mapping[str, str] | None,
    compare: bool = True,
) -> tuple[Law, Any, Pending | None]:
    """The law a command fits, and how it came to be that law.

    Args:
        form: The law given with ``--law``, or ``None`` for ``--law auto``.
        table: The runs to fit.
        y: The column holding the loss.
        seed: Seed of the backtests' start subsets.
        columns: ``--x`` symbols, as :func:`scalinglab.laws.get_law` takes them.
        compare: For a given law, start :func:`~scalinglab.validate._law_hint.hint` on a
            thread (``.result()`` or ``.recorded(result)`` after the fit).

    Returns:
        ``(law, choice, pending)``: with ``auto`` the law chosen and its
        :class:`~scalinglab.validate.LawChoice` (no comparison: it is the comparison);
        otherwise ``form``, ``None`` and the running comparison (``None`` when not asked).

    Raises:
        DataError: With ``auto``, when no candidate law can be fitted below the cuts.
    """
    if form is None:
        from scalinglab.laws import get_law

        choice = auto_law(table, y, seed=seed, columns=columns)
        return get_law(choice.chosen, columns=columns), choice, None
    from scalinglab.validate._law_hint import hint_in_background

    pending = (
        hint_in_background(form.name, table, y, seed=seed, columns=columns) if compare else None
    )
    return form, None, pending
