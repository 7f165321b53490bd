"""What training a rung produces: curve points, progress reports and the final result."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from scalinglab import _repr
from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab.ladder._old_names import RungResultAliases, TrainProgressAliases

__all__ = ["CurvePoint", "RungResult", "TrainProgress", "beats_uniform"]


def beats_uniform(eval_loss: float, vocab_size: int) -> bool:
    """Whether a final eval loss is a real result: finite and no worse than ``ln(vocab)``,
    the loss of a uniform guess over the vocabulary (a model that knows nothing scores
    that); else the rung diverged, though it trained to the end."""
    return math.isfinite(eval_loss) and eval_loss <= math.log(vocab_size)


@dataclass(frozen=True)
class CurvePoint:
    """One point of a loss curve.

    Attributes:
        step: Optimiser steps taken (1-based: the point after ``step`` updates).
        tokens: Training tokens seen after those steps.
        lr: Learning rate of the last update.
        train_loss: Mean training loss (nats/byte) over the steps since the previous point.
        eval_loss: Held-out loss after this step, or ``None`` when not evaluated here.
    """

    step: int
    tokens: int
    lr: float
    train_loss: float
    eval_loss: float | None = None


@old_fields(elapsed_s="wall_s")
@dataclass(frozen=True)
class TrainProgress(TrainProgressAliases):
    """A progress report passed to ``train_rung(progress=...)`` at every curve point.

    Attributes:
        run_id: The rung's :attr:`RungConfig.run_id`.
        step: Steps taken so far.
        steps: Steps in total.
        tokens: Training tokens seen so far.
        train_loss: Mean training loss since the previous report.
        eval_loss: Latest held-out loss, or ``None`` before the first evaluation.
        tokens_per_s: Training throughput of this process (excludes evaluation).
        wall_s: Wall time of training so far, summed over resumed segments, as
            :attr:`RungResult.wall_s` (``elapsed_s``: its old name).
        checkpoint_step: The step of the rung's latest checkpoint, which a resume starts
            from (0: none yet; ``None``: not reported, as by an older worker). A checkpoint
            saved between reports sends the last report again with this, ``step`` and
            ``tokens`` updated.
    """

    run_id: str
    step: int
    steps: int
    tokens: int
    train_loss: float
    eval_loss: float | None
    tokens_per_s: float
    wall_s: float
    checkpoint_step: int | None = None


@old_fields(eval_loss="loss")
@dataclass(frozen=True)
class RungResult(RungResultAliases):
    """The outcome of training one rung (also written to ``workdir/result.json``).

    Attributes:
        run_id: :attr:`RungConfig.run_id` (the store key).
        name: The rung's name.
        status: ``"finished"``, or ``"diverged"`` where it trained to the end with a final
            eval loss worse than a uniform guess (:func:`beats_uniform`): the status the
            store records it with.
        steps: Optimiser steps taken.
        tokens: Training tokens seen.
        train_loss: Final training loss: the mean over the last ``max(1, steps // 10)``
            steps (at most 100), in nats per byte.
        loss: Final held-out loss in nats per byte (the same fixed held-out windows as every
            evaluation of the run; the last curve point's ``eval_loss``): the store's
            ``loss`` of the run (``eval_loss``: its old name).
        wall_s: Wall time of training, summed over resumed segments.
        tokens_per_s: ``tokens / training time`` (evaluation and checkpoints excluded,
            ``torch.compile``'s first-step compilation included; the benchmark excludes it).
        mfu: Model-FLOP utilisation against the GPU's dense bf16 peak, or ``None`` (CPU, or a
            GPU whose peak scalinglab does not know).
        hardware: The device, e.g. ``"NVIDIA H100 80GB HBM3"`` or ``"cpu (2 threads)"``.
        software: Versions: python, torch, cuda, scalinglab.
        corpus: The corpus as named in the config.
        corpus_hash: SHA-256 of the corpus contents.
        resumed_from_step: Step the last resume started from, or ``None``.
        curve: The loss curve.
    """

    run_id: str
    name: str
    status: str
    steps: int
    tokens: int
    train_loss: float
    loss: float
    wall_s: float
    tokens_per_s: float
    mfu: float | None
    hardware: str
    software: dict[str, str]
    corpus: str
    corpus_hash: str
    resumed_from_step: int | None
    curve: tuple[CurvePoint, ...]

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.rung_result(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary; :meth:`from_dict` reads it back.

        Returns:
            The result's fields, its curve a list of points' dictionaries (``"eval_loss"``,
            the old key of ``"loss"``, kept beside it one release).
        """
        out = asdict(self)
        out["eval_loss"] = self.loss  # the old key of "loss", kept one release
        out["curve"] = [asdict(p) for p in self.curve]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RungResult:
        """Rebuild a result from :meth:`to_dict` output.

        Args:
            data: The dictionary :meth:`to_dict` wrote (an older one's ``"eval_loss"`` read
                as ``"loss"``).

        Returns:
            The result.

        Raises:
            ConfigError: For a field missing from ``data``.
        """
        known = {f.name for f in fields(cls)}
        if "loss" not in data and "eval_loss" in data:  # written before the rename
            data = {**data, "loss": data["eval_loss"]}
        missing = sorted(known - set(data))
        if missing:
            raise ConfigError(f"rung result is missing {', '.join(missing)}")
        values = {k: data[k] for k in known}
        values["curve"] = tuple(CurvePoint(**p) for p in data["curve"])
        values["software"] = dict(data["software"])
        return cls(**values)
