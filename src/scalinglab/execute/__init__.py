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

from scalinglab.execute._backend import Backend, JobState, RungError, RunHandle
from scalinglab.execute._driver import DEFAULT_WORKDIR, LadderReport, RungOutcome, run_ladder
from scalinglab.execute._events import ConsoleEvents, LadderEvents, describe_prediction
from scalinglab.execute._inprocess import InProcessBackend
from scalinglab.execute._local import LocalBackend, visible_gpus
from scalinglab.execute._predict import TopPrediction, choose_law, predict_top
from scalinglab.execute._ray import RayBackend
from scalinglab.execute._record import stored_run
from scalinglab.execute._slurm import SlurmBackend

__all__ = [
    "DEFAULT_WORKDIR",
    "Backend",
    "ConsoleEvents",
    "InProcessBackend",
    "JobState",
    "LadderEvents",
    "LadderReport",
    "LocalBackend",
    "RayBackend",
    "RunHandle",
    "RungError",
    "RungOutcome",
    "SlurmBackend",
    "TopPrediction",
    "choose_law",
    "describe_prediction",
    "predict_top",
    "run_ladder",
    "stored_run",
    "visible_gpus",
]
