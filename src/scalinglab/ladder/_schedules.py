"""Learning-rate schedules as pure functions ``step -> multiplier of the peak LR``.

Small pieces joined together, as optax does, instead of one function full of flags::

    sched = join([warmup(100), cosine(900, final=0.1)], boundaries=[100])
    sched(0), sched(100), sched(999)        # 0.0 (then rising), 1.0, ≈0.1

A schedule is any ``Callable[[int], float]``; the multiplier at ``step`` is used for the
update taken at that step (0-based). :func:`schedule_for` builds the one a
:class:`~scalinglab.ladder.TrainConfig` asks for.

These are the ladder's conventions, not those of the curve specs built on these pieces
(:mod:`scalinglab.curves._schedule_spec`, after the shared lr-schedule curves):
:func:`warmup` gives update ``k`` ``(k+1)/steps`` (curve specs: ``s/warmup``, 0 at step
0), :func:`wsd` decays linearly and reaches ``final`` on the last step (a ``wsd:`` spec
decays exponentially unless ``shape=linear``, and stops one decay step short of its
end), and :func:`cosine` spans ``steps - 1`` steps after the warm-up, as the specs'
cosine does, where the shared curves' source divides by ``steps``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from scalinglab._errors import ConfigError
from scalinglab.ladder._config import TrainConfig

__all__ = [
    "Schedule",
    "constant",
    "cosine",
    "join",
    "linear",
    "schedule_for",
    "warmup",
    "wsd",
]

Schedule = Callable[[int], float]


def constant(value: float = 1.0) -> Schedule:
    """``value`` at every step.

    Args:
        value: The multiplier.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    return lambda step: value


def warmup(steps: int, *, start: float = 0.0, end: float = 1.0) -> Schedule:
    """Linear from ``start`` to ``end`` over ``steps``; ``end`` from then on.

    Step ``k < steps`` gets ``start + (end - start)·(k + 1)/steps``, so the first update is
    already non-zero and step ``steps - 1`` reaches ``end``.

    Args:
        steps: Warm-up steps (0 or fewer: ``end`` throughout).
        start: The multiplier it rises from.
        end: The multiplier it reaches.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    if steps <= 0:
        return constant(end)
    return lambda step: end if step >= steps else start + (end - start) * (step + 1) / steps


def linear(steps: int, *, start: float = 1.0, final: float = 0.0) -> Schedule:
    """Linear from ``start`` at step 0 to ``final`` at step ``steps - 1``, then ``final``.

    Args:
        steps: Steps it spans.
        start: The multiplier at step 0.
        final: The multiplier from step ``steps - 1`` on.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    span = max(steps - 1, 1)
    return lambda step: final if step >= span else start + (final - start) * step / span


def cosine(steps: int, *, start: float = 1.0, final: float = 0.0) -> Schedule:
    """Half-cosine from ``start`` at step 0 to ``final`` at step ``steps - 1`` (Loshchilov &
    Hutter 2017, without restarts), then ``final``.

    Args:
        steps: Steps it spans.
        start: The multiplier at step 0.
        final: The multiplier from step ``steps - 1`` on.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    span = max(steps - 1, 1)

    def schedule(step: int) -> float:
        t = min(step, span) / span
        return final + (start - final) * 0.5 * (1.0 + math.cos(math.pi * t))

    return schedule


def join(schedules: Sequence[Schedule], *, boundaries: Sequence[int]) -> Schedule:
    """Run ``schedules[i]`` between ``boundaries[i-1]`` and ``boundaries[i]``, each one seeing
    steps counted from its own start (like ``optax.join_schedules``).

    Args:
        schedules: The pieces, in order.
        boundaries: The step each piece after the first starts at (one fewer than
            ``schedules``).

    Returns:
        The joined schedule: step -> multiplier of the peak LR.

    Raises:
        ConfigError: For a count of boundaries that is not one fewer than of schedules.
    """
    if len(boundaries) != len(schedules) - 1:
        raise ConfigError(
            f"join needs one boundary fewer than schedules, got {len(schedules)} schedules "
            f"and {len(boundaries)} boundaries"
        )
    starts = [0, *boundaries]

    def schedule(step: int) -> float:
        i = sum(step >= b for b in boundaries)
        return schedules[i](step - starts[i])

    return schedule


def wsd(steps: int, *, warmup_steps: int, decay_steps: int, final: float = 0.0) -> Schedule:
    """Warmup-stable-decay (Hu et al. 2024, MiniCPM; Hägele et al. 2024): linear warmup,
    constant peak, then a linear decay to ``final`` over the last ``decay_steps``.

    Args:
        steps: Steps in all, warm-up included.
        warmup_steps: Steps of the linear warm-up.
        decay_steps: Steps of the decay (at most those after the warm-up).
        final: The multiplier the decay reaches on the last step.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    decay_steps = min(decay_steps, steps - warmup_steps)
    stable = steps - warmup_steps - decay_steps
    return join(
        [warmup(warmup_steps), constant(1.0), linear(decay_steps, final=final)],
        boundaries=[warmup_steps, warmup_steps + stable],
    )


def schedule_for(train: TrainConfig, steps: int) -> Schedule:
    """The schedule ``train`` asks for, over ``steps`` optimiser steps.

    Args:
        train: The training config (its schedule, warm-up, decay and final lr ratio).
        steps: Optimiser steps.

    Returns:
        The schedule: step -> multiplier of the peak LR.
    """
    w = train.warmup(steps)
    rest = steps - w
    final = train.min_lr_ratio
    if train.schedule == "wsd":
        return wsd(
            steps, warmup_steps=w, decay_steps=round(train.decay_fraction * steps), final=final
        )
    if train.schedule == "cosine":
        after = cosine(rest, final=final)
    elif train.schedule == "linear":
        after = linear(rest, final=final)
    else:
        after = constant(1.0)
    return join([warmup(w), after], boundaries=[w])
