"""What every tracker reader produces: runs with their config and final metrics, and one long
frame of logged points (the curves), before any name is mapped to a run-table column."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scalinglab.data._run_states import store_status

__all__ = [
    "EVAL_KINDS",
    "KINDS",
    "Progress",
    "Source",
    "TrackerRun",
    "flatten",
    "history_frame",
    "non_finite",
    "number",
    "tracker_status",
]

#: Source kinds :func:`scalinglab.ingest` reads.
KINDS: tuple[str, ...] = (
    "wandb", "mlflow", "tensorboard", "raytune", "table", "lm-eval", "evals",
)  # fmt: skip
#: Kinds that hold evaluations of stored runs, not runs: :func:`scalinglab.ingest.ingest_evals`.
EVAL_KINDS: tuple[str, ...] = ("lm-eval", "evals")

#: Called as ``progress(done, total)`` while a reader works through files or runs.
Progress = Callable[[int, int], None]

#: Columns of :attr:`Source.history` that are not metrics.
RUN, STEP = "_run", "_step"


@dataclass(frozen=True)
class TrackerRun:
    """One run as its tracker describes it.

    Attributes:
        key: What identifies the run across ingests: the tracker's run id where it is
            globally unique (MLflow, W&B), else the run's folder or file and name.
        source_run_id: The run's id as the tracker shows it.
        name: Display name.
        status: Store status (``finished``, ``running``, ``failed``).
        config: Hyperparameters, flattened to ``a.b`` / ``a/b`` names as the tracker writes them.
        summary: Final metric values the tracker reports without their history.
        meta: Strings worth keeping (experiment, tracker status), stored in ``extra``.
        location: File or folder the run was read from, for messages.
        legacy_keys: Keys earlier versions gave the same run (most likely first), so that a
            run stored under one of them is found again rather than added twice.
        state: The run's state as the tracker wrote it (W&B's ``crashed``, MLflow's
            ``KILLED``, which the store keeps as ``failed``), where :attr:`Source.states_from`
            says where; else ``""``.
        ends_nan: Metrics whose last logged point is a NaN the run logged, where the tracker
            logs each metric on its own (TensorBoard): the history frame cannot tell it from
            a step where the metric was not logged.
        written: When the run's files were last written (seconds since the epoch), where
            the tracker records no run status (TensorBoard): a run written recently may
            still be training; ``None`` where the tracker says (or nothing tells).
    """

    key: str
    source_run_id: str
    name: str
    status: str = "finished"
    config: Mapping[str, Any] = field(default_factory=dict)
    summary: Mapping[str, float] = field(default_factory=dict)
    meta: Mapping[str, str] = field(default_factory=dict)
    location: str = ""
    legacy_keys: tuple[str, ...] = ()
    state: str = ""
    ends_nan: frozenset[str] = frozenset()
    written: float | None = None


@dataclass(frozen=True)
class Source:
    """Everything read from one source.

    Attributes:
        kind: One of :data:`KINDS`.
        path: The file or folder as given.
        runs: The runs, in source order.
        history: Logged points, long form: ``_run`` (index into ``runs``), ``_step`` (int64)
            and one float64 column per metric (NaN where a metric was not logged at a step);
            ``None`` where the source keeps no history.
        notes: What the reader decided, one sentence each.
        skipped: ``(run name, reason)`` of runs the reader found but could not read.
        names_by_place: Whether the runs' names say where each was read below ``path`` (a
            TensorBoard folder's path), not the run: found again, a run keeps its stored name.
        states_from: What gave the runs their states, as a note words it (``column
            'State'``): the runs stored as not finished are counted in a note, each with its
            :attr:`TrackerRun.state`; ``""`` where the reader says nothing of them.
        history_from: The history file read beside the runs (``--history``), whose rows
            without a finite loss a note counts, as ``curves fit`` on it does; ``""`` for
            none (a tracker's own metrics, logged at steps of their own, are not counted).
    """

    kind: str
    path: str
    runs: tuple[TrackerRun, ...]
    history: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    names_by_place: bool = False
    states_from: str = ""
    history_from: str = ""

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Metrics with a history, in column order."""
        if self.history is None:
            return ()
        return tuple(c for c in self.history.columns if c not in (RUN, STEP))


def number(value: Any) -> float | None:
    """A finite float from a tracker value (``1e6``, ``"70M"``, ``"3.2"``), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | np.number):
        out = float(value)
        return out if math.isfinite(out) else None
    if isinstance(value, str):
        from scalinglab.data import parse_quantity

        try:
            out = parse_quantity(value)
        except Exception:  # not a number: a label such as "adamw"
            return None
        return out if math.isfinite(out) else None
    return None


def non_finite(value: Any) -> float | None:
    """A tracker's ``inf``, ``-inf`` or NaN (a float, or text such as ``"inf"``,
    ``"Infinity"``, ``"NaN"``) as a float; ``None`` for anything else, a finite number too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        from scalinglab.data._units import parse_cell

        parsed = parse_cell(value)
        value = None if parsed is None or parsed[1] else parsed[0]
    if isinstance(value, int | float | np.number) and not math.isfinite(float(value)):
        return float(value)
    return None


def flatten(data: Mapping[str, Any], *, sep: str = "/", prefix: str = "") -> dict[str, Any]:
    """``{"model": {"n_params": 1}}`` -> ``{"model/n_params": 1}``; W&B's ``{"value": x}``
    wrappers (config.yaml, the API's raw config) are unwrapped."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{sep}{key}" if prefix else str(key)
        if isinstance(value, Mapping) and set(value) <= {"value", "desc"} and "value" in value:
            value = value["value"]
        if isinstance(value, Mapping):
            out.update(flatten(value, sep=sep, prefix=name))
        else:
            out[name] = value
    return out


def tracker_status(text: Any) -> str:
    """A tracker's run state (W&B ``crashed``, MLflow ``KILLED``...) as a store status."""
    return store_status(text)


def history_frame(parts: Iterable[pd.DataFrame]) -> pd.DataFrame | None:
    """Concatenate per-run point frames (``_run``, ``_step``, metrics) into one long frame."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return None
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
    metrics = [c for c in frame.columns if c not in (RUN, STEP)]
    frame[RUN] = frame[RUN].astype(np.int64)
    frame[STEP] = frame[STEP].astype(np.int64)
    for name in metrics:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float64)
    return frame[[RUN, STEP, *metrics]]
