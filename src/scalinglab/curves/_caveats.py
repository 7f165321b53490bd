"""What to read with a curve fit's predictions, in words: a schedule's parts outside the
fitted curves, a model size beyond the fitted sizes, an estimate outside its own interval,
coefficients held by a bound, what the intervals cover, no interval at all. One wording for
``predict``, ``final_loss`` and ``curves compare``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._defaults import CURVE_BOOTSTRAP
from scalinglab._format import format_count, format_g, format_grouped, format_level
from scalinglab.curves._given_warmup import CONTRADICTS
from scalinglab.curves._no_decay import decay_unmeasured
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._schedules import EVERY
from scalinglab.curves._sized import SizedLaw
from scalinglab.fit._diagnostics import FAR, few_resamples_warning
from scalinglab.fit._implausible import unconverged_warning
from scalinglab.fit._resamples import resamples_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from numpy.typing import NDArray

    from scalinglab.curves._data import Curve
    from scalinglab.curves._result import CurveFit
    from scalinglab.curves._schedules import Schedule

__all__ = [
    "COVERS",
    "assumed",
    "at_bound",
    "beyond_sizes",
    "cooled_past",
    "covers",
    "few_draws",
    "fit_summary",
    "fitted_peaks",
    "fitted_sizes",
    "interval_header",
    "no_interval",
    "outside",
    "prediction_notes",
    "resamples",
    "shifted",
]


def assumed(curves: Sequence[Curve], *, what: str = "curves") -> list[str]:
    """What reading the curves assumed (a warm-up reconstructed, a step change placed, a
    rate interpolated between logged steps), each assumption said once: ``7 curves: not
    logged before step 2176: ...`` (one curve: its run); the gaps rates were logged at, in
    one line (``9 curves: lr logged every 10 to 50 steps: ...``)."""
    said: dict[str, list[str]] = {}
    gaps: list[float] = []
    before, after = EVERY.split("{}")
    for c in curves:
        for n in (n for n in c.schedule.notes if not n.startswith(CONTRADICTS)):  # a warning
            if n.startswith(before) and n.endswith(after):  # one line for every gap
                gaps.append(float(n[len(before) : -len(after)]))
                n = EVERY
            said.setdefault(n, []).append(c.run)
    lo, hi = (min(gaps), max(gaps)) if gaps else (0.0, 0.0)
    every = EVERY.format(format_g(lo) if lo == hi else f"{format_g(lo)} to {format_g(hi)}")
    return [
        f"{runs[0] if len(runs) == 1 else f'{len(runs)} {what}'}: {every if n == EVERY else n}"
        for n, runs in said.items()
    ]


def fit_summary(result: CurveFit) -> str:
    """The line under a curve fit (``curves fit``, ``curves backtest``, the report's curves
    page): starts at the best, coefficients at a bound, the residuals."""
    rms = float((result.residuals**2).mean() ** 0.5)
    return (
        f"{result.n_starts_at_best} of {result.n_starts} starts reached the best fit; "
        f"at bound: {', '.join(result.at_bound) or 'none'}; "
        f"rms log residual {format_g(rms, 3)} over {len(result.residuals)} points"
    )


def resamples(result: CurveFit) -> str:
    """``40 whole-curve resamples``: how many draws of which kind the intervals come from
    (``""`` without a bootstrap)."""
    n = 0 if result.samples is None else len(result.samples)
    return resamples_label(n, result.resample) if n else ""


def interval_header(result: CurveFit, level: float) -> str:
    """``90% interval (40 whole-curve resamples)``: the level, the count and the kind, as
    ``scalinglab fit`` labels its column."""
    drawn = resamples(result)
    return f"{format_level(level)} interval" + (f" ({drawn})" if drawn else "")


def outside(fit: CurveFit, schedule: Schedule, *, name: str = "") -> list[str]:
    """What in ``schedule`` (called ``name``, default its spec) lies outside the fitted
    curves (a peak learning rate above theirs, more steps than the longest, another
    warm-up), in words: the law is extrapolated there."""
    out = []
    peak, warmup = fit.defaults.get("peak", math.nan), fit.defaults.get("warmup", math.nan)
    low, high = (min(fit.peaks), max(fit.peaks)) if fit.peaks else (0.0, peak)  # older files
    name = name or schedule.spec or "the schedule"
    if schedule.peak > 1.05 * high or schedule.peak < low / 1.05:
        above = schedule.peak > high
        decades = math.log10(schedule.peak / high if above else low / schedule.peak)
        out.append(
            _far(
                f"{name}: peak lr {format_g(schedule.peak, 3)} is {decades:.2f} decades "
                f"{'above' if above else 'below'} the fitted curves' ({format_g(high if above else low, 3)})"
                ": the law is extrapolated in learning rate",
                decades,
            )
        )
    if fit.steps and schedule.steps > 1.05 * fit.steps:
        decades = math.log10(schedule.steps / fit.steps)
        out.append(
            _far(
                f"{name}: {format_grouped(schedule.steps)} steps, {decades:.2f} decades beyond "
                f"the longest fitted curve's {format_grouped(fit.steps)}: the law is extrapolated in steps",
                decades,
            )
        )
    share = _warmup_share(fit.law)
    if math.isfinite(warmup) and schedule.warmup != int(warmup) and share:
        out.append(
            f"{name}: a warm-up of {format_grouped(schedule.warmup)} steps where the fitted "
            f"curves had {format_grouped(warmup)}: the warm-up's share of the loss is extrapolated ({share})"
        )
    return out


def _warmup_share(law: str) -> str:
    """What the fitted law (its name; a ``sized:`` one's base) does with a warm-up, in
    words; ``""`` for a law that reads none (``power-steps``)."""
    claw = get_curve_law(law)
    return (claw.base if isinstance(claw, SizedLaw) else claw).warmup_share


def cooled_past(fit: CurveFit, steps: Sequence[int]) -> str:
    """That cooled-down runs of ``steps`` steps end past the longest fitted curve, how many
    and how far (a cooldown adds steps past its checkpoint: at the last logged step, a run
    longer than any fitted), as :func:`outside` says it of a schedule; ``""`` if none do."""
    past = [int(s) for s in steps if fit.steps and s > fit.steps]
    if not past:
        return ""
    most = max(past)
    return (
        f"{len(past)} of the {len(steps)} cooled-down runs end past the longest fitted curve's "
        f"{format_grouped(fit.steps)} steps, the longest at {format_grouped(most)} "
        f"({format_grouped(most - fit.steps)} steps, "
        f"{most / fit.steps - 1:.0%} past it): the curve law is extrapolated in steps there"
    )


def _far(line: str, decades: float) -> str:
    """``line`` as a warning past :data:`~scalinglab.fit._diagnostics.FAR` decades beyond
    the fitted data (as :func:`beyond_sizes`), else as a note."""
    return f"warning: {line}" if decades > FAR else line


def fitted_peaks(fit: CurveFit) -> str:
    """The fitted curves' peak learning rates: ``peak lr 0.0003`` or ``peak lr 1e-4–1e-3``."""
    peak = fit.defaults.get("peak", math.nan)
    low, high = (min(fit.peaks), max(fit.peaks)) if fit.peaks else (peak, peak)
    return (
        f"peak lr {format_g(low, 3)}"
        if low == high
        else f"peak lr {format_g(low, 3)}–{format_g(high, 3)}"
    )


def fitted_sizes(fit: CurveFit) -> str:
    """The model sizes a fit across sizes saw, in units: ``25M–100M`` (older files, which
    kept only the largest: ``up to 100M``)."""
    if fit.sizes:
        lo, hi = min(fit.sizes), max(fit.sizes)
        return format_count(lo) if lo == hi else f"{format_count(lo)}–{format_count(hi)}"
    return f"up to {format_count(fit.n_ref)}" if math.isfinite(fit.n_ref) else "unknown"


def beyond_sizes(fit: CurveFit, params: float) -> str:
    """A model size outside the fitted ones, with its distance in decades (a warning past
    :data:`~scalinglab.fit._diagnostics.FAR`), or ``""`` inside them."""
    hi = max(fit.sizes) if fit.sizes else fit.n_ref
    lo = min(fit.sizes) if fit.sizes else 0.0  # older files kept only the largest
    if not math.isfinite(hi) or lo <= params <= hi * (1 + 1e-9):
        return ""
    decades = math.log10(params / hi) if params > hi else math.log10(lo / params)
    where = "beyond" if params > hi else "below"
    kinds = f"{len(set(fit.sizes))} sizes" if fit.sizes else "the fitted sizes"
    line = (
        f"params {format_count(params)} is {decades:.2f} decades {where} the fitted sizes "
        f"({fitted_sizes(fit)}): L0 and A are extrapolated as powers of N from {kinds}"
    )
    return f"warning: {line}" if decades > FAR else line


#: What a curve fit's intervals cover, in the words of the README's "Read the comparison
#: with care": a real run's loss can fall outside them (the fitted cosine_24000 there).
COVERS = (
    "the intervals cover the coefficients' uncertainty from resampling the fitted curves, "
    "not the noise of one run nor the law's own error: a real run's loss can fall outside them"
)


def covers(fit: CurveFit) -> str:
    """:data:`COVERS` for a fit with a bootstrap, ``""`` without one (no interval)."""
    return COVERS if fit.samples is not None and len(fit.samples) else ""


def at_bound(fit: CurveFit) -> str:
    """A warning that coefficients of the fit ended at a bound of their range (its summary
    line says so; a prediction from it must too), or ``""``."""
    if not fit.at_bound:
        return ""
    one = len(fit.at_bound) == 1
    named = ", ".join(f"{n} = {format_g(fit.coefs[n], 5)}" for n in fit.at_bound)
    return (
        f"warning: the fit's {named} ended at a bound of {'its' if one else 'their'} range: "
        f"the bound, not the curves, holds {'it' if one else 'them'}, so these predictions "
        "rest on the range chosen; fit more curves (other schedules) before choosing by them"
    )


def few_draws(fit: CurveFit, level: float) -> str:
    """A warning for intervals at ``level`` from too few of the fit's resamples (their ends
    are single resamples: at 99.9% from 20, the lowest and highest), worded as
    ``scalinglab fit`` words it; ``""`` with enough, or none."""
    few = few_resamples_warning(0 if fit.samples is None else len(fit.samples), level)
    return f"warning: {few}" if few else ""


def no_interval(fit: CurveFit) -> str:
    """Why a prediction has no interval, or ``""`` when it has one: no bootstrap, or one
    whose resamples all failed; what to refit with is ``curves fit``'s (and
    ``fit_curves``') default number of resamples (only more runs where as many failed)."""
    if fit.samples is not None and len(fit.samples):
        return ""
    if len(fit.runs) == 1:
        return "no interval: fitted on one curve (nothing to resample)"
    n, asked = CURVE_BOOTSTRAP, fit.n_bootstrap or 0
    run = f"curves fit --bootstrap {n}; fit_curves(..., bootstrap={n})"
    if asked <= 0:
        return f"no interval: the fit has no bootstrap ({run})"
    # more resamples of the same curves fail alike: more curves first
    return (
        f"no interval: {format_grouped(asked)} of {format_grouped(asked)} bootstrap resamples failed (add runs"
        + (")" if asked >= n else f", then {run})")
    )


def shifted(outside_count: int, total: int, *, name: str = "", what: str = "estimate") -> str:
    """An estimate (``what``: ``"gain"``, ``"final loss"``) outside its own interval at
    ``outside_count`` of ``total`` points."""
    where = "" if total == 1 else f" at {outside_count} of {total} steps"
    who = f"{name}: the {what}" if name else f"the {what}"
    return (
        f"{who} {'lie outside their intervals' if ' and ' in what else 'lies outside its interval'}"
        f"{where} (the resamples are shifted from the fit): "
        "read the interval"
    )


def prediction_notes(
    fit: CurveFit,
    schedule: Schedule,
    *,
    size: float | None,
    loss: NDArray[np.float64],
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
    level: float,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What to read ``fit``'s prediction under ``schedule`` (at model ``size``) with: the
    notes (the schedule's own, its parts outside the fitted curves, a size beyond the fitted
    ones, no interval or what it covers), and apart the warnings (no convergence, first;
    coefficients at a bound, too few resamples for ``level``, far outside the fitted curves, steps whose estimate lies
    outside its interval), their ``warning: `` mark taken off."""
    failed = unconverged_warning(fit.status, fit.message)  # saved by `curves fit --out` too
    said = [f"warning: {failed}" if failed else "", *schedule.notes, at_bound(fit)]
    said.append(decay_unmeasured(fit, [schedule]))  # a decay no fitted curve measured
    said += fit.outside(schedule)
    if size is not None:
        said.append(beyond_sizes(fit, size))
    said.append(no_interval(fit))
    few = few_draws(fit, level)
    said.append(few)
    off = (loss < lower) | (loss > upper)
    if off.any() and not few:  # from too few resamples, an end is one of them
        # a warning, as a fitted coefficient outside its own interval is one
        said.append("warning: " + shifted(int(off.sum()), len(off)))
    said.append(covers(fit))
    mark = "warning: "
    notes = tuple(n for n in said if n and not n.startswith(mark))
    return notes, tuple(n.removeprefix(mark) for n in said if n.startswith(mark))
