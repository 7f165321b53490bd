"""Learning-rate schedules as data: the learning rate of every optimiser step.

Curve laws integrate the learning rate over steps, so a schedule here is the array
``lr[s]`` for every 0-based step ``s`` of a run (not a sample of it), plus the length of its
warm-up. Build one from a spec string, a function, or a logged ``lr`` column::

    parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=2160,decay=0.2,steps=24000")
    Schedule.from_function(lambda s: 3e-4 * 0.999**s, steps=5000)
    Schedule.from_logged(step, lr)          # logged every k steps: reconstructed per step

Spec strings are read by :mod:`scalinglab.curves._schedule_spec`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError

__all__ = ["Schedule"]

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Schedule:
    """The learning rate of every step of a run.

    Attributes:
        lr: Learning rate at each 0-based step, ``(T,)``.
        warmup: Steps of warm-up at the start (excluded from the multi-power law's S1).
        spec: How it was built (a spec string, ``"function"`` or ``"logged"``).
        notes: What was assumed to build it (reconstruction from logged values).
    """

    lr: Array
    warmup: int = 0
    spec: str = ""
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        lr = np.array(self.lr, dtype=np.float64)
        if lr.ndim != 1 or len(lr) == 0:
            raise ConfigError("a schedule needs at least one step of learning rate")
        bad = ~np.isfinite(lr) | (lr < 0)
        if bad.any():
            s = int(np.argmax(bad))
            raise ConfigError(
                f"schedule {self.spec or '?'}: learning rate {lr[s]} at step {s} is negative "
                "or not a number",
                hint="learning rates must be finite and >= 0",
            )
        if not 0 <= self.warmup < len(lr):
            raise ConfigError(f"warm-up of {self.warmup} steps does not fit in {len(lr)} steps")
        lr.setflags(write=False)
        object.__setattr__(self, "lr", lr)

    @property
    def steps(self) -> int:
        """Number of steps, ``T``."""
        return len(self.lr)

    @property
    def peak(self) -> float:
        return float(self.lr.max())

    def __repr__(self) -> str:
        return f"Schedule({self.spec or 'custom'!s}, steps={self.steps}, warmup={self.warmup})"

    @classmethod
    def from_function(
        cls, function: Callable[[int], float], *, steps: int, warmup: int = 0, spec: str = ""
    ) -> Schedule:
        """The learning rate ``function(step)`` at every step ``0 .. steps-1``."""
        return cls(
            np.array([function(s) for s in range(steps)], dtype=np.float64),
            warmup=warmup,
            spec=spec or "function",
        )

    @classmethod
    def from_logged(
        cls,
        step: Array,
        lr: Array,
        *,
        warmup: int | None = None,
        steps: int | None = None,
        source: str = "<logged>",
    ) -> Schedule:
        """Reconstruct the per-step schedule from learning rates logged every few steps.

        Between two logged steps the rate is interpolated linearly, except where it is flat
        on both sides of the gap (a step change, as in multi-step schedules): there it
        jumps at the later logged step (the first one logged with the new rate). Before the
        first logged step the rate is taken to rise linearly from 0 (the usual warm-up)
        unless it was logged from step 0. After the last one it is held. Each assumption
        made is listed in :attr:`notes`.

        Args:
            step: Logged steps (0-based, strictly increasing).
            lr: Learning rate at each logged step.
            warmup: Warm-up steps (default: the step where the rate first reaches its
                peak, the first logged step when it is logged at its peak from there on).
            steps: Steps in the run (default: last logged step + 1).
            source: Named in errors.
        """
        s = np.asarray(step, dtype=np.float64)
        v = np.asarray(lr, dtype=np.float64)
        if len(s) == 0:
            raise DataError("no learning rates logged", source=source, column="lr")
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"learning rate {v[i]} at step {s[i]:g} is negative or not a number",
                source=source,
                column="lr",
                hint="learning rates must be finite and >= 0",
            )
        if np.any(np.diff(s) <= 0):
            i = int(np.argmax(np.diff(s) <= 0)) + 1
            raise DataError(
                f"steps must increase: step {s[i]:g} follows {s[i - 1]:g}",
                source=source,
                column="step",
                hint="sort the curve by step and drop repeated steps",
            )
        first, last = int(s[0]), int(s[-1])
        total = last + 1 if steps is None else int(steps)
        grid = np.arange(total, dtype=np.float64)
        out = np.interp(grid, s, v)
        notes = []
        gaps = np.diff(s)
        if len(s) > 1 and gaps.max() > 1:
            notes.append(
                f"lr logged every {np.median(gaps):g} steps: interpolated linearly in between"
            )
        dv = np.diff(v)
        for i in range(1, len(dv) - 1):
            flat = abs(dv[i - 1]) <= 1e-12 * v[i] and abs(dv[i + 1]) <= 1e-12 * v[i + 1]
            if dv[i] != 0 and flat and gaps[i] > 1:
                out[int(s[i]) + 1 : int(s[i + 1])] = v[i]
                notes.append(
                    f"step change between logged steps {s[i]:g} and {s[i + 1]:g}: taken at "
                    f"step {s[i + 1]:g}, the first logged with the new rate"
                )
        if warmup is not None and warmup < 0:
            raise ConfigError(f"warmup must be >= 0 steps, got {warmup}")
        if first > 0:
            # linear warm-up from 0 to the first logged rate (the usual warm-up), over the
            # warm-up when one is given and ends before the first logged step
            rise = first if warmup is None else max(1, min(int(warmup), first))
            out[:first] = v[0] * np.minimum(np.arange(first) / rise, 1.0)
            if rise == 1:
                how = "the first logged rate assumed from step 1 (no warm-up)"
            else:
                how = f"a linear rise from 0 over {rise} steps assumed"
            if warmup is not None and warmup > first:
                how += f"; the warm-up counted as {int(warmup)} steps, as given, past it"
            notes.append(f"not logged before step {first}: {how}")
        if warmup is not None:
            w = int(warmup)
        else:  # warm-up lasts until the rate first reaches its peak
            w = int(np.argmax(out >= out.max() * (1 - 1e-9)))
            if w != first:
                notes.append(f"warm-up taken as the {w} steps before the rate first peaks")
        return cls(out, warmup=w, spec="logged", notes=tuple(notes))
