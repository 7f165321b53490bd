"""What planning starts from: a preset or a fit result, checked, as one array of rows.

Row 0 holds the point estimate of the law's parameters and rows 1..R its bootstrap samples,
all in natural units, so every planning quantity is computed for all of them at once.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError, check_level
from scalinglab._format import format_g
from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention, flops_of
from scalinglab.data._units import as_quantity
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.laws import Law, Preset, get_preset
from scalinglab.laws._presets import PRESET_LEVEL
from scalinglab.plan._result import Estimate
from scalinglab.plan._search import planning_symbols
from scalinglab.plan._withheld import check_withheld

__all__ = [
    "DEFAULT_LEVEL",
    "FitLike",
    "Rows",
    "Source",
    "check_level",
    "check_positive",
    "compute_symbol",
    "no_finite_prediction",
    "one_per_call",
    "percentile_interval",
    "planned_flops",
    "resolve",
    "sample_estimate",
]

Array = NDArray[np.float64]

#: Interval level recorded for a preset, which has no samples and so no interval.
DEFAULT_LEVEL = PRESET_LEVEL


@runtime_checkable
class FitLike(Protocol):
    """What planning reads from a fit result (such as :class:`scalinglab.FitResult`).

    Attributes:
        law: The law form.
        coefs: Best-fit values in natural units, by parameter name.
        samples: Bootstrap fits ``(R, K)`` in natural units, in ``law.param_names`` order,
            or ``None``.
        level: Coverage of the fit's intervals, used when no ``level`` is given.
    """

    @property
    def law(self) -> Law: ...
    @property
    def coefs(self) -> Mapping[str, float]: ...
    @property
    def samples(self) -> NDArray[np.float64] | None: ...
    @property
    def level(self) -> float: ...


#: What can be planned from: a preset, its name, or a fit result.
Source = Preset | FitLike | str | os.PathLike[str]


@dataclass(frozen=True)
class Rows:
    """A law with its point estimate (row 0) and bootstrap samples (rows 1..R), natural units,
    and how its budgets count compute (``flops``: C = 6·N·D, or C = 6·N·D·r(N) as a fit's runs
    counted it)."""

    law: Law
    values: Array
    level: float
    notes: tuple[str, ...]
    flops: FlopsConvention = PLAIN_6ND
    path: str | None = None  # the fit file the values were read from (FitResult.path)

    @property
    def n_samples(self) -> int:
        return len(self.values) - 1


def check_positive(name: str, value: float | str, example: str) -> float:
    """``value`` as a float if it is one positive, finite number (``1e21``, ``"1e21"``,
    ``"7B"``); otherwise a :class:`ConfigError`.

    Args:
        name: The option's name, for the message.
        value: Its value.
        example: A valid setting to suggest, e.g. ``"flops=1e21"``.
    """
    return as_quantity(value, name, example=example.partition("=")[2] or example)


def one_per_call(
    name: str, value: object, *, example: str, call: str, plans: str, variable: str
) -> float:
    """``value`` as one positive number (:func:`check_positive`); several are refused with
    the loop that plans each, as ``call`` returns one :class:`Allocation` per call.

    A 0-d array (``np.array(1e21)``) and a numpy scalar (``np.int64(10**21)``) are one
    number; an array or list of one element is refused like several (it asks for a list of
    plans, and one :class:`Allocation` is not one).

    Args:
        name: The option's name, for the message (``"flops"``).
        value: Its value.
        example: A valid setting to suggest for a bad single value, e.g. ``"flops=1e21"``.
        call: The function that plans, for the message and the loop (``"optimal_allocation"``).
        plans: What it plans one of per call, in words (``"budget"``).
        variable: The loop's variable (``"c"``).
    """
    if (isinstance(value, np.ndarray) and value.ndim == 0) or isinstance(value, np.generic):
        value = value.item()  # one number, and its errors say 1e+21, not array(1e+21)
    if isinstance(value, Sequence | np.ndarray) and not isinstance(value, str):
        items = [_plain(v) for v in np.ravel(np.asarray(value, dtype=object)).tolist()]
        given = ", ".join(format_g(v) if isinstance(v, float | int) else repr(v) for v in items)
        raise ConfigError(
            f"{name} must be one number, got a list of {len(items)} ([{given}]): "
            f"{call} plans one {plans} per call and returns one Allocation",
            hint=f"call it once per {plans}, e.g. "
            f"[{call}(fit, {name}={variable}) for {variable} in [{given}]]",
        )
    return check_positive(name, value, example)  # type: ignore[arg-type]


def _plain(item: object) -> object:
    """``item`` as Python writes it in a hint: a numpy scalar as its number (``1e+18``, not
    ``np.int64(1000000000000000000)``), anything else as it is."""
    return item.item() if isinstance(item, np.generic) else item


def compute_symbol(law: Law) -> str | None:
    """The symbol of a law of compute alone (its one variable reads ``flops``: ``L(C)``),
    else ``None``: such a law plans the compute of a loss and the loss of a compute, with no
    allocation (:mod:`._compute_alone`)."""
    variables = dict(law.variables)
    if len(variables) == 1 and list(variables.values()) == ["flops"]:
        return next(iter(variables))
    return None


def loaded(source: Source) -> Source:
    """``source``, with a path to a fit saved by :meth:`FitResult.save` read (a
    :class:`os.PathLike`, or a string ending in ``.json`` or naming a file), as
    ``plan --fit`` reads one; a preset's name and any object pass as they are."""
    if isinstance(source, os.PathLike) or (
        isinstance(source, str)
        and (source.strip().lower().endswith(".json") or Path(source).is_file())
    ):
        from scalinglab.fit._result import FitResult

        return FitResult.load(source)
    return source


