"""Law comparison: several laws backtested on the same split, side by side, and a winner.

::

    cmp = compare(runs, laws=["chinchilla", "kaplan", "E + A*C**-alpha"], holdout="largest:7")
    cmp.winner.law, cmp.reason      # on simulated_runs(): "chinchilla", "median ARE 1.14%, the lowest"

Each row holds the held-out error and coverage, AIC/BIC of the fit (comparable because every
law is fitted to the same runs with the same loss and residual space), the parameters that
ended at a bound, and how stable each exponent is across the bootstrap resamples: its
interquartile range over the absolute median, so ``0.05`` means the middle half of the
resamples spans 5% of the exponent's value. An exponent that swings by tens of percent between
resamples is not identified by the data, whatever its point value.

The winner rule (:mod:`._winner`, the one place it is decided): among the fits that converged,
the laws their fitted runs identify first, the lowest median held-out ARE; laws within
:data:`TIE_RTOL` of the best count as tied, and the tie goes to the fewest coefficients: the
rule ``--law auto`` applies (:mod:`._tie` says why not the lowest BIC). A law not identified
wins only where no identified law converged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from scalinglab._defaults import BOOTSTRAP
from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked, methods_checked
from scalinglab._progress import resolve_progress
from scalinglab.data._readers import RunsLike, xy_columns
from scalinglab.fit._options import is_auto
from scalinglab.laws import Law, get_law
from scalinglab.validate import _repr
from scalinglab.validate._backtest import Backtest, backtest, split_of
from scalinglab.validate._choose_inputs import auto_laws
from scalinglab.validate._compare_kept import NOT_RUN, ComparisonParts
from scalinglab.validate._compare_labels import _of_law, _stage
from scalinglab.validate._exponent_spread import exponent_spread
from scalinglab.validate._guards import (
    FIT_OPTIONS,
    LAWS,
    check_backtest_bootstrap,
    fit_options_named,
    law_list,
)
from scalinglab.validate._old_names import ComparisonAliases, LawScoreAliases
from scalinglab.validate._savable import Savable
from scalinglab.validate._score import scored_levels
from scalinglab.validate._split import Split, split_fields
from scalinglab.validate._tie import TIE_RTOL
from scalinglab.validate._winner import RULE, pick_winner

if TYPE_CHECKING:
    from scalinglab.validate._rolling import Rolling

__all__ = ["TIE_RTOL", "Comparison", "LawScore", "compare", "exponent_spread"]

Progress = Callable[[str, int, int], None]


@old_fields(n_params="n_coefs")
@dataclass(frozen=True)
class LawScore(LawScoreAliases):
    """One law's row of the comparison.

    Attributes:
        law: The law as given.
        backtest: Its backtest on the shared split.
        n_coefs: How many coefficients the law fits (``n_params`` before: deprecated).
        aic: AIC of the fit on the fitted runs.
        bic: BIC of the fit on the fitted runs.
        at_bound: Parameters at a bound.
        exponent_spread: Exponent name -> IQR / |median| over the bootstrap resamples.
        ok: Whether the fit converged.
    """

    law: str
    backtest: Backtest
    n_coefs: int
    aic: float
    bic: float
    at_bound: tuple[str, ...]
    exponent_spread: Mapping[str, float]
    ok: bool

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.law_score(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The law's scores as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "law": self.law,
            "n_coefs": self.n_coefs,
            "n_params": self.n_coefs,  # the old key, kept one release
            "aic": self.aic,
            "bic": self.bic,
            "at_bound": list(self.at_bound),
            "exponent_spread": dict(self.exponent_spread),
            "ok": self.ok,
            "backtest": self.backtest.to_dict(),
        }


@methods_checked()
@old_fields(scores="laws")
@dataclass(frozen=True)
class Comparison(ComparisonAliases, ComparisonParts, Savable):
    """Laws compared on one split; ``cmp.save(path)`` keeps it, ``Comparison.load(path)``
    reads it back whole (every law's backtest and fit, and what ``scalinglab backtest``
    adds: :attr:`baselines` and the winner's :attr:`rolling` backtest).

    Attributes:
        split: The shared split.
        laws: One row per law, in the order given (``"laws"`` in the JSON; ``scores``: deprecated).
        winner: The row the rule picks, or ``None``; the JSON's ``"winner"`` is its ``law``.
        rule: The rule, in words.
        reason: Why the winner won, in words.
        notes: What the comparison read the laws as (``"auto"``: its candidates).

    :attr:`warnings` gathers the backtests' own; :meth:`with_rolling` adds the rolling-origin
    backtest and baselines (:mod:`._compare_kept` reads them).
    """

    split: Split
    laws: tuple[LawScore, ...]
    winner: LawScore | None
    rule: str
    reason: str
    notes: tuple[str, ...] = ()
    _baselines: tuple[Backtest, ...] | None = field(default=(), repr=False)
    _rolling: Rolling | str = field(default=NOT_RUN, repr=False)

    def with_rolling(
        self, rolling: Rolling | None, *, baselines: Sequence[Backtest] = (), why: str = NOT_RUN
    ) -> Comparison:
        """This comparison holding ``rolling`` and ``baselines``, which :meth:`save` keeps.

        Args:
            rolling: The winner's rolling-origin backtest on :attr:`split`, or ``None``.
            baselines: Baselines scored on :attr:`split` (``baseline_backtest``).
            why: Why there is no rolling backtest, where ``rolling`` is ``None``: what
                :attr:`rolling` says when asked for it.

        Returns:
            A new comparison; this one is unchanged.
        """
        return replace(self, _baselines=tuple(baselines),
                       _rolling=why if rolling is None else rolling)  # fmt: skip

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.comparison(self)

    def _repr_html_(self) -> str:  # a notebook: the tables `scalinglab backtest` prints
        from scalinglab.validate._html_view import comparison_html

        return comparison_html(self)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every law's :attr:`Backtest.warnings`, once each (the split's are every law's),
        a fit's named by its law where several were compared (``fit (kaplan): ...``)."""
        several = len(self.laws) > 1
        said = [_of_law(w, s.law) if several else w for s in self.laws for w in s.backtest.warnings]
        return tuple(dict.fromkeys(said))

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The comparison as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            **split_fields(self.split),
            "rule": self.rule,
            "winner": None if self.winner is None else self.winner.law,  # its name: a row's "law"
            "reason": self.reason,
            "laws": [s.to_dict() for s in self.laws],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            # the winner's rolling steps, as backtest --out writes them at its top level (null:
            # none run, or a file written before they were kept), so a load's to_dict agrees
            "rolling": self.rolling.to_dict() if self.has_rolling else None,
            # the baselines' summaries, as backtest --out writes them; none kept (compare(),
            # or a file written before they were kept whole): []
            "baselines": [b.to_dict() for b in self._baselines or ()],
        }


