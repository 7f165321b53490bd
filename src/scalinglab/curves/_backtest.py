"""Backtesting a curve law on held-out schedules: fit on some curves, predict the others.

::

    backtest_curves(curves, train=["cosine_24000", "constant_24000", "wsdcon_9"])
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from typing_extensions import deprecated

from scalinglab._defaults import MAX_ITER
from scalinglab._deprecated import old_fields
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress
from scalinglab.curves import _repr
from scalinglab.curves._caveats import assumed
from scalinglab.curves._data import Curve
from scalinglab.curves._diagnostics import held_out_sizes
from scalinglab.curves._fit_curves import fit_curves
from scalinglab.curves._given_warmup import contradicted
from scalinglab.curves._reading import Reading, given_curves
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._result import CurveFit
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._spike import spike_note
from scalinglab.curves._train_split import not_read, split_train
from scalinglab.data._where_rows import Where, as_where

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMAT", "CurveBacktest", "backtest_curves", "not_read"]

#: The "format" of :meth:`CurveBacktest.to_dict`, which ``curves backtest --json`` prints and
#: ``--out`` saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.curves_backtest/1"


@old_fields(runs="held_out_runs", mean_error="mean_are", worst_error="max_are")
@dataclass(frozen=True)
class CurveBacktest:
    """Errors of a curve law fitted on some curves and predicting the others.

    Attributes:
        fit: The fit on the training curves.
        held_out_runs: The held-out curves' run names, in the order of :attr:`mean_are`
            and :attr:`max_are` (as :attr:`DownstreamBacktest.held_out_runs` names its
            held-out models; ``runs``, their old name, reads them for one release with a
            DeprecationWarning: a fit's ``runs`` are the runs it fitted).
        mean_are: Mean absolute relative error over each held-out curve's logged points, as
            a loss backtest's summary names it (it was ``mean_error``: deprecated).
        max_are: Largest absolute relative error on each, as a loss backtest's ``max_are``
            (it was ``worst_error``: deprecated).
        notes: What reading the held-out curves assumed (a warm-up reconstructed, a step
            change placed): they are predicted under those schedules; then each held-out
            curve whose max ARE one point or a few drive (a spike: more than 5x its 99th
            percentile error), with its mean ARE without them.
        warnings: Reasons not to trust the errors: the fit's warnings, then the backtest's
            own (held-out curves of a size the one-size law was not fitted on, whose errors
            measure the size gap); :meth:`own_warnings` gives the latter alone.
    """

    fit: CurveFit
    held_out_runs: tuple[str, ...]
    mean_are: tuple[float, ...]
    max_are: tuple[float, ...]
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def own_warnings(self) -> tuple[str, ...]:
        """The backtest's warnings that are not its fit's (the report's fit section says
        those).

        Returns:
            Those warnings, in :attr:`warnings`' order.
        """
        return tuple(w for w in self.warnings if w not in self.fit.warnings)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    @property
    @deprecated(
        "CurveBacktest.runs is deprecated and goes in the next release: use "
        'CurveBacktest.held_out_runs (the held-out curves\' run names, "held_out_runs" in '
        "its JSON; a fit's runs are the runs it fitted)",
        category=DeprecationWarning,
    )
    def runs(self) -> tuple[str, ...]:
        """Deprecated alias of :attr:`held_out_runs` (one release)."""
        return self.held_out_runs

    @property
    @deprecated(
        "CurveBacktest.mean_error is deprecated and goes in the next release: use "
        "CurveBacktest.mean_are (the mean absolute relative error, as a loss backtest names it)",
        category=DeprecationWarning,
    )
    def mean_error(self) -> tuple[float, ...]:
        """Deprecated alias of :attr:`mean_are` (one release)."""
        return self.mean_are

    @property
    @deprecated(
        "CurveBacktest.worst_error is deprecated and goes in the next release: use "
        "CurveBacktest.max_are (the largest absolute relative error, as a loss backtest's "
        "max_are)",
        category=DeprecationWarning,
    )
    def worst_error(self) -> tuple[float, ...]:
        """Deprecated alias of :attr:`max_are` (one release)."""
        return self.max_are

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """What ``curves backtest --json`` prints: the fit (law, training curves, ``where``,
        source, status, coefficients), the held-out curves' run names
        (``held_out_runs``, as a downstream backtest's JSON names its held-out models), each
        held-out curve's errors (``mean_are``,
        ``max_are``), their mean ``mean_are``, the largest ``max_are`` and the mean of each
        one's largest ``mean_max_are`` (Luo et al.'s "worst"), the warnings (the fit's and
        the backtest's own), and the notes: the fit's (less the schedule defaults, as no spec
        is read) and :attr:`notes`. The old keys ``mean_error``, ``worst_error`` and
        ``mean_worst_error`` are written beside the new ones for one release.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        from scalinglab.curves._schedule_defaults import NOTE

        fit, n = self.fit, len(self.held_out_runs)
        said = [m for m in fit.notes if not m.startswith(NOTE)] + list(self.notes)
        return {
            "format": FORMAT,
            "law": fit.law,
            "train": list(fit.runs),
            "where": dict(fit.where or {}),
            "source": fit.source,
            "status": fit.status,
            "coefs": dict(fit.coefs),
            "at_bound": list(fit.at_bound),
            "held_out_runs": list(self.held_out_runs),
            # mean_are and max_are, as a loss backtest names them; the old keys kept one release
            "held_out": [
                {"run": r, "mean_are": m, "max_are": w, "mean_error": m, "worst_error": w}
                for r, m, w in zip(self.held_out_runs, self.mean_are, self.max_are, strict=True)
            ],
            "mean_are": sum(self.mean_are) / n,
            "max_are": max(self.max_are),
            "mean_max_are": sum(self.max_are) / n,
            "mean_error": sum(self.mean_are) / n,
            "worst_error": max(self.max_are),
            "mean_worst_error": sum(self.max_are) / n,
            "warnings": list(self.warnings),
            "notes": said,
        }


@keywords_checked("scalinglab.curves.backtest_curves")
def backtest_curves(
    curves: Sequence[Curve] | str | os.PathLike[str] | pd.DataFrame,
    *,
    train: Sequence[str],
    law: str = "multipower",
    bootstrap: int = 0,
    level: float = 0.9,
    seed: int = 0,
    max_iter: int = MAX_ITER,
    left_out: Mapping[str, str] | None = None,
    where: Where | None = None,
    source: str | None = None,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    columns: Mapping[str, str] | None = None,
    keep_diverged: bool = False,
    progress: Progress | bool | None = None,
) -> CurveBacktest:
    """Fit ``law`` on the curves named in ``train`` and predict every other curve's points.

    Args:
        curves: Curves, or what :func:`read_lr_curves` reads (paths, a DataFrame).
        train: The curves to fit on (full name or last path part).
        law: The curve law, as :func:`fit_curves` takes it.
        bootstrap: The fit's resamples (:func:`fit_curves`): its intervals, not the errors,
            depend on them, and on ``level`` and ``seed``.
        level: Coverage of the fit's intervals.
        seed: Seed of its resampling.
        max_iter: Most solver iterations per start of the fit (:func:`fit_curves`): a fit
            that stops at it did not converge, which ``curves backtest`` exits 1 on.
        left_out: The runs the reader left out and why: the fit's record too; a run in
            ``train`` among them is named as such.
        where: ``{column: value}``: only the runs whose text column has that value,
            recorded in the fit's :attr:`CurveFit.where`, as :func:`fit_curves` reads.
        source: Where curves read already came from: the fit's record.
        schedule: Read paths or a DataFrame as :func:`read_lr_curves` (and
            ``curves backtest``) reads them; refused with curves read already, as
            ``where`` is.
        warmup: As ``schedule``.
        columns: As ``schedule``.
        keep_diverged: As ``schedule``.
        progress: The fit's progress, as :func:`fit_curves` reports it (its starts, and
            its ``bootstrap`` resamples); ``True`` prints a line per stage on stderr.

    Returns:
        The fit and each held-out curve's mean and largest relative error.
    """
    pairs = as_where(where)
    reading = Reading(schedule=schedule, warmup=warmup, columns=columns,
                      keep_diverged=keep_diverged, where=pairs)  # fmt: skip
    read = given_curves(curves, reading, call="scalinglab.curves.backtest_curves",
                        left_out=left_out, source=source)  # fmt: skip
    curves, left_out = list(read.curves), read.left_out
    if isinstance(train, str):  # one run's name, not its letters
        train = [train]
    fit_on, held = split_train(curves, train, left_out=left_out, where=pairs)
    result = fit_curves(fit_on, law=law, bootstrap=bootstrap, level=level, seed=seed,
                        max_iter=max_iter, left_out=left_out, source=read.source,
                        progress=progress)  # fmt: skip
    # held-out curves of a size the one-size law never saw: their errors are the size gap
    other = held_out_sizes(get_curve_law(law), [c.params for c in fit_on],
                           {c.run: c.params for c in held})  # fmt: skip
    # the size gap is the backtest's: the fit itself is sound on the curves it read
    said = (*result.warnings, other) if other else result.warnings
    said = (*said, *contradicted(held, what="held-out curves"))  # as the fit's own curves
    # where: as they were read; the rows the reading skipped, kept as fit_curves keeps them
    result = replace(result, where=read.where, notes=(*read.notes, *result.notes))
    mean, worst, spikes = [], [], []
    for c in held:
        sized = result.law.startswith("sized:")
        steps = c.step[c.step >= c.schedule.warmup]
        pred = result.predict(c.schedule, steps=steps, params=c.params if sized else None)
        obs = c.loss[c.step >= c.schedule.warmup]
        rel = np.abs(pred.loss - obs) / obs
        mean.append(float(rel.mean()))
        worst.append(float(rel.max()))
        spikes.append(spike_note(c.run, steps, rel))  # a max one point drives: said
    runs = tuple(c.run for c in held)
    notes = (*assumed(held, what="held-out curves"), *filter(None, spikes))
    return CurveBacktest(result, runs, tuple(mean), tuple(worst), notes, said)
