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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g, format_grouped
from scalinglab._keywords import methods_checked
from scalinglab.curves._given_warmup import check_warmup, contradiction
from scalinglab.curves._logged import checked_rates, rate_fault

__all__ = ["EVERY", "MAX_STEPS", "Schedule", "check_steps"]

Array = NDArray[np.float64]

#: Most steps a schedule is built with: its learning rates are held step by step.
MAX_STEPS = 10_000_000
#: The note of a rate logged every few steps (``{}``: the median gap), said once for all
#: the curves of a fit (:func:`scalinglab.curves._caveats.assumed`).
EVERY = "lr logged every {} steps: interpolated linearly in between"
_TOKENS_HINT = (
    "count optimizer steps, not tokens: a 2T-token run at 4M tokens per batch takes 500,000"
)


def check_steps(steps: int, what: str) -> None:
    """Refuse a schedule of more than :data:`MAX_STEPS` steps (``what`` says whose), before
    its learning rates are built one per step.

    Raises:
        ConfigError: naming ``what``, with the hint that steps are not tokens.
    """
    if steps > MAX_STEPS:
        raise ConfigError(
            f"{what}: steps={format_grouped(steps)} is more than the "
            f"{format_grouped(MAX_STEPS)} a schedule holds (one learning rate per step)",
            hint=_TOKENS_HINT,
        )


def _whole(value: object, key: str, what: str) -> int:
    """A count of steps (``warmup``, ``steps``) as a whole number: ``2.0`` is 2; ``2.5``
    and ``True`` are refused, naming ``what`` and ``key``."""
    number = None
    if isinstance(value, int | np.integer | float | np.floating) and not isinstance(value, bool):
        number = float(value)
    if number is None or not np.isfinite(number) or number != round(number):
        raise ConfigError(
            f"{what}: {key}={value!r} is not a whole number of steps",
            hint=f"pass a whole count of optimizer steps, e.g. {key}=2160",
        )
    return round(number)


def _rate(value: object) -> bool:
    """Whether ``value`` is a learning rate as a number: a float, an int, NumPy's scalars
    (a 0-d array too); not a bool, nor a string of one."""
    if isinstance(value, bool | str | bytes):
        return False
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


