"""Short reprs of result objects, for a notebook: the class, the key numbers, never arrays.

A dataclass's own repr lists every field, so a backtest printed its whole run table and a
curve fit every residual (tens of thousands of characters). Each result class defines
``__repr__`` from these pieces (numbers to 5 significant digits, at most a few names, a long
source cut short); ``str()`` and the command line keep their full reports. This module holds
the pieces and the reprs of the data, fit, plan, ladder, store and ingest classes; the
validation, curve, downstream and hyperparameter reprs live in their subpackages' ``_repr.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from scalinglab._format import format_count, format_g, format_level

if TYPE_CHECKING:
    from scalinglab.data import Curves, RunTable
    from scalinglab.data._flops_rule import FlopsConvention
    from scalinglab.fit._calibrated import Extrapolation
    from scalinglab.fit._prediction import Prediction
    from scalinglab.fit._result import FitResult
    from scalinglab.ingest._ingest import IngestResult
    from scalinglab.ladder._result import RungResult
    from scalinglab.laws._presets import Preset
    from scalinglab.plan import Allocation, Estimate
    from scalinglab.store._evals import EvalsWritten
    from scalinglab.store._record import PutSummary

__all__ = [
    "allocation",
    "clip",
    "coefs",
    "curves_data",
    "estimate",
    "evals_written",
    "extrapolation",
    "flops_convention",
    "ingest_result",
    "names",
    "num",
    "pct",
    "prediction",
    "preset",
    "put_summary",
    "run_table",
    "rung_result",
    "span",
]

_SOURCE = 60  # characters of a source shown before "..."
_WORD = 15  # a cut moves back to a word's end at most this far


def num(x: float) -> str:
    """A number to 5 significant digits: ``0.18661``, ``1.2853e11``."""
    return format_g(x, 5)


def pct(x: float) -> str:
    """A fraction as a percentage to 3 significant digits: ``1.01%``."""
    return "nan" if not math.isfinite(x) else f"{100 * x:.3g}%"


def span(lo: float, hi: float) -> str:
    """An interval: ``[1.8403, 2.2913]``."""
    return f"[{num(lo)}, {num(hi)}]"


def coefs(values: Mapping[str, float]) -> str:
    """Coefficients as keywords: ``E=1.1366, A=51.235``."""
    return ", ".join(f"{k}={num(v)}" for k, v in values.items())


def clip(text: str, most: int = _SOURCE) -> str:
    """``text`` as a quoted string, cut to ``most`` characters with ``...``: at the last
    space where one falls within :data:`_WORD` characters of the cut (``'... MIT license
    (238...'``, not ``'(238 run...'``), else where the cut falls (one long word)."""
    if len(text) <= most:
        return repr(text)
    cut = text[: most - 3]
    space = cut.rfind(" ")
    if space >= len(cut) - _WORD:
        cut = cut[:space].rstrip(" ,;:")
    return repr(cut + "...")


def names(items: Sequence[str], most: int = 3) -> str:
    """The first ``most`` names and how many there are: ``a, b, c, ... (46)``."""
    items = list(items)
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown}, ... ({len(items)})"


def _range(values: Any, column: str) -> str:
    lo, hi = float(min(values)), float(max(values))
    if column in ("params", "tokens"):
        return f"{column} {format_count(lo)}-{format_count(hi)}"
    return f"{column} {format_g(lo, 3)}-{format_g(hi, 3)}"


def run_table(t: RunTable) -> str:
    count = f"{len(t)} of {t.selected_from} runs" if t.selected_from else f"{len(t)} runs"
    parts = [count]
    if len(t) and t.has("params"):
        parts.append(_range(t.columns["params"], "params"))
    parts.append("columns: " + names(list(t.columns), 6))
    if t.labels:
        parts.append("labels: " + names(list(t.labels), 3))
    if t.excluded:
        parts.append(f"{len(t.excluded)} excluded")
    kind = ", SIMULATED" if t.simulated else ""
    return f"RunTable({'; '.join(parts)}{kind}; source={clip(t.source)})"


def curves_data(c: Curves) -> str:
    runs = len(dict.fromkeys(c.runs))
    kind = ", SIMULATED" if c.simulated else ""
    return (
        f"Curves({runs} runs, {len(c.runs)} points, {_range(c.params, 'params')}{kind}, "
        f"source={clip(c.source)})"
    )


def fit_result(r: FitResult) -> str:
    """The dataclass repr listed every residual, run name and sample."""
    values = ", ".join(f"{k}={format_g(v, 5)}" for k, v in r.coefs.items())
    n_samples = 0 if r.samples is None else len(r.samples)
    return (
        f"FitResult(law={r.law_spec!r}, {values}, status={r.status!r}, runs={r.n_runs}, "
        f"objective={format_g(r.objective)}, bootstrap={n_samples}, solver={r.solver!r}"
        f"{', SIMULATED runs' if r.simulated else ''})"
    )


def preset(p: Preset) -> str:
    """A published law: its name, form and values, the citation cut short (the dataclass repr
    wrote out every convention, 650-770 characters; they are :attr:`Preset.conventions`).
    The values are the paper's, as it gives them (``B=2085.43``), not cut to 5 digits."""
    values = ", ".join(f"{k}={format_g(v, 8)}" for k, v in p.coefs.items())
    return f"Preset(name={p.name!r}, law={p.law.name!r}, {values}, citation={clip(p.citation)})"


def flops_convention(f: FlopsConvention) -> str:
    """How runs counted FLOPs: the rule and the model sizes as a count and a range (the
    dataclass repr listed every size, 238 floats for the Chinchilla points)."""
    sizes = f"sizes={len(f.sizes)}"
    if f.sizes:
        sizes += f" (N = {format_count(min(f.sizes))} to {format_count(max(f.sizes))})"
    largest = "" if f.largest is None else f", largest={format_g(f.largest, 3)}"
    unclear = f", unclear={clip(f.unclear)}" if f.unclear else ""
    return f"FlopsConvention({f.formula()!r}, {sizes}{largest}{unclear}, counted={clip(f.counted)})"


def prediction(p: Prediction) -> str:
    level = format_level(p.level)
    if p.loss.size == 1:
        lo, hi = float(p.lower.reshape(-1)[0]), float(p.upper.reshape(-1)[0])
        at = f"loss={num(float(p.loss.reshape(-1)[0]))} {span(lo, hi)} at {level}"
    else:
        at = f"{p.loss.size} points, loss {num(float(p.loss.min()))}-{num(float(p.loss.max()))}"
        at += f", {level} intervals"
    return f"Prediction({at}, interval_kind={p.interval_kind!r}, noise={num(p.noise)})"


def extrapolation(e: Extrapolation) -> str:
    return (
        f"Extrapolation(kind={e.kind!r}, sigma={num(e.sigma)}, slope={num(e.slope)}, "
        f"{len(e.residuals)} backtest residuals from {len(e.cuts)} cuts)"
    )


def estimate(e: Estimate) -> str:
    if e.lower == e.upper == e.value or (math.isnan(e.lower) and math.isnan(e.upper)):
        return f"Estimate({num(e.value)})"
    return f"Estimate({num(e.value)} {span(e.lower, e.upper)})"


def allocation(a: Allocation) -> str:
    def at(e: Estimate) -> str:
        return repr(e).removeprefix("Estimate(").removesuffix(")")

    # a target loss is given, not predicted: its ends are the solved loss, not an interval
    loss = num(a.loss.value) if a.loss_interval_kind == "none" else at(a.loss)
    return (
        f"Allocation(flops={at(a.flops)}: params={at(a.params)}, tokens={at(a.tokens)}, "
        f"loss={loss}, level={a.level:g}, method={a.method!r})"
    )


def rung_result(r: RungResult) -> str:
    """A trained rung (:class:`scalinglab.ladder.RungResult`): its curve as a count."""
    return (
        f"RungResult(run_id={r.run_id!r}, status={r.status!r}, steps={r.steps}, "
        f"tokens={format_count(r.tokens)}, loss={num(r.loss)}, "
        f"curve={len(r.curve)} points, wall_s={format_g(r.wall_s, 4)})"
    )


def put_summary(s: PutSummary) -> str:
    """What :meth:`RunStore.put` wrote (:class:`scalinglab.store.PutSummary`): counts."""
    evals = "" if s.evals is None else f", evals={s.evals!r}"
    filled = f"filled={len(s.filled)}, " if s.filled else ""  # as rare as it is shown
    return (
        f"PutSummary(added={len(s.added)}, updated={len(s.updated)}, {filled}"
        f"unchanged={len(s.unchanged)}, moved={len(s.moved)}, conflicts={len(s.conflicts)}, "
        f"curve_points={s.curve_points}{evals})"
    )


def evals_written(e: EvalsWritten) -> str:
    """Evaluations written (:class:`scalinglab.store.EvalsWritten`): counts."""
    return (
        f"EvalsWritten(added={e.added}, updated={e.updated}, unchanged={e.unchanged}, "
        f"runs={len(e.runs)})"
    )


def ingest_result(r: IngestResult) -> str:
    """An ingest (:class:`scalinglab.ingest.IngestResult`): where from, where to, counts."""
    return (
        f"IngestResult(kind={r.kind!r}, runs_read={r.runs_read}, written={r.written!r}, "
        f"skipped={len(r.skipped)}, source={clip(r.source, 40)}, store={clip(r.store, 40)})"
    )
