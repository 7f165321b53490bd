"""What a backtest is asked, checked before it fits: enough runs on the fit side of the split,
resamples enough to score an interval (or none), and options :func:`scalinglab.fit` takes,
named for the function the user called."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import isfinite
from typing import Any

from scalinglab._checks import given
from scalinglab._defaults import BOOTSTRAP
from scalinglab._deprecated import renamed_robust_loss
from scalinglab._errors import ConfigError
from scalinglab._format import format_level, with_article
from scalinglab.fit import fit
from scalinglab.laws import Law
from scalinglab.laws._registry import law_class_error
from scalinglab.validate._fit_side import check_fit_side

__all__ = [
    "FEWEST_RESAMPLES",
    "FIT_OPTIONS",
    "LAWS",
    "ONE_LAW",
    "UNSCORED_NOTE",
    "check_backtest_bootstrap",
    "check_fit_side",
    "fit_options_named",
    "interval_ends",
    "law_list",
    "report_resamples",
]

#: Fewest resamples a scored interval needs: under 20, no resample lies beyond a 90%
#: interval's ends (the 5th and 95th percentiles).
FEWEST_RESAMPLES = 20

#: A backtest's note when it draws no intervals (``bootstrap=0``).
UNSCORED_NOTE = (
    "coverage not scored: with no bootstrap (bootstrap=0, --bootstrap 0) the predictions "
    "are points, with no intervals for the held-out runs to fall in; the errors are scored"
)


def interval_ends(level: object = 0.9) -> str:
    """``a 90% interval's ends (the 5th and 95th percentiles)``: the interval whose ends too
    few resamples cannot place, at ``level`` (one fraction or several: the widest, whose ends
    lie furthest out). A level that is no fraction strictly between 0 and 1 (refused by the
    caller's own check) is read as the default, 0.9."""
    given = [level] if isinstance(level, int | float) else level
    fractions = [
        float(lv)
        for lv in (given if isinstance(given, Iterable) and not isinstance(given, str) else ())
        if isinstance(lv, int | float) and not isinstance(lv, bool) and isfinite(lv) and 0 < lv < 1
    ]
    widest = max(fractions, default=0.9)
    tail = format_level((1 - widest) / 2).removesuffix("%")
    head = format_level((1 + widest) / 2).removesuffix("%")
    return with_article(
        f"{format_level(widest)} interval's ends (the {_ordinal(tail)} and "
        f"{_ordinal(head)} percentiles)"
    )


def _ordinal(number: str) -> str:
    """``5th``, ``1st``, ``2.5th``, ``12th``, ``22nd``: a percentile's rank in words."""
    last = number[-1]
    if "." in number or number[-2:] in ("11", "12", "13") or last not in "123":
        return f"{number}th"
    return number + {"1": "st", "2": "nd", "3": "rd"}[last]


def check_backtest_bootstrap(
    bootstrap: object,
    *,
    option: str = "bootstrap=",
    default: int = BOOTSTRAP,
    level: object = 0.9,
) -> None:
    """Refuse 1 to 19 resamples for a backtest, which scores its intervals' coverage: too
    few to place their ends. 0 is a point-only backtest (errors scored, coverage NaN, said
    in a note: :data:`UNSCORED_NOTE`); anything else is :func:`scalinglab.fit`'s to judge.
    ``option`` names it as the caller wrote it (``--bootstrap`` on the command line), and
    ``default`` is the caller's default resamples, the hint's first choice (a downstream
    backtest's is ``DOWNSTREAM_BOOTSTRAP``); ``level`` is the coverage (or coverages) it
    scores, the interval the message names (:func:`interval_ends`)."""
    number = isinstance(bootstrap, int | float) and not isinstance(bootstrap, bool)
    if not (number and 0 < bootstrap < FEWEST_RESAMPLES):  # type: ignore[operator]
        return

    def said(value: object) -> str:
        return f"{option}{value}" if option.endswith("=") else f"{option} {value}"

    raise ConfigError(
        f"{said(bootstrap)}: a backtest scores its intervals' coverage, and under "
        f"{FEWEST_RESAMPLES} resamples cannot place {interval_ends(level)}",
        hint=f"{said(default)} (the default), at least {FEWEST_RESAMPLES}, or {said(0)} "
        "for point predictions (errors, no coverage)",
    )


def report_resamples(bootstrap: int, *, level: object = 0.9) -> tuple[int, str]:
    """The resamples a report's backtest draws from its fit's ``bootstrap``, and why its
    coverage is not scored (``""`` where it is): the one rule of ``report``'s backtest
    section and ``downstream report --holdout``'s.

    A report is a view of a fit the user asked for, not a backtest asked for by itself: 1 to
    19 resamples, which :func:`check_backtest_bootstrap` refuses to a backtest (too few to
    place a scored interval's ends), give a point-only backtest with the reason, rather
    than no page, as a fit with them warns rather than refuses (its estimates do not depend
    on the resamples). 0 stays 0, said as a point fit's backtest is (:data:`UNSCORED_NOTE`).
    ``level`` is the fit's coverage, the interval the reason names (:func:`interval_ends`).
    """
    if not 0 < bootstrap < FEWEST_RESAMPLES:
        return bootstrap, ""
    return 0, (
        f"the fit's {bootstrap} resamples are under {FEWEST_RESAMPLES}, too few to place "
        f"{interval_ends(level)}, so its backtest predicts points and "
        f"scores their errors; --bootstrap {FEWEST_RESAMPLES} or more scores coverage too"
    )


def _keyword_options(func: Any) -> tuple[str, ...]:
    import inspect

    kind = inspect.Parameter.KEYWORD_ONLY
    return tuple(n for n, p in inspect.signature(func).parameters.items() if p.kind is kind)


#: The options of :func:`scalinglab.fit` a backtest passes on (``loss=``, the old name of
#: ``robust_loss=``, is read but not offered; ``compare=`` is not: a fit on the runs below
#: a cut is not compared with the other laws, which is a full fit's check).
FIT_OPTIONS = tuple(n for n in _keyword_options(fit) if n not in ("loss", "compare"))
#: A backtest of one law given several, as :func:`compare` takes them.
ONE_LAW = "it fits one law: law='chinchilla'; compare(runs, laws=[...]) backtests several"
#: :func:`compare` given one law, as :func:`backtest` takes it.
LAWS = "compare takes laws= (a list), e.g. laws=['chinchilla']"


def fit_options_named(options: Mapping[str, Any], *, caller: str) -> dict[str, Any]:
    """The options ``caller`` passes on to :func:`scalinglab.fit`, ``loss=`` (the old name of
    ``robust_loss=``) read as ``robust_loss=`` with a warning naming ``caller``; its keyword
    check (:func:`~scalinglab._keywords.keywords_checked` with :data:`FIT_OPTIONS`) refused
    the options fit does not take, naming ``caller``."""
    out = dict(options)
    if "loss" in out:
        given = out.pop("loss")
        out["robust_loss"] = renamed_robust_loss(
            out.get("robust_loss"), given, call=f"scalinglab.{caller}", default="huber",
            column="y=COLUMN",
        )  # fmt: skip
    return out


def law_list(laws: object) -> list[str | Law]:
    """The laws :func:`~scalinglab.validate.compare` compares: one name, formula or
    :class:`Law` (never read letter by letter), or a list of them.

    Raises:
        ConfigError: For anything else (``laws=5``, ``laws=[5]``), naming ``laws``, rather
            than Python's ``TypeError`` from iterating it or ``AttributeError`` ``.spec``.
    """
    if isinstance(laws, str | Law):
        return [laws]
    listed = list(laws) if isinstance(laws, Iterable) else None
    for law in listed or [laws]:  # a law's class, its parentheses left out: said so
        if (slip := law_class_error(law)) is not None:
            raise slip
    if listed is None or not all(isinstance(law, str | Law) for law in listed):
        raise ConfigError(
            f"laws must be laws' names, formulas or Law objects, got {given(laws)}",
            hint="e.g. laws=['chinchilla', 'overtraining'] (--law chinchilla --law "
            "overtraining on the command line)",
        )
    return listed