@methods_checked()
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
        what = f"schedule {self.spec or 'custom'}"
        try:
            lr = np.array(self.lr, dtype=np.float64)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{what}: lr is not an array of numbers", hint="pass one learning rate per step"
            ) from None
        if lr.ndim != 1:
            raise ConfigError(
                f"{what}: lr must hold one learning rate per step (a 1-D array), got an "
                f"array of shape {lr.shape}",
                hint="pass lr as a list or a 1-D array: lr[s] is the rate at step s",
            )
        if len(lr) == 0:
            raise ConfigError(f"{what}: a schedule needs at least one step of learning rate")
        bad = ~np.isfinite(lr) | (lr < 0)
        if bad.any():
            s = int(np.argmax(bad))
            raise ConfigError(
                f"{what}: learning rate {lr[s]} at step {s} {rate_fault(lr[s])}",
                hint="learning rates must be finite and >= 0",
            )
        warmup = _whole(self.warmup, "warmup", what)
        if not 0 <= warmup < len(lr):
            raise ConfigError(
                f"{what}: a warm-up of {warmup} steps does not fit in its {len(lr)} steps",
                hint="the warm-up must be >= 0 and shorter than the run",
            )
        if not lr[warmup:].any():  # the curve laws integrate the rate: no loss to predict
            raise ConfigError(
                f"{what}: the learning rate is 0 at every step after the warm-up ({warmup} "
                "steps): a curve law has no loss to predict under it",
                hint="check the lr values (a rate logged in the wrong column, or rounded to 0?)",
            )
        lr.setflags(write=False)
        object.__setattr__(self, "lr", lr)
        object.__setattr__(self, "warmup", warmup)

    @property
    def steps(self) -> int:
        """Number of steps, ``T``."""
        return len(self.lr)

    @property
    def peak(self) -> float:
        """The highest learning rate of any step (a spec's ``peak``), warm-up included."""
        return float(self.lr.max())

    def __repr__(self) -> str:  # a canonical spec says its steps and warm-up itself
        said = [f"{k}={v}" for k, v in (("steps", self.steps), ("warmup", self.warmup))]
        shown = [p for p in said if f"{p.split('=')[0]}=" not in self.spec]
        return f"Schedule({', '.join([self.spec or 'custom', *shown])})"

    @classmethod
    def from_function(
        cls, function: Callable[[int], float], *, steps: int, warmup: int = 0, spec: str = ""
    ) -> Schedule:
        """The learning rate ``function(step)`` at every step ``0 .. steps-1``.

        Args:
            function: The learning rate at a step.
            steps: How many steps (whole, positive).
            warmup: Steps of warm-up at the start (:attr:`warmup`).
            spec: How it was built, for its repr (default ``"function"``).

        Returns:
            The schedule of those ``steps`` rates.

        Raises:
            ConfigError: For steps not a whole positive number, or a rate not a number.
        """
        what = f"schedule {spec or 'function'}"
        steps = _whole(steps, "steps", what)  # steps=1.5: no count of steps
        check_steps(steps, what)
        rates = [function(s) for s in range(steps)]
        for s, lr in enumerate(rates):  # "3e-4" or None: not Python's float() ValueError
            if not _rate(lr):
                raise ConfigError(
                    f"{what}: function({s}) returned {type(lr).__name__} {lr!r}, not a "
                    "learning rate",
                    hint="the function takes a step (0, 1, ...) and returns its learning rate "
                    "as a number, e.g. lambda step: 3e-4",
                )
        return cls(np.array(rates, dtype=np.float64), warmup=warmup, spec=spec or "function")

    @classmethod
    def from_logged(
        cls,
        step: Array,
        lr: Array,
        *,
        warmup: int | None = None,
        steps: int | None = None,
        source: str = "<logged>",
        columns: tuple[str, str] = ("step", "lr"),
        rows: Sequence[int] | None = None,
    ) -> Schedule:
        """Reconstruct the per-step schedule from learning rates logged every few steps.

        Between two logged steps the rate is interpolated linearly, except where it is flat
        on both sides of the gap (a step change, as in multi-step schedules): there it
        jumps at the later logged step (the first one logged with the new rate). Before the
        first logged step the rate is taken to rise linearly from 0 (the usual warm-up)
        unless it was logged from step 0: over the steps up to the first logged one, or over
        a given ``warmup`` that ends sooner (then held at the first logged rate); step 0 is
        0 either way (a first logged step of 1 only adds that 0). After the last one it is
        held. Each assumption made is listed in :attr:`notes`.

        Args:
            step: Logged steps (0-based, strictly increasing).
            lr: Learning rate at each logged step.
            warmup: Warm-up steps (default: the step where the rate first reaches its
                peak, the first logged step when it is logged at its peak from there on).
            steps: Steps in the run (default: last logged step + 1).
            source: Named in errors.
            columns: The step and lr columns the values were read from, named in errors.
            rows: The row of each value in ``source`` (as the user sees it), named in errors.

        Returns:
            The schedule's rate at every step, its assumptions in :attr:`notes`.
        """
        s, v = checked_rates(step, lr, source=source, columns=columns, rows=rows)
        first, last = int(s[0]), int(s[-1])
        if steps is not None:
            total = _whole(steps, "steps", source)
            if total <= last:
                raise ConfigError(
                    f"{source}: steps={total} ends at or before the last logged step {last}: "
                    "the rates logged after it would be dropped",
                    hint=f"pass steps > {last}, or drop the rows past the run's end",
                )
        else:
            total = last + 1
        check_steps(total, f"{source}: a schedule logged up to step {last}")
        if warmup is not None:
            warmup = _whole(warmup, "warmup", source)
            check_warmup(warmup, total, source)
        grid = np.arange(total, dtype=np.float64)
        out = np.interp(grid, s, v)
        notes = []
        gaps = np.diff(s)
        if len(s) > 1 and gaps.max() > 1:
            notes.append(EVERY.format(format_g(np.median(gaps))))
        dv = np.diff(v)
        for i in range(1, len(dv) - 1):
            flat = abs(dv[i - 1]) <= 1e-12 * v[i] and abs(dv[i + 1]) <= 1e-12 * v[i + 1]
            if dv[i] != 0 and flat and gaps[i] > 1:
                out[int(s[i]) + 1 : int(s[i + 1])] = v[i]
                notes.append(
                    f"step change between logged steps {format_grouped(s[i])} and "
                    f"{format_grouped(s[i + 1])}: taken at step {format_grouped(s[i + 1])}, the "
                    "first logged with the new rate"
                )
        if first > 0:
            # linear warm-up from 0 to the first logged rate (the usual warm-up), over the
            # warm-up when one is given and ends before the first logged step
            rise = first if warmup is None else max(1, min(int(warmup), first))
            out[:first] = v[0] * np.minimum(np.arange(first) / rise, 1.0)
            # the note says what was filled in: step 0 is always 0 (even under warmup=0)
            if first == 1:
                how = "step 0's rate taken as 0 (a rise from 0 to the first logged rate)"
            elif rise == 1:  # warmup=0 or 1 given
                given = "1 step" if warmup == 1 else f"{warmup} steps"  # 0
                how = (f"step 0's rate taken as 0, the first logged rate held from step 1 "
                       f"(a warm-up of {given}, as given)")  # fmt: skip
            else:
                how = f"a linear rise from 0 over {format_grouped(rise)} steps assumed"
            if warmup is not None and warmup > first:
                how += (f"; the warm-up counted as {format_grouped(warmup)} steps, as given, "
                        "past the first logged step")  # fmt: skip
            notes.append(f"not logged before step {format_grouped(first)}: {how}")
        if warmup is not None:
            w = warmup
            notes += filter(None, [contradiction(s, v, warmup)])  # said as a warning
        else:  # warm-up lasts until the rate first reaches its peak
            w = int(np.argmax(out >= out.max() * (1 - 1e-9)))
            if w != first:
                notes.append(
                    f"warm-up taken as the {format_grouped(w)} steps before the rate first peaks"
                )
        if not out[w:].any():  # refused by the Schedule too: said here with its source
            raise DataError(
                f"the learning rate is 0 at every step after the warm-up ({format_grouped(w)} "
                "steps): a curve "
                "law has no loss to predict under it",
                source=source,
                column=columns[1],
                hint="check the lr values (a rate logged in the wrong column, or rounded to 0?)",
            )
        return cls(out, warmup=w, spec="logged", notes=tuple(notes))
