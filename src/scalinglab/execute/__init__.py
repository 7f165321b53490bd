"""Running ladders: backends that train rungs, and the driver that records them in the store.

::

    from scalinglab.execute import LocalBackend, run_ladder
    from scalinglab.ladder import get_recipe
    from scalinglab.store import RunStore

    with LocalBackend() as backend:               # one fresh process per rung
        report = run_ladder(get_recipe("tiny"), store=RunStore("runs.duckdb"), backend=backend)

Backends (``Backend.submit(rung, workdir=...) -> RunHandle``): :class:`LocalBackend`,
:class:`RayBackend` (extra ``[ray]``), :class:`SlurmBackend` (extra ``[slurm]``, through
submitit) and :class:`InProcessBackend` for tests. Nothing here imports PyTorch, Ray or
submitit until a rung is trained or a backend is made.
"""

from typing import TYPE_CHECKING

from scalinglab._lazy import lazy_names

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scalinglab.execute._backend import Backend, JobState, RungError, RunHandle
    from scalinglab.execute._driver import run_ladder
    from scalinglab.execute._events import ConsoleEvents, LadderEvents, describe_prediction
    from scalinglab.execute._inprocess import InProcessBackend
    from scalinglab.execute._interrupted import LadderInterrupted, StoppedRung
    from scalinglab.execute._local import LocalBackend, visible_gpus
    from scalinglab.execute._predict import TopPrediction, choose_law, predict_top
    from scalinglab.execute._ray import RayBackend
    from scalinglab.execute._record import LadderReport, RungOutcome, stored_run
    from scalinglab.execute._slurm import SlurmBackend
    from scalinglab.execute._workdirs import default_workdir

# name -> module, imported on first use: a rung's worker process
# (``python -m scalinglab.execute._worker``) loads this package first, and must not pay for
# the driver's store and pandas before it trains
_LAZY = {
    "Backend": "_backend",
    "ConsoleEvents": "_events",
    "InProcessBackend": "_inprocess",
    "JobState": "_backend",
    "LadderEvents": "_events",
    "LadderInterrupted": "_interrupted",
    "LadderReport": "_record",
    "LocalBackend": "_local",
    "RayBackend": "_ray",
    "RunHandle": "_backend",
    "RungError": "_backend",
    "RungOutcome": "_record",
    "SlurmBackend": "_slurm",
    "StoppedRung": "_interrupted",
    "TopPrediction": "_predict",
    "choose_law": "_predict",
    "default_workdir": "_workdirs",
    "describe_prediction": "_events",
    "predict_top": "_predict",
    "run_ladder": "_driver",
    "stored_run": "_record",
    "visible_gpus": "_local",
}

__getattr__, __dir__ = lazy_names(__name__, _LAZY)

__all__ = [
    "Backend",
    "ConsoleEvents",
    "InProcessBackend",
    "JobState",
    "LadderEvents",
    "LadderInterrupted",
    "LadderReport",
    "LocalBackend",
    "RayBackend",
    "RunHandle",
    "RungError",
    "RungOutcome",
    "SlurmBackend",
    "StoppedRung",
    "TopPrediction",
    "choose_law",
    "default_workdir",
    "describe_prediction",
    "predict_top",
    "run_ladder",
    "stored_run",
    "visible_gpus",
]