@keywords_checked(
    "scalinglab.compare",
    also=FIT_OPTIONS,
    deprecated=("loss", "levels"),
    hints={"law": LAWS, "laws": LAWS},
)
def compare(
    runs: RunsLike,
    *,
    laws: Sequence[str | Law],
    holdout: str | Split = "top-decile",
    fit_on: str | None = None,
    level: float | Sequence[float] | None = None,
    bootstrap: int = BOOTSTRAP,
    seed: int = 0,
    drop_outliers: bool = False,
    progress: Progress | bool | None = None,
    levels: Sequence[float] | None = None,
    **fit_options: Any,
) -> Comparison:
    """Backtest several laws on the same split and pick a winner.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by :func:`read_runs`.
        laws: Law names or formulas (at least one; duplicates are refused); ``"auto"``
            stands for the candidates ``--law auto`` chooses among for the runs
            (``chinchilla``, ``overtraining``, ``kaplan`` for runs with params and tokens),
            backtested side by side, which a note says.
        holdout: A hold-out rule or a :class:`Split`, shared by all laws.
        fit_on: A rule for the runs to fit on (``--fit-on``), as in :func:`backtest`.
        level: Nominal coverage(s) of the intervals scored, as ``--level`` (default 0.5,
            0.8 and 0.9).
        bootstrap: Resamples per law (the exponent spread needs at least ~50): at least
            20, or 0 for point predictions only (errors scored, coverage NaN).
        seed: Seed of every bootstrap (the same resamples for every law).
        drop_outliers: Drop runs that look diverged as ``runs`` are read (``--drop-outliers``).
        progress: Called as ``progress(stage, done, total)``; stage names the law. ``True``
            prints a line per stage on stderr (from Python, where no bar is drawn).
        levels: Deprecated name of ``level`` (one release).
        **fit_options: Passed on to :func:`scalinglab.fit` (``robust_loss=``, ``delta=``...).

    Returns:
        A :class:`Comparison`: a row per law (``.laws``), the ``.winner`` and why (``.reason``).

    Raises:
        ConfigError: For no laws, a repeated law, a bad hold-out rule, 1 to 19 resamples.
    """
    progress = resolve_progress(progress)  # True: a text line on stderr
    fit_options = fit_options_named(fit_options, caller="compare")
    scored_at = scored_levels(level, levels, caller="compare")
    check_backtest_bootstrap(bootstrap, level=scored_at)
    laws = law_list(laws)  # one law, not its letters; laws=5 refused
    specs = [law if isinstance(law, str) else law.spec for law in laws]
    if not specs:
        raise ConfigError(
            "compare needs at least one law",
            hint="e.g. --law chinchilla (laws=['chinchilla'] in Python)",
        )
    repeated = sorted({s for s in specs if specs.count(s) > 1})
    if repeated:
        raise ConfigError(
            f"law {repeated[0]!r} is given twice", hint="give each --law (laws= in Python) once"
        )
    x, y = xy_columns(fit_options.pop("x", None), fit_options.pop("y", "loss"))
    # a misspelt law fails before the runs are read; auto's candidates are laws of N and D
    forms = [get_law(law, columns=x) for law in laws if not is_auto(law)]
    split = split_of(
        runs, holdout, fit_on=fit_on, x=x, y=y, drop_outliers=drop_outliers, call="compare",
        where=fit_options.get("where"), laws=forms if len(forms) == len(laws) else [*forms, "auto"],
    )  # fmt: skip
    laws, auto_note = auto_laws(laws, split.fitted, x)
    specs = [law if isinstance(law, str) else law.spec for law in laws]
    scores = []
    for spec, law in zip(specs, laws, strict=True):
        stage = None if progress is None else _stage(progress, spec)
        bt = backtest(
            split.fitted,
            law=law,
            holdout=split,
            level=scored_at,
            bootstrap=bootstrap,
            seed=seed,
            x=x,
            y=y,
            progress=stage,
            **fit_options,
        )
        scores.append(_score(spec, bt))
    winner, reason = pick_winner(scores)
    notes = (auto_note,) if auto_note else ()
    return Comparison(split, tuple(scores), winner, RULE, reason, notes)


def _score(spec: str, bt: Backtest) -> LawScore:
    result = bt.fit
    assert result is not None  # a scalinglab backtest always carries its fit
    return LawScore(law=spec, backtest=bt, n_coefs=len(result.coefs), aic=result.aic,
                    bic=result.bic, at_bound=result.at_bound,
                    exponent_spread=exponent_spread(result), ok=result.ok)  # fmt: skip
