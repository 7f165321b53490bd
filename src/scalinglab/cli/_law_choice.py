"""The one ``--law`` a fit takes, ``--law auto``, and the one-line hint when another
catalog law backtests clearly better, for ``fit`` and ``report`` alike.

Both come from :func:`scalinglab.validate.choose_law` (rolling-origin cuts on the runs being
fitted); the hint is only looked for when the fitted law is itself one of the candidates
for the runs' columns (a user's formula is the user's choice). :func:`pick` is what a command
calls: the law to fit, the choice ``auto`` made, or the comparison started on a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError, ScalingLabError

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.laws import Law

__all__ = [
    "AUTO",
    "Pending",
    "auto_law",
    "auto_line",
    "hint",
    "hint_in_background",
    "one_law",
    "pick",
    "with_hint",
]

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
    ``--x`` columns (raises if none can be made)."""
    from scalinglab.validate._choose import choose_law

    return choose_law(table, y=y, seed=seed, x=columns or None)


def auto_line(choice: Any) -> str:
    """The line that says what ``--law auto`` compared and which law it chose, and why."""
    return f"law auto chose {choice.chosen}: {choice.reason}"


def with_hint(result: Any, line: str | None) -> Any:
    """The fit with :func:`hint`'s line among its warnings, as ``fit`` prints it: saved with
    the fit, so ``predict --fit`` and ``plan --fit`` repeat it, and the fit is not
    ``trusted``."""
    if not line:
        return result
    from dataclasses import replace

    return replace(result, warnings=(*result.warnings, line))


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
        compare: For a given law, start :func:`hint` on a thread (``.result()`` after the fit).

    Returns:
        ``(law, choice, pending)``: with ``auto`` the law chosen and its
        :class:`~scalinglab.validate.LawChoice` (no comparison: it is the comparison);
        otherwise ``form``, ``None`` and the running comparison (``None`` when not asked).

    Raises:
        DataError: With ``auto``, when the runs have too few scales to compare laws.
    """
    if form is None:
        from scalinglab.laws import get_law

        choice = auto_law(table, y, seed=seed, columns=columns)
        return get_law(choice.chosen, columns=columns), choice, None
    pending = (
        hint_in_background(form.name, table, y, seed=seed, columns=columns) if compare else None
    )
    return form, None, pending


class Pending:
    """:func:`hint` running on a thread of its own (a plain thread: ``concurrent.futures``
    and the ``logging`` it loads cost a few ms of start-up for one call)."""

    def __init__(
        self, law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None
    ) -> None:
        self._value: tuple[str | None, Any] = (None, None)
        self._error: BaseException | None = None
        # what the thread and the fit beside it both load, loaded here first: two threads
        # importing one module at once may see it partly initialised (an ImportError)
        import scalinglab.fit
        import scalinglab.validate._choose  # noqa: F401

        self._thread = threading.Thread(
            target=self._run, args=(law, table, y, seed, columns), name="scalinglab-law-choice",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def _run(
        self, law: str, table: RunTable, y: str, seed: int, columns: Mapping[str, str] | None
    ) -> None:
        try:
            self._value = hint(law, table, y, seed=seed, columns=columns)
        except BaseException as err:  # raised again by result()
            self._error = err

    def result(self) -> tuple[str | None, Any]:
        """Wait for the hint; what :func:`hint` returned, or raise what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def hint_in_background(
    law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None = None
) -> Pending:
    """:func:`hint` started on a thread, so that it runs while the law is fitted: its cut
    fits and the fit's compiled solves release the GIL, and the Python between them
    overlaps. Same result as :func:`hint` (nothing in it depends
    on timing); ``.result()`` waits for it and raises what it raised."""
    return Pending(law, table, y, seed=seed, columns=columns)


def hint(
    law: str, table: RunTable, y: str, *, seed: int, columns: Mapping[str, str] | None = None
) -> tuple[str | None, Any]:
    """``(line, choice)``: a line naming a clearly better law, or ``None``; and the choice."""
    from scalinglab.validate._choose import CANDIDATES, CLEARLY_BETTER, choose_law

    if not any(law in laws for laws in CANDIDATES.values()):
        return None, None
    try:
        choice = choose_law(table, y=y, seed=seed, x=columns or None)
    except ScalingLabError:  # too few scales to compare: nothing to say
        return None, None
    better = choice.better_than(law)
    if better is None:
        return None, choice
    mine, best = choice.scores[law], choice.scores[better]
    line = (
        f"law {better!r} backtests clearly better on these runs (median extrapolation error "
        f"{best:.2%} against {mine:.2%} for {law!r}, under {CLEARLY_BETTER:.0%} of it); "
        f"try --law {better} or --law auto"
    )
    return line, choice
