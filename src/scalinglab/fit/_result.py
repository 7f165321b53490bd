"""FitResult: a fitted law with intervals, diagnostics, predictions, and a JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scalinglab import _repr
from scalinglab._deprecated import old_fields
from scalinglab._frozen import ReadOnlyMappings
from scalinglab._keywords import methods_checked
from scalinglab._predict_call import points_call, predict_call
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.fit._asked import distance_columns, predict_columns
from scalinglab.fit._extrapolation import Extrapolation
from scalinglab.fit._inputs import symbol_variables
from scalinglab.fit._objective import Array
from scalinglab.fit._predict import Notes
from scalinglab.fit._predict import predict as predict_at
from scalinglab.fit._prediction import Prediction, noise_scale
from scalinglab.fit._result_aliases import FitResultAliases
from scalinglab.fit._result_files import FitResultFiles
from scalinglab.fit._result_views import FitResultViews
from scalinglab.fit._withheld import check_reason
from scalinglab.laws import Law
from scalinglab.laws._presets import Conventions

if TYPE_CHECKING:
    from scalinglab.validate._law_choice import LawChoice

__all__ = ["FitResult", "Prediction"]


@methods_checked(examples={"predict": predict_call, "distance": points_call("distance")})
@old_fields(params="coefs", loss="robust_loss")
@dataclass(frozen=True, repr=False)
class FitResult(FitResultAliases, FitResultViews, FitResultFiles, ReadOnlyMappings):
    """A law fitted to runs.

    Attributes:
        law_spec: The law as given (a name like ``"chinchilla"`` or a formula).
        coefs: Best-fit values of the law's coefficients in natural units (``params`` is
            their deprecated old name; everywhere else ``params`` means model size).
        intervals: Percentile interval ``(lower, upper)`` of each parameter at ``level``.
        samples: Best fit of every bootstrap resample, ``(R, K)`` natural units, or ``None``.
        level: Coverage of ``intervals``.
        objective: Objective at the best fit (sum of the robust loss over runs).
        status: ``"converged"`` or ``"failed"``.
        message: What the status means.
        n_starts: Starting points tried.
        n_starts_at_best: Starts solved to the end that reached the best objective (1e-6).
        n_starts_solved: Starts solved to the end: all of ``n_starts``, but for a grid of 512
            or more only those of lowest objective after 10 screening steps
            (:mod:`scalinglab.fit._merge`); ``None`` in files from before the screening.
        n_converged: Starts whose solver reported convergence.
        at_bound: Parameters that ended at a bound.
        aic: Akaike information criterion of a Gaussian model of the residuals.
        bic: Bayesian information criterion, same model.
        residuals: Residual of every run at the best fit (log space unless ``space="linear"``).
        runs: Run ids of the runs fitted.
        excluded: ``(run id, reason)`` of each run left out (``drop_outliers``); ``()``: none.
        skipped: ``(run id, reason)`` of each run left out while reading (``RunTable.skipped``).
        columns: Which run-table column each variable of the law read.
        y: The run-table column read as the loss (``y=``, ``--y``); ``None`` in files from
            before it was recorded (then ``"loss"``, as :func:`~scalinglab.write_report` reads).
        robust_loss: Name of the robust loss (``--robust-loss``) and its ``delta``
            (``loss`` is its deprecated old name; everywhere else ``loss`` is a measured loss).
        delta: Scale of the robust loss (``1e-3`` on log residuals by default).
        space: ``"log"`` or ``"linear"`` residuals.
        n_bootstrap: Resamples requested; ``len(samples)`` may be smaller if some failed.
        resample: What each resample drew: ``"runs"`` (runs with replacement), or the kind
            of resamples drawn upstream that it refitted (``fit(resamples=...)``;
            ``"curves"``: whole curves, through the curve fit the runs came from and this
            fit alike, as ``fit --from-curves`` draws them).
        seed: Seed of the start subsets and the resampling.
        source: Where the runs came from (says "SIMULATED" for simulated data).
        where: The ``{column: value}`` the runs were kept by (``--where``, :meth:`RunTable.where`);
            empty: every run; ``None``: not recorded (older files: the runs may be a selection).
        simulated: Whether the runs are simulated.
        conventions: Which N, FLOPs, loss and tokens the numbers mean.
        flops_convention: How the fitted runs counted FLOPs, read off their numbers: C =
            6·N·D·r(N), r a constant or ``1 + k·N^p`` (or their median ratio, with why it is
            no rule), which ``predict(flops=)`` and plans count C by; ``None`` in files from
            before it was recorded (then :attr:`conventions`' words give it, as they did).
        notes: What was derived, excluded or assumed on the way.
        solver: Which solver ran: ``"numpy"`` or a compiled build (``"compiled-avx512"``,
            ``"compiled-avx2"``, ``"compiled-neon"``, ``"compiled-portable"``), alike to rounding.
        extrapolation: The law's extrapolation error measured by rolling-origin backtests
            on the fitted runs, and the data's reach (``None`` in files from before it was
            recorded); when calibrated, prediction intervals include it.
        warnings: Every reason not to trust the fit, one line each
            (:mod:`scalinglab.fit._diagnostics`): collapsed or implausible parameters,
            parameters the data do not identify, too few runs per parameter.
        form: The law object fitted, which :attr:`law` returns; ``None`` (a result read
            from JSON): rebuilt from :attr:`law_spec`. It keeps a law that
            :func:`~scalinglab.get_law` cannot rebuild (a downstream law such as
            :class:`~scalinglab.downstream.LossToLoss`) usable for predictions.
        path: The file the result was read from (:meth:`load`), which errors about its
            numbers name (a plan they give no finite answer for); ``None`` otherwise.
        law_choice: How the law was chosen by backtest (``fit("auto")``, ``--law auto``), or
            compared with the catalog (``fit --law kaplan``: its ``fitted``); ``None``.
        plan_withheld: Why no plan may be made from the fit (a string; ``None``: none), read
            off its runs whatever the solver did (:func:`~scalinglab.fit._withheld.withheld_for`:
            the law's terms not identified separately); planning refuses, ``report`` withholds.
    """

    law_spec: str
    coefs: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    samples: Array | None
    level: float
    objective: float
    status: str
    message: str
    n_starts: int
    n_starts_at_best: int
    n_converged: int
    at_bound: tuple[str, ...]
    aic: float
    bic: float
    residuals: Array
    runs: tuple[str, ...]
    columns: Mapping[str, str]
    robust_loss: str
    delta: float
    space: str
    n_bootstrap: int
    seed: int
    source: str
    simulated: bool = False
    conventions: Conventions = field(default_factory=Conventions)
    flops_convention: FlopsConvention | None = None
    notes: tuple[str, ...] = ()
    solver: str = "numpy"
    extrapolation: Extrapolation | None = None
    warnings: tuple[str, ...] = ()
    n_starts_solved: int | None = None
    resample: str = "runs"
    form: Law | None = field(default=None, compare=False)
    where: Mapping[str, str] | None = field(default_factory=dict)
    y: str | None = None
    path: str | None = field(default=None, compare=False)
    law_choice: LawChoice | None = None
    plan_withheld: str | None = None
    excluded: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    _read_only = ("coefs", "intervals", "columns", "where")  # read-only views (_frozen)

    def __post_init__(self) -> None:
        check_reason(self.plan_withheld)  # `True` is no reason: planning would ignore it
        super().__post_init__()

    def distance(self, **columns: Any) -> Array | float:
        """Decades outside the fitted runs, above or below, in any variable, N·D or D/N (spans
        of its fitted range for a variable taken to 0 or below); NaN without a measured reach.

        Args:
            **columns: The points, as :meth:`predict` takes them (``params=70e9``; broadcast).

        Returns:
            The distance in decades at each point (0 inside the fitted runs): a float for
            scalar values (one point), an array in the points' broadcast shape otherwise.
        """
        return distance_columns(self, columns)

    def predict(
        self,
        *,
        level: float | None = None,
        noise: bool = True,
        extrapolation: bool = True,
        **columns: Any,
    ) -> Prediction:
        """Predicted loss, with a prediction interval, at new points.

        The interval is for the loss a new run at these points will show: each bootstrap
        fit's prediction plus draws of the run-to-run noise, whose scale is the robust
        spread of this fit's residuals (:meth:`noise_scale`); percentiles of the sum. Where
        the fit measured its extrapolation error (:attr:`extrapolation` is calibrated), the
        interval is ``loss · exp(±max(q·s, z·σ_full))`` instead: the noise and the error
        backtests made at ``d`` decades beyond their data, scaled by the quantile ``q`` that
        rolling-origin backtests on the fitted runs calibrate (:mod:`~scalinglab.fit._extrapolation`),
        and never under the noise's own normal interval ``z·σ_full`` (inside the data). Parameter
        uncertainty alone under-covers held-out runs (``benchmarks/calibration.py``
        measures each kind); ``noise=False`` gives that narrower interval of the law's mean.

        Args:
            level: Coverage of the interval; defaults to :attr:`level`.
            noise: Fold the run-to-run noise into the interval (a prediction interval).
            extrapolation: Include the measured extrapolation error where there is one.
            **columns: Values of the law's variables by column or symbol, e.g.
                ``params=70e9, tokens=1.4e12`` (arrays broadcast); ``N``, ``D`` and ``C``
                read from other columns (``x={"N": "nonemb"}``) take ``params=``,
                ``tokens=`` and ``flops=`` as well. ``flops=`` with ``params=`` alone gives
                ``D = C/(6·N·r(N))``, and beside both must be their ``6·N·D·r(N)``: ``r`` is
                1, or the fitted runs' ratio to 6·N·D where they counted FLOPs otherwise
                (:attr:`flops_convention`; a note then says so), as plans count compute.

        Returns:
            The prediction, its interval, which kind it is, each point's distance, and the
            points as asked (:attr:`Prediction.at`).

        Raises:
            ConfigError: A variable of the law not given (``tokens=`` beside ``params=``
                alone), an unknown keyword, a value that is no number, a ``level`` outside
                (0, 1), or ``flops=`` that is not the ``6·N·D·r(N)`` of the ``params=``
                and ``tokens=`` beside it.
            DataError: A value that is not positive and finite (``params=-1e9``).

        Examples:
            >>> import scalinglab
            >>> result = scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)
            >>> p = result.predict(params=70e9, tokens=1.4e12)  # Chinchilla's N and D
            >>> round(float(p), 2), p.interval_kind  # no bootstrap: no interval
            (2.02, 'none')
        """
        return predict_columns(self, columns, level=level, noise=noise, extrapolation=extrapolation)

    def _predict_symbols(
        self, at: Mapping[str, Any], *, level: float | None = None, notes: Notes = "all"
    ) -> Prediction:
        """:meth:`predict` at values keyed by the law's symbols (``N``, ``D``), whichever
        columns the fit read them from (``notes``: which the prediction carries)."""
        data = symbol_variables(self.columns, at, law_name=self.law_spec)
        return predict_at(self, data, level, noise=True, extrapolation=True, notes=notes)

    def noise_scale(self) -> float:
        """Robust standard deviation of the run-to-run noise around the fit: ``1.4826 · MAD``
        of the residuals (unmoved by the few diverged runs a Huber fit ignores), times
        ``sqrt(n / (n - k))`` for ``k`` fitted parameters (log space: relative; linear: loss).

        Returns:
            The noise's standard deviation.
        """
        return noise_scale(self.residuals, len(self.coefs))

    def __str__(self) -> str:
        from scalinglab.fit._text import render_fit  # lazy: the text view is rarely needed

        return render_fit(self)

    def __repr__(self) -> str:  # one line: no residuals, run names or samples
        return _repr.fit_result(self)

    def _repr_html_(self) -> str:
        """The summary :meth:`__str__` prints, as escaped HTML: what a notebook shows."""
        from scalinglab.fit._html_view import render_fit_html

        return render_fit_html(self)
