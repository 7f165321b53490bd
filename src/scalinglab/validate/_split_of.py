"""The runs a backtest splits: read as :func:`scalinglab.fit` reads them (``where=``,
``drop_outliers=``, ``best_per_cell=``) and split by its hold-out rule, or a
:class:`~scalinglab.validate._split.Split` given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab.data._readers import RunsLike, read_for
from scalinglab.laws import Law
from scalinglab.validate._split import Split, law_scale, split_runs

__all__ = ["spec_of", "split_of"]


def split_of(
    runs: RunsLike,
    holdout: str | Split,
    *,
    fit_on: str | None,
    x: Mapping[str, str] | None,
    y: str,
    drop_outliers: bool = False,
    best_per_cell: bool = False,
    call: str = "backtest",
    where: object = None,
    laws: Sequence[Law | str] = (),
) -> Split:
    """The split a backtest asks for: ``holdout`` as it is when a :class:`Split`, else the
    runs read (``drop_outliers``, ``best_per_cell`` and ``where`` as :func:`scalinglab.fit`
    reads them: the held-out runs are chosen among the runs kept) and split by the rules, on the scale
    axis of ``laws`` (:func:`~scalinglab.validate._split.law_scale`; with ``"auto"`` among
    them, the runs' size), a ``fit_on`` rule sized by the law of most parameters."""
    from scalinglab.data._where_rows import as_where

    kept = as_where(where)  # type: ignore[arg-type]
    if not isinstance(holdout, Split):
        table = read_for(call, runs, x=x, y=y, drop_outliers=drop_outliers, where=kept,
                         best_per_cell=best_per_cell)  # fmt: skip
        forms = [law for law in laws if isinstance(law, Law)]  # "auto": no axis of its own
        scale = law_scale(forms, table, x) if len(forms) == len(laws) else None
        return split_runs(table, holdout, fit_on=fit_on, scale=scale, laws=laws, x=x)
    if kept and not _all_kept(holdout, kept):  # where would narrow the fitted side alone
        raise ConfigError(
            "where= keeps runs before a hold-out rule splits them, and holdout is a Split "
            "whose runs it would narrow",
            hint="narrow the runs before making the Split: split_runs(runs.where(...), ...)",
        )
    if fit_on is not None:  # a Split has chosen its fitted runs already
        raise ConfigError(
            f"fit_on={fit_on!r} applies to a hold-out rule, and holdout is a Split already",
            hint="make the Split with split_runs(runs, holdout, fit_on=...), or give holdout "
            "as a rule",
        )
    return holdout


def spec_of(law: str | Law) -> str:
    return law if isinstance(law, str) else law.spec


def _all_kept(split: Split, where: tuple[tuple[str, str], ...]) -> bool:
    """Whether every run of ``split`` (fitted and held out) meets ``where`` (a split made of
    the runs ``where`` kept, as :func:`compare` hands its backtests)."""
    for side in (split.fitted, split.held_out):
        kept = side
        for column, value in where:
            kept = kept.where(column, value)
        if len(kept) != len(side):
            return False
    return True
