"""What :func:`scalinglab.fit` is asked to do, checked before any work: the law (``"auto"``
chooses one by backtest, as ``scalinglab fit --law auto``) and the options' types and ranges,
so a wrong type is the library's error naming the option, not NumPy's."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab._checks import check_flag, check_whole
from scalinglab._checks import given as given_value
from scalinglab._defaults import BOOTSTRAP, MAX_ITER
from scalinglab._errors import ConfigError, FitError, check_level
from scalinglab.laws import Conventions, Law, get_law
from scalinglab.laws._registry import law_class_error

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable
    from scalinglab.fit._result import FitResult
    from scalinglab.validate._law_choice import LawChoice
    from scalinglab.validate._law_hint import Pending

__all__ = [
    "AUTO",
    "COMPARE_HINT",
    "agreed",
    "auto_note",
    "check_fit_options",
    "check_law_first",
    "check_points",
    "check_runs_given",
    "check_whole",
    "comparing",
    "no_finite_start",
    "resolve_law",
]

#: What to pass for ``compare=`` given other than True or False.
COMPARE_HINT = (
    "pass compare=False to skip the comparison with the other catalog laws (--no-compare on "
    "the command line)"
)

#: The law that asks :func:`scalinglab.validate.choose_law` to choose.
AUTO = "auto"


def is_auto(law: object) -> bool:
    """Whether ``law`` asks for a choice by backtest."""
    return isinstance(law, str) and law.strip().lower() == AUTO


def check_runs_given(*args: object, **kwargs: object) -> None:
    """Refuse ``fit`` called without its runs (:func:`~scalinglab._keywords.keywords_checked`
    calls it so): runs given alone, where the law goes (``fit(bundled_runs())``), or there
    with the law as a keyword (``fit(df, law="chinchilla")``), as :func:`check_law_first`
    refuses them, or the law or the runs given twice (``fit("chinchilla", law="kaplan",
    runs=df)``), not Python's "missing 'runs'" or "multiple values for argument 'law'".

    Raises:
        ConfigError: Always where the law was given (an absent law is Python's to name).
    """
    if not args and "law" not in kwargs:
        return
    if len(args) > 1 and "runs" in kwargs:  # fit(law, runs, runs=...)
        raise ConfigError(
            "fit(law, runs): the runs are given twice, by position and as runs=",
            hint=f"give them once: fit({args[0]!r}, runs)",
        )
    if args and "law" in kwargs:  # fit(runs, law=...): the runs in the law's place
        check_law_first(args[0], kwargs["law"])
        raise ConfigError(
            f"fit(law, runs): the law is given twice, {args[0]!r} first and law={kwargs['law']!r}",
            hint="give the law once, then the runs: fit('chinchilla', runs)",
        )
    law = args[0] if args else kwargs["law"]
    check_law_first(law, None)
    raise ConfigError(
        "fit(law, runs): no runs given",
        hint="pass them second: fit('chinchilla', runs), runs a RunTable, a DataFrame or a "
        "run file's path (scalinglab.bundled_runs() for the bundled runs)",
    )


def check_law_first(law: object, runs: object) -> None:
    """Refuse runs given where the law goes: ``fit(runs, law)`` read the runs' path as a
    formula ("cannot parse formula '/.../runs.csv'") or printed a whole DataFrame.

    Raises:
        ConfigError: ``law`` is a :class:`RunTable`, a DataFrame, runs as plain data (a
            mapping of columns, a list of records: named so, never printed), or a file's
            path (a law's name or formula holds no ``.`` or ``/`` that an existing file's
            path would),
            and ``runs`` is no table (the command line reads its runs first: never so);
            ``runs`` ``None``: not given, the law's place holding them.
    """
    from scalinglab.data._plain_runs import plain_kind
    from scalinglab.data._readers import is_frame
    from scalinglab.data._table import RunTable

    if isinstance(runs, RunTable) or is_frame(runs) or plain_kind(runs) is not None:
        return  # runs where runs go: a law that is no law is resolve_law's to refuse
    if isinstance(law, RunTable) or is_frame(law):
        given = f"a {type(law).__name__}"
    elif plain_kind(law) is not None:  # a dict of columns, a list of records: named, not shown
        given = str(plain_kind(law))
    elif isinstance(law, str | os.PathLike) and os.path.isfile(law):
        path = os.fspath(law)
        if isinstance(law, str) and not any(c in path for c in "./" + os.sep):
            return  # a law's name that is a file here too: the law
        given = f"the file {path!r}"
    else:
        return
    law_given = runs if isinstance(runs, str | Law) else "chinchilla"
    named = repr(law_given) if isinstance(law_given, str) else "law"
    runs_named = repr(os.fspath(law)) if isinstance(law, str | os.PathLike) else "runs"
    if runs is None:  # fit(runs): the runs alone, in the law's place
        raise ConfigError(
            f"fit(law, runs): the law comes first, and the only argument is {given}",
            hint=f"the law comes first: fit({named}, {runs_named})",
        )
    raise ConfigError(
        f"fit(law, runs): the law comes first, and the first argument is {given}",
        hint=f"swap them: fit({named}, {runs_named})",
    )


def resolve_law(
    law: object, table: RunTable | None, *, x: Mapping[str, str] | None, y: str, seed: int
) -> tuple[Law, LawChoice | None]:
    """The law to fit, and for ``"auto"`` the choice (its line, :func:`auto_note`, says what
    was compared and chosen).

    Raises:
        ConfigError: ``law`` is not a name, a formula or a :class:`Law`.
        DataError: With ``"auto"``, runs whose every candidate law fails below the cuts
            (too few scales for a cut fits the first candidate, said in the choice's line).
    """
    if is_auto(law):
        assert table is not None  # read first: the choice backtests the runs
        from scalinglab.validate._choose import choose_law

        choice = choose_law(table, y=y, seed=seed, x=x, fallback=True)
        return get_law(choice.chosen, columns=x), choice
    if (slip := law_class_error(law)) is not None:
        raise slip
    if not isinstance(law, str | Law):
        raise ConfigError(
            f"law must be a law's name, a formula or a Law, got {given_value(law)}",
            hint="e.g. fit('chinchilla', runs), fit('E + A*C**-alpha', runs) or fit('auto', runs)",
        )
    return get_law(law, columns=x), None


def agreed(
    result: FitResult,
    choice: LawChoice | None,
    table: RunTable,
    *,
    x: Mapping[str, str] | None,
    max_iter: int = MAX_ITER,
    threads: int | None = None,
) -> FitResult:
    """``result``, and for ``"auto"`` (``choice`` given) with a warning for each law the
    backtests could not tell from it that plans another N*
    (:func:`scalinglab.validate._unsettled.check_allocation`)."""
    if choice is None:
        return result
    from scalinglab.validate._unsettled import check_allocation

    return check_allocation(result, choice, table, x=x, max_iter=max_iter, threads=threads)


def comparing(
    law: Law, table: RunTable, *, x: Mapping[str, str] | None, y: str, seed: int
) -> Pending | None:
    """The comparison of a given catalog law with the others started on a thread
    (:func:`scalinglab.validate._law_hint.hint_in_background`), or ``None`` for a law that
    is none (a formula, a preset): ``fit(compare=True)``, as ``scalinglab fit --compare``."""
    from scalinglab.validate._law_hint import comparable, hint_in_background

    if not comparable(law.name):
        return None
    return hint_in_background(law.name, table, y, seed=seed, columns=x)


def check_points(law: Law, **points: Any) -> None:
    """Refuse start points (``starts=``, ``bootstrap_pool=``: ``(S, K)`` arrays) whose
    columns are not the law's parameters, naming the option."""
    for name, given in points.items():
        if given.shape[1] != len(law.params):
            raise ConfigError(
                f"{name} must have {len(law.params)} columns ({', '.join(law.param_names)})"
            )


def no_finite_start(law: Law, n_starts: int, why: str) -> FitError:
    """The error of a fit whose every start failed (``why``: the solver's status message),
    with where to see the starts tried and how to give others (``starts=``; the command
    line takes none)."""
    names = ", ".join(law.param_names)
    fitted = [f"log {p.name}" if p.positive else p.name for p in law.params]
    return FitError(
        f"every one of the {n_starts} starts failed for law {law.name!r}: {why}",
        hint="check that the loss column holds losses and that the law suits the data; the "
        f"starts tried: scalinglab laws {law.spec!r}; to start elsewhere (Python only): "
        f"fit(..., starts=[[{names}]]), one row per start, in the fitted space "
        f"({', '.join(fitted)})",
    )


def auto_note(choice: LawChoice | None) -> list[str]:
    """The note that says what ``"auto"`` compared and chose (none for a law given)."""
    if choice is None:
        return []
    if choice.fallback:  # nothing compared: the reason says why, and how to choose
        return [f"law auto compared no laws: {choice.reason}"]
    return [f"law auto chose {choice.chosen}: {choice.reason}"]


def check_fit_options(
    *,
    space: str,
    level: float,
    bootstrap: int | None,
    seed: int,
    threads: int | None = None,
    bootstrap_starts: int = 6,
    max_iter: int = MAX_ITER,
    compare: bool = True,
    conventions: object = None,
) -> None:
    """Refuse an option of the wrong type or out of range, naming it (the defaults: those
    of :func:`scalinglab.fit`, for a command that takes no such option).

    Raises:
        ConfigError: For the first such option.
    """
    if space not in ("log", "linear"):
        raise ConfigError(f"space must be 'log' or 'linear', got {space!r}")
    check_level(level)
    if bootstrap is not None:  # None: fit's default (scalinglab.fit._resamples.drawn)
        check_whole("bootstrap", bootstrap, least=0, example=BOOTSTRAP)
    check_whole("bootstrap_starts", bootstrap_starts, least=1, example=8, flag=False)
    check_whole("seed", seed, least=0, example=0)
    # --max-iter and --threads are fit's alone, and its parser bounds them: the keyword only
    check_whole("max_iter", max_iter, least=1, example=200, flag=False)
    if threads is not None:
        check_whole("threads", threads, least=1, example=2, flag=False)
    check_flag("compare", compare, hint=COMPARE_HINT)  # "no" is truthy: it would compare
    if conventions is not None and not isinstance(conventions, Conventions):
        raise ConfigError(
            f"conventions must be a scalinglab.Conventions, got {type(conventions).__name__} "
            f"{conventions!r}",
            hint="build one, e.g. scalinglab.Conventions(params='non-embedding'), or leave it "
            "out to record what the data's columns say",
        )
