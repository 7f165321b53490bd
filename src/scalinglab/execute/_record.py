"""The store's record of a rung: counts from its config, metrics and curve from its result."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from scalinglab._deprecated import old_fields
from scalinglab._format import format_g, format_loss
from scalinglab.execute._old_names import RungOutcomeAliases
from scalinglab.store import StoredRun

if TYPE_CHECKING:
    from pathlib import Path

    from scalinglab.execute._backend import RungError
    from scalinglab.execute._predict import TopPrediction
    from scalinglab.ladder import RungConfig, RungResult

__all__ = ["LadderReport", "RungOutcome", "curve_frame", "stored_run", "worse_than_uniform"]


@old_fields(name="rung")
@dataclass(frozen=True)
class RungOutcome(RungOutcomeAliases):
    """What happened to one rung in this call.

    Attributes:
        rung: The rung's name (``name``: its old name).
        run_id: Its store key.
        status: ``"finished"`` (trained now), ``"recorded"`` (trained by an earlier call
            or, while this one waited, by another driver's worker: recorded, not trained),
            ``"skipped"`` (finished before, in the store), ``"diverged"`` (its loss became
            NaN or infinite, or ended worse than a uniform guess), ``"failed"``,
            ``"interrupted"`` (stopped by Ctrl-C: a rerun resumes it; see
            :class:`~scalinglab.execute.LadderInterrupted`) or ``"pending"`` (never run,
            not started when Ctrl-C came: in an interrupted report only, where a rung not
            started has ``ladder status``'s word, ``"interrupted"`` for one an earlier
            Ctrl-C stopped).
        loss: Final held-out loss, where finished: the store's ``loss`` of the run, its
            :attr:`RungResult.loss <scalinglab.ladder.RungResult.loss>`.
        resumed_from_step: The checkpoint step it resumed from, if it did.
        error: Why it failed.
    """

    rung: str
    run_id: str
    status: str
    loss: float | None = None
    resumed_from_step: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class LadderReport:
    """The outcome of :func:`run_ladder`: one entry per rung, and the top-rung prediction.

    Attributes:
        ladder: The ladder's name.
        outcomes: One entry per rung, in the ladder's order.
        prediction: The top rung's prediction (``None`` where none was made).
    """

    ladder: str
    outcomes: tuple[RungOutcome, ...]
    prediction: TopPrediction | None = None

    @property
    def failed(self) -> tuple[RungOutcome, ...]:
        """The rungs that failed."""
        return tuple(o for o in self.outcomes if o.status in ("failed", "diverged"))


def stored_run(
    rung: RungConfig,
    *,
    ladder: str,
    backend: str,
    status: str,
    result: RungResult | None = None,
    error: RungError | None = None,
    prediction: TopPrediction | None = None,
    folder: Path | None = None,
) -> StoredRun:
    """The store's record of ``rung``: counts from its config, metrics from its result.

    Args:
        rung: The rung.
        ladder: The ladder's name.
        backend: The backend that ran it.
        status: The run's status (``"pending"``, ``"finished"``...).
        result: Its metrics, once trained.
        error: What went wrong, for a rung that failed.
        prediction: Its loss as predicted from the rungs below it.
        folder: Its work folder, whose parent is kept as the ``workdir`` it ran in.

    Returns:
        The run as the store records it.
    """
    from scalinglab.ladder import rung_counts

    counts = rung_counts(rung)
    training: dict[str, object] = {"steps": counts.steps, "backend": backend}
    if folder is not None:  # a rerun without --workdir finds its checkpoint there
        training["workdir"] = str(folder.resolve().parent)
    extra: dict[str, object] = {"ladder": ladder, "training": training}
    if result is not None:
        training["resumed_from_step"] = result.resumed_from_step
    if error is not None:
        extra["error"] = {"message": error.message, "hint": error.hint}
    if prediction is not None:
        extra["prediction"] = prediction.to_dict()
    return StoredRun(
        run_id=rung.run_id,
        name=rung.name,
        status=status,
        params=counts.params,
        params_non_embedding=counts.params_non_embedding,
        flops=counts.flops,
        flops_6nd=counts.flops_6nd,
        tokens=counts.tokens if result is None else result.tokens,
        loss=None if result is None else result.loss,
        train_loss=None if result is None else result.train_loss,
        wall_s=None if result is None else result.wall_s,
        tokens_per_s=None if result is None else result.tokens_per_s,
        mfu=None if result is None else result.mfu,
        hardware=None if result is None else result.hardware,
        corpus=rung.corpus if result is None else result.corpus,
        corpus_hash=None if result is None else result.corpus_hash,
        config=rung.to_dict(),
        software={} if result is None else dict(result.software),
        extra=extra,
        source=f"ladder:{ladder}",
        source_run_id=rung.name,
    )


def worse_than_uniform(rung: RungConfig, result: RungResult) -> RungError | None:
    """Why ``result`` counts as diverged though it trained to the end: a final eval loss
    above ``ln(vocab_size)``, the loss of a uniform guess over the vocabulary (a model that
    knows nothing scores that), or not finite; ``None`` for a real result. A rung whose
    training loss fell all the way to its last step (:func:`still_falling`) is told as too
    short, with advice to train longer, not to lower the learning rate."""
    from scalinglab.execute._backend import RungError
    from scalinglab.ladder._result import beats_uniform

    vocab = rung.model.vocab_size
    loss, uniform = result.loss, math.log(vocab)
    if beats_uniform(loss, vocab):  # the trainer's rule: its result.json says "diverged"
        return None
    # losses to 4 decimals, as every ladder line writes one (a NaN or inf as Python does)
    shown = format_loss(loss) if math.isfinite(loss) else format_g(loss)
    worse = (
        f"its final eval loss {shown} is worse than ln {vocab} = {format_loss(uniform)}, a "
        f"uniform guess over its {vocab}-token vocabulary"
    )
    lr = format_g(rung.train.lr, 3)
    fell = still_falling(result, uniform) if math.isfinite(loss) else None
    if fell is None:
        error = RungError(
            f"rung {rung.name!r} diverged: {worse}",
            hint=f"lower the learning rate (lr {lr}) or raise warmup",
        )
    else:  # recorded diverged all the same (no usable loss), but told apart from a blow-up
        error = RungError(
            f"rung {rung.name!r} did not beat a uniform guess: {worse}, though its training "
            f"loss fell ({fell}) and ended at its lowest: too few steps to learn, not a blow-up",
            hint=f"train it on more tokens; a lower learning rate (lr {lr}) would only "
            "learn slower",
        )
    error.diverged = True
    return error


#: How far (relative) the last logged training loss may sit above the curve's lowest and
#: still count as its lowest: the noise of a mean over a few steps.
_AT_LOWEST = 0.01
#: How far (relative) above a uniform guess's loss a training loss may go in a rung that did
#: not blow up: an initialised model scores about ln(vocab) (a byte model's first steps
#: 5.57 against 5.55); an lr that blows up lands far above it (lr 10: 9.7).
_NEAR_UNIFORM = 0.1


def still_falling(result: RungResult, uniform: float) -> str | None:
    """Where a rung's training loss fell to its lowest at the end (``"5.93 at step 10 to 5.60
    at step 26"``: its first and last logged points), never far above ``uniform`` (the loss
    of a uniform guess, ``ln(vocab)``), or ``None``: fewer than two points, a loss that did
    not fall, rose from its lowest, or went well above a uniform guess (a blow-up)."""
    points = [p for p in result.curve if math.isfinite(p.train_loss)]
    if len(points) < 2 or len(points) < len(result.curve):
        return None
    first, last = points[0], points[-1]
    lowest = min(p.train_loss for p in points)
    highest = max(p.train_loss for p in points)
    if not (
        last.train_loss < first.train_loss
        and last.train_loss <= lowest * (1 + _AT_LOWEST)
        and highest <= uniform * (1 + _NEAR_UNIFORM)
    ):
        return None
    return (
        f"{format_loss(first.train_loss)} at step {first.step:,} to "
        f"{format_loss(last.train_loss)} at step {last.step:,}"
    )


def curve_frame(result: RungResult) -> pd.DataFrame:
    """The result's loss curve in the store's columns (a missing eval loss is NaN)."""
    return pd.DataFrame(
        {
            "step": [p.step for p in result.curve],
            "tokens": [float(p.tokens) for p in result.curve],
            "lr": [p.lr for p in result.curve],
            "train_loss": [p.train_loss for p in result.curve],
            "eval_loss": [
                float("nan") if p.eval_loss is None else p.eval_loss for p in result.curve
            ],
        }
    )
