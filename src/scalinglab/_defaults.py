"""Defaults that the Python API and the command line share, defined once.

A module of plain constants with no imports, so the command line can read them without
loading NumPy at start-up.
"""

__all__ = [
    "BOOTSTRAP",
    "CURVE_BOOTSTRAP",
    "CURVE_LAW_NAMES",
    "DOWNSTREAM_BOOTSTRAP",
    "DOWNSTREAM_HOLDOUT",
    "HPARAMS_BOOTSTRAP",
    "HPARAMS_HOLDOUT",
    "HUBER_DELTA",
    "ISOFLOP_BOOTSTRAP",
    "LOSS2LOSS_BOOTSTRAP",
    "MAX_ITER",
    "ROLLING_BOOTSTRAP",
    "WARMUP_RULE",
]

#: Bootstrap resamples behind the intervals of a fit, by default: the product promises honest
#: uncertainty by default, in ``scalinglab.fit`` as on the command line; 1000 for final
#: numbers, 0 for a point fit alone.
BOOTSTRAP = 200

#: Most resamples behind each rolling-origin step's intervals (``rolling_backtest``, and
#: ``backtest``'s rolling rows, which draw the fewer of this and ``--bootstrap``): every step
#: is a whole fit, so fewer than a fit's.
ROLLING_BOOTSTRAP = 100

#: Resamples behind a curve fit's intervals, by default (``fit_curves``, ``curves fit``): each
#: refits every curve's law over all its logged steps, ~0.1 s a resample for the multi-power
#: law on nine curves, so fewer than a fit's; 0 for a point fit alone.
CURVE_BOOTSTRAP = 100

#: Resamples of each cell's runs behind a hyperparameter fit's intervals, by default
#: (``fit_hparams``, ``hparams fit``, ``report --hparams``): a resample refits one cell's
#: surface, a linear solve, so a thousand cost little beside a law fit's.
HPARAMS_BOOTSTRAP = 1000
#: The rule a hyperparameter backtest holds out by unless told (``backtest_hparams``,
#: ``hparams backtest``, ``report --hparams``): the cells of the largest model size.
HPARAMS_HOLDOUT = "top-scales:1"

#: Resamples of the models behind a downstream chain's intervals, by default
#: (``fit_downstream``, ``downstream fit|report``, ``report --downstream``): one set shared
#: by every step of the chain.
DOWNSTREAM_BOOTSTRAP = 1000
#: The models a downstream page's per-task backtest holds out unless told (``downstream
#: backtest|report``, ``report --downstream``): the top decile by compute.
DOWNSTREAM_HOLDOUT = "top-decile"

#: Resamples behind the power laws of an isoFLOP or envelope analysis, by default
#: (``isoflop``, ``envelope``, and the Python functions of those names): each refits a
#: parabola per budget (or a grid's winners), cheap beside a law fit.
ISOFLOP_BOOTSTRAP = 1000

#: Resamples of the runs behind a loss-to-loss fit's intervals, by default
#: (``fit_loss_to_loss``, ``loss2loss fit``).
LOSS2LOSS_BOOTSTRAP = 1000

#: Scale of the Huber loss on log-loss residuals, by default (Hoffmann et al. 2022): ``fit``,
#: the rolling cuts, the law choice, curve fits and a chain's first fit all start from it.
HUBER_DELTA = 1e-3

#: Most solver (Newton) iterations per start, by default: ``fit``, the rolling cuts, the
#: hyperparameter refits, curve fits and the chain's extrapolation measurement share it, so
#: a cut is solved as far as the fit it stands in for.
MAX_ITER = 300

#: The warm-up of a logged learning rate given none (``--warmup``, ``warmup=``), as
#: :meth:`scalinglab.curves.Schedule.from_logged` takes it for every reader of curves and
#: schedule files: the steps before the rate first reaches its peak.
WARMUP_RULE = "the steps before the logged lr first peaks"

#: The curve laws by name, in the catalog's order (:data:`scalinglab.curves.CURVE_LAWS`
#: pairs each with its class), for the help of every option that takes one; ``sized:NAME``
#: fits any of them across model sizes.
CURVE_LAW_NAMES = ("multipower", "multipower-after-warmup", "tissue", "power-s1", "power-steps")
