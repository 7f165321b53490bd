"""``fit_curves(curves, law=...)`` and its result: predict any schedule's whole curve.

::

    result = scalinglab.fit_curves(read_lr_curves("lr-schedules/25M"), law="multipower")
    result.predict("wsd:decay=0.2,steps=24000")      # the whole curve, with an interval
    result.final_loss("cosine:steps=24000")          # (loss, lower, upper), with notes
    result.save("curve.json"); CurveFit.load("curve.json")
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError, check_keywords, check_level
from scalinglab._format import format_g
from scalinglab._frozen import ReadOnlyMappings
from scalinglab._json import dumps
from scalinglab._keywords import methods_checked
from scalinglab._result_names import write_result
from scalinglab.curves import _asked, _caveats, _repr
from scalinglab.curves import _result_json as _json
from scalinglab.curves._prediction import CurvePrediction, FinalLoss
from scalinglab.curves._result_aliases import CurveFitAliases
from scalinglab.curves._schedule_defaults import fill
from scalinglab.curves._schedules import Schedule

__all__ = ["CurveFit", "CurvePrediction", "FinalLoss"]

Array = NDArray[np.float64]
_POINTS = 240  # steps a predicted curve is evaluated at, by default


@methods_checked()
@old_fields(params="coefs", max_steps="max_iter")
@dataclass(frozen=True)
class CurveFit(CurveFitAliases, ReadOnlyMappings):
    """A curve law fitted jointly to several loss curves.

    Attributes:
        law: The law's name.
        coefs: Fitted values of the law's coefficients (natural units; ``params`` is their
            deprecated old name).
        intervals: Percentile bootstrap interval of each parameter.
        samples: Bootstrap parameter vectors ``(R, K)`` or ``None``.
        level: Coverage of the intervals.
        objective: Robust loss at the fit.
        status: ``"converged"`` or ``"failed"``; ``message`` says why.
        message: The solver's explanation of the status.
        n_starts: Starts solved.
        n_starts_at_best: Starts that reached the best optimum.
        runs: The curves fitted, by run.
        residuals: Log residuals at every logged point, curves in order.
        defaults: Schedule values specs may leave out (peak, end, warmup), from the curves
            (:mod:`scalinglab.curves._schedule_defaults`: the median peak and warm-up, and
            the lowest end/peak of the curves, peak/10 when none decays; a spec without
            ``end`` ends at its own peak times that ratio).
        notes: Assumptions made about the curves.
        warnings: Reasons not to trust the fit, one line each (as ``FitResult.warnings``).
        n_ref: For a law across sizes (``sized:...``), the size ``L0`` and ``A`` refer to.
        ridge: Strength of the ridge the fit was made with (0: none; :func:`fit_curves`).
        steps: Steps of the longest fitted schedule (0: not recorded, older files).
        lengths: The fitted schedules' step counts, each once, ascending (empty: older files).
        sizes: For a law across sizes, the model sizes fitted (empty: older files).
        at_bound: Coefficients that ended at a bound of their range (as
            :attr:`scalinglab.FitResult.at_bound`).
        resample: How the bootstrap resampled the curves (``"curves"``,
            ``"wild-jackknife"``, ...; :func:`fit_curves`), ``""`` without one.
        peaks: The lowest and highest peak learning rate of the fitted curves (empty: older
            files, whose ``defaults["peak"]`` was the highest).
        left_out: Runs the curve reader left out, and why (``"diverged (...)"``; empty:
            none, curves given read, or older files).
        curve_weights: Each curve's weight in each resample, ``(R, curves)``, rows as
            :attr:`samples` (counts for whole-curve resamples, Dirichlet weights for
            Bayesian ones, ones for the wild schemes, which redraw losses instead), so that
            a fit of what this one predicts can draw the same curves (``fit --from-curves``);
            ``None`` without a bootstrap, and in older files.
        where: The text values the curves were kept by (``--where``; empty: every run;
            ``None``: not recorded, as ``source``).
        source: Where the curves came from, and how many of how many ``where`` kept, as a
            fit of runs says it (``curves.csv (3 of its 9 curves selected)``); ``None``: not
            recorded (curves given read, or an older file).
        seed, n_bootstrap, solver: What reproduces the fit, as a loss fit records them
            (:attr:`scalinglab.FitResult.solver`); ``None`` in older files.
        robust_loss, delta, max_iter: The robust loss (its name, ``--robust-loss``), its
            scale and the solver's iteration cap the fit was made with; ``None`` in older files.
    """

    law: str
    coefs: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    samples: Array | None
    level: float
    objective: float
    status: str
    message: str
    n_starts: int
    n_starts_at_best: int
    runs: tuple[str, ...]
    residuals: Array
    defaults: Mapping[str, float]
    notes: tuple[str, ...] = field(default=())
    n_ref: float = float("nan")
    warnings: tuple[str, ...] = field(default=())
    ridge: float = 0.0
    steps: int = 0
    lengths: tuple[int, ...] = field(default=())
    sizes: tuple[float, ...] = field(default=())
    at_bound: tuple[str, ...] = field(default=())
    resample: str = ""
    peaks: tuple[float, ...] = field(default=())
    left_out: Mapping[str, str] = field(default_factory=dict)
    curve_weights: Array | None = None
    where: Mapping[str, str] | None = None
    source: str | None = None
    seed: int | None = None
    n_bootstrap: int | None = None
    solver: str | None = None
    robust_loss: str | None = None
    delta: float | None = None
    max_iter: int | None = None

    _read_only = ("coefs", "intervals", "defaults", "left_out", "where")  # read-only (_frozen)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.fit(self)

    def _repr_html_(self) -> str:  # a notebook: the table `curves fit` prints
        from scalinglab.curves._html_view import curve_fit_html

        return curve_fit_html(self)

    def outside(self, schedule: Schedule, *, name: str = "") -> list[str]:
        """What in ``schedule`` lies outside the fitted curves (a peak learning rate above
        or below theirs, more steps than the longest, another warm-up), in words: the law
        is extrapolated there.

        Args:
            schedule: The schedule to check.
            name: What the lines call it (default: its spec, else "the schedule").

        Returns:
            One line each; empty where the schedule lies within the fitted curves.
        """
        return _caveats.outside(self, schedule, name=name)

    def schedule(self, schedule: str | Schedule) -> Schedule:
        """A schedule from a spec, with this fit's peak, end and warm-up as defaults (a spec
        without ``end`` ends at its own peak times the fit's end/peak ratio); its ``spec``
        names every value it was built with.

        Args:
            schedule: A spec (``"wsd:decay=0.2,steps=24000"``; ``steps=`` is required), or
                a :class:`Schedule`, returned as it is.

        Returns:
            The schedule built from the spec, or ``schedule`` itself.
        """
        if isinstance(schedule, Schedule):
            return schedule
        if callable(schedule):  # a rate per step says neither how many steps nor the warm-up
            warmup = int(self.defaults.get("warmup", 0))
            raise ConfigError(
                f"a schedule given as a function ({getattr(schedule, '__name__', 'function')}) "
                "needs its steps and warm-up",
                hint=f"wrap it: Schedule.from_function(f, steps={self.steps or 24000}, "
                f"warmup={warmup})",
            )
        return fill(schedule, self.defaults, fitted_steps=self.steps, lengths=self.lengths)

    def _size(self, params: float | str | None) -> float | None:
        """The model size ``params`` asks for (``None``: the fitted one; :mod:`._asked`)."""
        return _asked.model_size(self, params)

    def predict(
        self,
        schedule: str | Schedule,
        *,
        steps: Sequence[int] | NDArray[np.int64] | None = None,
        params: float | str | None = None,
        level: float | None = None,
        **unknown: object,
    ) -> CurvePrediction:
        """The loss curve under ``schedule`` (a spec or a :class:`Schedule`).

        Args:
            schedule: The schedule to predict.
            steps: Steps to predict (default: ~240 evenly spaced after warm-up, and the last).
            params: Model size ``N`` (``7e9`` or ``"7B"``), for a law fitted across sizes
                (``sized:...``).
            level: Coverage of the interval (default: the fit's :attr:`level`).
            **unknown: Any other keyword is refused, with the nearest one it takes.

        Returns:
            The loss at each step with its bootstrap interval, notes and warnings.
        """
        check_keywords(unknown, ("steps", "params", "level"), call="CurveFit.predict")
        level = self.level if level is None else check_level(level)
        sched = self.schedule(schedule)
        size = self._size(params)
        if steps is None:
            at = np.unique(
                np.linspace(sched.warmup, sched.steps - 1, _POINTS).round().astype(np.int64)
            )
        else:
            at = _asked.whole_steps(steps)
            if at.size == 0 or at.min() < sched.warmup or at.max() >= sched.steps:
                raise ConfigError(
                    f"steps must lie in [{sched.warmup}, {sched.steps - 1}] (after warm-up)"
                )
        val, draws = _asked.losses(self, [sched], [at], sizes=None if size is None else [size])
        if not np.isfinite(val).all():  # never a loss of inf or nan, printed as if one
            i = int(np.argmax(~np.isfinite(val)))
            raise ConfigError(
                f"{self.law} gives no finite loss under {sched.spec or 'the schedule'} "
                f"(loss {val[i]} at step {at[i]}): the schedule is outside what the law "
                "can evaluate",
                hint=f"check its learning rates (peak {format_g(sched.peak, 3)}; the fitted curves' "
                f"{_caveats.fitted_peaks(self)})",
            )
        lo, hi = _asked.interval(self, draws, level)
        notes, warnings = _caveats.prediction_notes(
            self, sched, size=size, loss=val, lower=lo, upper=hi, level=level
        )
        return CurvePrediction(at, val, lo, hi, level, sched, notes, warnings, params=size)

    def final_loss(
        self,
        schedule: str | Schedule,
        *,
        params: float | str | None = None,
        level: float | None = None,
        **unknown: object,
    ) -> FinalLoss:
        """``(loss, lower, upper)`` at the last step of ``schedule``, a tuple that also
        carries ``notes`` (an estimate outside its interval, extrapolation), ``warnings``,
        ``level`` and ``schedule`` (the spec evaluated, the fit's defaults filled in).

        Args:
            schedule: The schedule (a spec or a :class:`Schedule`), as in :meth:`predict`.
            params: Model size ``N``, for a law fitted across sizes, as in :meth:`predict`.
            level: Coverage of the interval (default: the fit's :attr:`level`).
            **unknown: Any other keyword is refused, with the nearest one it takes.

        Returns:
            ``(loss, lower, upper)`` at the last step, with its notes and warnings.
        """
        check_keywords(unknown, ("params", "level"), call="CurveFit.final_loss")
        sched = self.schedule(schedule)
        pred = self.predict(sched, steps=[sched.steps - 1], params=params, level=level)
        return FinalLoss(
            pred.loss[0],
            pred.lower[0],
            pred.upper[0],
            level=pred.level,
            notes=pred.notes,
            warnings=pred.warnings,
            schedule=sched.spec,
            params=pred.params,
        )

    def to_dict(self) -> dict[str, object]:
        """The fit as :meth:`save` writes it.

        Returns:
            A JSON-ready dictionary, bootstrap samples included.
        """
        return _json.to_dict(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fit as JSON (bootstrap samples included, so intervals survive).

        Args:
            path: The file to write.

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        write_result(
            path, dumps(self.to_dict(), indent=1), what="the curve fit"
        )  # strict: NaN as "nan"

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CurveFit:
        """Read a fit written by :meth:`save`.

        Args:
            path: The file :meth:`save` wrote.

        Returns:
            The fit, as it was saved.
        """
        return _json.load(cls, path)