def resolve(source: Source, level: float | None, *, preset: str) -> Rows:
    """The law, point estimate and samples of ``source``, checked.

    Args:
        source: A preset, a preset's name, a fit result, or the path of a saved fit.
        level: Interval coverage; ``None`` takes the fit's level (:data:`DEFAULT_LEVEL` for a
            preset).
        preset: The call that plans from a published law instead, as the caller was called
            (``optimal_allocation('hoffmann2022', flops=1e+23)``): a withheld plan's hint.

    Raises:
        ConfigError: If the source is a fit whose plan is withheld (its runs leave N and
            D unidentified: :mod:`._withheld`), of another kind, its law is neither in params and
            tokens nor of compute alone (:func:`compute_symbol`), its values are incomplete or not finite, its samples have the wrong shape, or the
            level is not in (0, 1).
    """
    source = loaded(source)
    check_withheld(source, preset=preset)  # N and D unidentified: any plan is arbitrary
    if isinstance(source, str):
        source = get_preset(source)
    if isinstance(source, Preset):
        law, values, samples, default = source.law, source.coefs, None, DEFAULT_LEVEL
    elif isinstance(source, FitLike) and isinstance(source.law, Law):
        law, values, samples, default = source.law, source.coefs, source.samples, source.level
    else:
        raise ConfigError(
            f"cannot plan from {type(source).__name__}",
            hint="pass a Preset (or its name, e.g. 'hoffmann2022'), a fit result, or the path "
            "of a saved fit ('fit.json')",
        )
    if compute_symbol(law) is None:
        planning_symbols(law)
    names = law.param_names
    missing = [n for n in names if n not in values]
    if missing:
        raise ConfigError(f"the parameters of law {law.name!r} lack values for {missing}")
    try:
        point = np.array([float(values[n]) for n in names], dtype=np.float64)
    except (TypeError, ValueError):
        point = np.full(len(names), np.nan)
    if not np.all(np.isfinite(point)):
        shown = {n: values[n] for n in names}
        raise ConfigError(
            f"the parameters of law {law.name!r} are not all finite numbers: {shown}",
            hint="plan from a fit that converged",
        )
    notes: list[str] = []
    draws = np.empty((0, len(names)))
    if samples is not None:
        draws = np.asarray(samples, dtype=np.float64)
        if draws.ndim != 2 or draws.shape[1] != len(names):
            raise ConfigError(
                f"bootstrap samples must be an (R, {len(names)}) array in the order {names}, "
                f"got shape {draws.shape}"
            )
        finite = np.all(np.isfinite(draws), axis=1)
        if not np.all(finite):
            notes.append(
                f"{int(np.sum(~finite))} bootstrap samples with non-finite values left out"
            )
            draws = draws[finite]
    level = check_level(default if level is None else level)
    # the intervals' ends are single resamples: fit's rule, at the level planned, the fit's
    # own too (an allocation says its own caveats; `plan` and `fit` print the fit's warnings
    # and leave out an allocation's that repeat one)
    few = few_resamples_warning(len(draws), level)
    if few:
        notes.append(f"warning: {few}")
    path = getattr(source, "path", None)
    return Rows(
        law,
        np.vstack([point, draws]),
        level,
        tuple(notes),
        planned_flops(source, law),
        path if isinstance(path, str) else None,
    )


def planned_flops(fit: object, law: Law) -> FlopsConvention:
    """How plans from ``fit`` (of ``law``) count a budget: a law of N and D as its fit's
    runs counted FLOPs (:func:`~scalinglab.data._flops_rule.flops_of`: its recorded
    ``flops_convention``, else its conventions' words; a preset's say 6·N·D); a law of C
    itself reads C as it was fitted, with no split to count (6·N·D)."""
    return flops_of(fit) if compute_symbol(law) is None else PLAIN_6ND


def no_finite_prediction(rows: Rows, what: str) -> DataError:
    """The error for a point estimate (row 0) that gives no finite ``what`` (a fit file
    edited to a negative exponent): it names the coefficients, and the file they were read
    from (:attr:`Rows.path`)."""
    law, point = rows.law, rows.values[0]
    shown = ", ".join(f"{n}={format_g(v, 4)}" for n, v in zip(law.param_names, point, strict=True))
    return DataError(
        f"the fit's coefficients give no finite prediction: {what} is not finite ({shown})",
        source=rows.path,
        hint="check the coefficients (a law's exponents are positive), or write the fit again "
        "with `scalinglab fit ... --out fit.json`",
    )


def percentile_interval(values: Array, level: float) -> tuple[float, float]:
    """Percentile interval (linear interpolation, as :func:`numpy.percentile`); NaN values are
    left out and ``+inf`` values rank above everything, so an end that falls among them is inf."""
    v = np.sort(values[~np.isnan(values)])
    if v.size == 0:
        return math.nan, math.nan
    pos = np.array([(1 - level) / 2, (1 + level) / 2]) * (v.size - 1)
    lo = np.floor(pos).astype(np.intp)
    hi = np.ceil(pos).astype(np.intp)
    frac = pos - lo
    a, b = v[lo], v[hi]
    with np.errstate(invalid="ignore"):
        ends = np.where(frac == 0, a, np.where(np.isinf(b), b, a + (b - a) * frac))
    return float(ends[0]), float(ends[1])


def sample_estimate(values: Array, level: float) -> Estimate:
    """The estimate of a planned quantity: ``values[0]`` (the point: the fit's, or the
    preset's), with the :func:`percentile_interval` of the resamples after it (NaN without
    any)."""
    lower, upper = percentile_interval(values[1:], level)
    return Estimate(float(values[0]), lower, upper)
