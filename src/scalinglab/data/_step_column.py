"""The step column of logged curves, one list of names and one rule for every reader (curve
files, ``ingest --history`` of a W&B export or of a plain table): a W&B history export of a
Hugging Face Trainer run holds the optimizer step (``train/global_step``; Lightning logs
``trainer/global_step``) beside W&B's own count of log calls (``_step``), which runs ahead of
it wherever a step logs more than once; the trainer's step is read, with a note naming both.
"""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab.data._column_names import column_key

__all__ = ["LOG_COUNTER", "STEP_ALIASES", "TRAINER_STEPS", "step_note", "without_counter"]

#: The optimizer step as training code logs it (HF Trainer: ``train/global_step``;
#: Lightning: ``trainer/global_step``), read before W&B's log counter where both are there.
TRAINER_STEPS: tuple[str, ...] = ("global_step", "train/global_step", "trainer/global_step")
#: W&B's own counter of ``wandb.log`` calls, the step of a history export by default.
LOG_COUNTER = "_step"
#: Names a step column goes by (as :func:`~._column_names.column_key` writes them).
STEP_ALIASES: tuple[str, ...] = ("step", "steps", "iter", "iteration", *TRAINER_STEPS, LOG_COUNTER)


def _counter(names: Sequence[str]) -> str | None:
    return next((n for n in names if column_key(n) == LOG_COUNTER), None)


def without_counter(names: Sequence[str]) -> list[str]:
    """``names`` less W&B's ``_step`` where a trainer's step column is among them, so that
    the trainer's step is read rather than two columns refused as each could be the step."""
    counter = _counter(names)
    if counter is None or not any(column_key(n) in TRAINER_STEPS for n in names):
        return list(names)
    return [n for n in names if n != counter]


def step_note(names: Sequence[str], chosen: str | None, *, source: str) -> str | None:
    """The note for the step read from ``chosen``, a trainer's step column, where W&B's
    ``_step`` is among ``names`` too (it names both); ``None`` otherwise."""
    counter = _counter(names)
    if chosen is None or counter is None or column_key(chosen) not in TRAINER_STEPS:
        return None
    return (
        f"{source}: step read from column {chosen!r} (the trainer's optimizer step), not "
        f"{counter!r} (W&B's count of its log calls)"
    )
