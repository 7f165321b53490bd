"""One run as the store keeps it, and what a batch of writes did."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from scalinglab import _repr
from scalinglab._checks import given
from scalinglab._errors import ConfigError, DataError
from scalinglab._keywords import methods_checked
from scalinglab.store._evals import EvalsWritten

__all__ = [
    "CURVE_COLUMNS", "FOLDER", "SHOWN_ONLY", "STATUSES", "PutSummary", "StoredRun",
    "canonical_json", "check_status", "status_error",
]  # fmt: skip

#: Lifecycle of a run: a ladder rung is ``pending`` until a worker starts it, ``running`` while it
#: trains, then ``finished`` or ``failed``; an ingested run arrives ``finished``.
STATUSES: tuple[str, ...] = ("pending", "running", "finished", "failed", "diverged")

#: Statuses ``runs`` and ``ladder status`` show a ladder rung with but the store does not
#: keep (:mod:`scalinglab.store._rung_status` derives them), each with what it is stored as.
SHOWN_ONLY: Mapping[str, str] = {
    "interrupted": "a ladder rung its driver stopped is stored 'pending' (or 'running' with "
    "no worker left) and shown 'interrupted'; an ingested run a table or tracker calls "
    "interrupted is stored 'failed'",
    "finishing": "a ladder rung trained but not yet recorded is stored 'running' and shown "
    "'finishing'",
}


def status_error(status: object) -> str:
    """Why ``status`` is no status the store keeps; for one only shown (``interrupted``),
    what the store keeps it as."""
    said = f"status must be one of {', '.join(STATUSES)}, not {status!r}"
    why = SHOWN_ONLY.get(status) if isinstance(status, str) else None
    return said if why is None else f"{said}: {why}"


def check_status(status: str | None) -> None:
    """Refuse a status the store does not keep, as a reader is asked for it.

    Raises:
        ConfigError: For any other word; for one only shown (``interrupted``), the hint
            names the ``runs --status`` that lists the runs shown so.
    """
    if status is not None and status not in STATUSES:
        shown = f"`scalinglab runs --status {status}` lists the runs shown {status}"
        raise ConfigError(status_error(status), hint=shown if status in SHOWN_ONLY else "")


#: Columns of a loss curve, one row per logged step.
CURVE_COLUMNS: tuple[str, ...] = ("step", "tokens", "lr", "train_loss", "eval_loss")

#: The key in a run's ``extra`` of the working folder of the ingest that stored a relative
#: ``source`` (``store._sources``): where it was read from, as the source is, so no part of
#: the run's content hash.
FOLDER = "ingested_in"
#: The key in a run's ``extra`` of the column an ingested table's N was read from (``N``,
#: ``params``, ``total_params``): what its reader knew of which parameters N counts, said
#: as reading the table says it (:func:`scalinglab.data._params_words.params_words`).
PARAMS_COLUMN = "params_column"

_NUMBERS = (
    "params",
    "params_non_embedding",
    "flops",
    "flops_6nd",
    "tokens",
    "loss",
    "train_loss",
    "wall_s",
    "tokens_per_s",
    "mfu",
)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: equal values give equal text (and hashes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False, default=str)


@methods_checked()
@dataclass(frozen=True, kw_only=True)
class StoredRun:
    """A training run in the store: its identity, its final metrics and where it came from.

    Attributes:
        run_id: The key. A ladder rung's config hash; for an ingested run, a hash of the source
            kind and the tracker's own run id, so that ingesting twice finds the same key.
        name: Human name shown in tables and used as the run id of a fit.
        status: One of :data:`STATUSES`.
        params: Parameter count N used for fitting (the convention is in ``config``/``extra``).
        params_non_embedding: Non-embedding parameters, where known.
        flops: Training compute, exact where the producer counted it.
        flops_6nd: ``6·N·D`` for comparison with the usual approximation.
        tokens: Training tokens D.
        loss: Final evaluation loss (the quantity scaling laws are fitted to).
        train_loss: Final training loss.
        wall_s: Wall-clock seconds of training.
        tokens_per_s: Training throughput.
        mfu: Model-FLOP utilisation in [0, 1], where measured.
        hardware: Device description, e.g. ``"NVIDIA H100 80GB HBM3"`` or ``"cpu"``.
        corpus: Training data name or path.
        corpus_hash: Content hash of the training data.
        config: Full configuration (JSON-serialisable).
        software: Versions of the software that produced the run.
        extra: Other metrics and covariates (numeric ones become run-table columns).
        source: Where the run came from: a file or folder ingested (as typed: a relative
            one with the ingest's working folder in ``extra["ingested_in"]``), or
            ``ladder:<name>``.
        source_run_id: The run's id in its source (tracker run id, file row).
    """

    run_id: str
    name: str
    status: str = "finished"
    params: float | None = None
    params_non_embedding: float | None = None
    flops: float | None = None
    flops_6nd: float | None = None
    tokens: float | None = None
    loss: float | None = None
    train_loss: float | None = None
    wall_s: float | None = None
    tokens_per_s: float | None = None
    mfu: float | None = None
    hardware: str | None = None
    corpus: str | None = None
    corpus_hash: str | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    software: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    source_run_id: str | None = None

    def __post_init__(self) -> None:
        if not self.run_id or not isinstance(self.run_id, str):
            raise ValueError("a stored run needs a non-empty string run_id")
        if self.status not in STATUSES:
            raise ValueError(status_error(self.status))
        for name in _NUMBERS:
            value = getattr(self, name)
            if value is not None:
                number = float(value)
                object.__setattr__(self, name, number if math.isfinite(number) else None)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, JSON-serialisable.

        Returns:
            Field name -> value; ``config``, ``software`` and ``extra`` as plain dicts.
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, Mapping) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoredRun:
        """Inverse of :meth:`to_dict`; unknown keys are ignored.

        Args:
            data: A run as :meth:`to_dict` writes it.

        Returns:
            The run.

        Raises:
            DataError: For data that is no mapping, or has no ``run_id`` or ``name``.
        """
        if not isinstance(data, Mapping):  # from_dict([...]): no object to read a run from
            raise DataError(
                f"not a stored run: a {type(data).__name__} where the run's dict goes",
                hint="pass the dict StoredRun.to_dict() returns",
            )
        names = {f.name for f in fields(cls)}
        missing = [k for k in ("run_id", "name") if k not in data]
        if missing:  # from_dict({}): not Python's "missing 2 required keyword-only arguments"
            raise DataError(
                f"not a stored run: its dict has no {' and no '.join(missing)} (keys: "
                f"{', '.join(map(repr, list(data)[:8])) or 'none'})",
                hint="a run needs at least run_id and name, as StoredRun.to_dict() writes them",
            )
        return cls(**{k: v for k, v in data.items() if k in names})

    @staticmethod
    def checked(run: object, *, call: str) -> StoredRun:
        """``run`` when it is a :class:`StoredRun`.

        Args:
            run: What was given where a stored run goes.
            call: The call the error names (``RunStore.put_run``).

        Returns:
            ``run`` itself.

        Raises:
            ConfigError: Naming ``call`` and what was given (``RunStore.put_run(5)``: not
                ``AttributeError: .run_id``).
        """
        if isinstance(run, StoredRun):
            return run
        raise ConfigError(
            f"{call} takes a StoredRun, got {given(run)}",
            hint="build one, e.g. StoredRun(run_id='r1', name='r1', params=1e8, tokens=2e9, "
            "loss=3.1), or read one back with StoredRun.from_dict(d)",
        )

    def content_hash(self, curve_hash: str = "") -> str:
        """Hash of everything but the status (and the ingest's working folder, :data:`FOLDER`),
        so that a re-ingest of the same run is a no-op.

        Args:
            curve_hash: The hash of the run's stored curve, folded in (``""``: no curve).

        Returns:
            32 hex digits of the SHA-256 of the run's canonical JSON and ``curve_hash``.
        """
        data = self.to_dict()
        data.pop("status")
        data["extra"].pop(FOLDER, None)  # a run stored before it was recorded hashes the same
        text = canonical_json(data) + curve_hash
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PutSummary:
    """What one batch of writes did.

    Attributes:
        added: Runs that were new.
        updated: Runs that existed with other content and were replaced.
        unchanged: Runs already stored with the same content (nothing written).
        moved: Runs stored with the same content from another ``source`` path (a folder moved
            or renamed since): only their source was rewritten.
        conflicts: ``(run_id, reason)`` of runs that exist with other content and were left
            as they were (``on_conflict="keep"``).
        curve_points: Curve rows written.
        evals: Evaluation scores written with the runs (``None``: none were given).
        curve_changes: ``(run_id, where its curve first differs)`` of updated runs (and
            conflicts) given with a curve unlike the stored one.
        names: ``run_id`` -> name of each run written: ``to_dict`` names runs by name.
        filled: Runs an ingest found again with values the stored copy lacked (recorded
            since by a later version) and nothing else changed: written, but no update.
    """

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()
    curve_points: int = 0
    evals: EvalsWritten | None = None
    curve_changes: tuple[tuple[str, str], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # last (added after the others): positional construction keeps its meaning
    filled: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.put_summary(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: runs by name (as ``scalinglab runs`` lists them), in
        the schema every ingest writes (runs, then the evaluation scores written with them).

        Returns:
            Lists of run names by outcome, the conflicts with their reasons, the curve
            points written, and ``evals`` (:meth:`EvalsWritten.to_dict`).
        """
        name = self.names.get
        return {
            "added": [name(r, r) for r in self.added],
            "updated": [name(r, r) for r in self.updated],
            "filled": [name(r, r) for r in self.filled],
            "unchanged": [name(r, r) for r in self.unchanged],
            "moved": [name(r, r) for r in self.moved],
            "conflicts": [
                {"run": name(r, r), "run_id": r, "reason": why} for r, why in self.conflicts
            ],
            "curve_points": self.curve_points,
            "evals": (self.evals or EvalsWritten()).to_dict(),
        }
