"""Chinchilla approach 1, the envelope of training curves (Hoffmann et al. 2022, §3.1).

::

    env = envelope("curves.parquet", bootstrap=1000)
    env.params_law.exponent      # a in N_opt ∝ C^a, with a bootstrap interval

Every run's loss curve is put on one axis of compute, ``C = 6·N·D(t)`` with ``D(t)`` the tokens
seen so far, and evaluated on a grid of log-spaced FLOP values by linear interpolation in
``log10 C`` (never beyond a curve's first or last point). At each grid value the run with the
lowest loss is on the envelope and its size is ``N_opt(C)``; ``log10 N_opt = a·log10 C + k``
is fitted over the grid, and ``D_opt = C/(6·N_opt)`` gives ``b = 1 - a``.

What is left out, and said in the notes:

- grid values that fewer than 2 curves reach (nothing to compare);
- grid values where the winner is the smallest or the largest model among the curves that
  reach it: the true optimum may lie beyond the sizes trained, the envelope's analogue of an
  isoFLOP vertex outside the sampled range (this drops the top end, where only the largest
  model is still training, and the bottom end, where the smallest model always wins);
- grid values near such an edge: the smallest or largest model's curve there is within the
  noise of the winner's (:mod:`~scalinglab.validate._envelope_edge`), so a run just above
  the smallest size that wins by its noise does not stand in for an optimum at or below it.
  Should nothing be left without them, they are used and the result warns.

The reading assumes a point part-way through a curve is as good as a run trained to that
many tokens; with a schedule tied to the run's length (cosine decay) it is not, which is why
Hoffmann et al. trained several schedule lengths per size. Intervals: whole runs are
resampled with replacement and the envelope recomputed from the runs drawn.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np

from scalinglab._checks import check_columns, given
from scalinglab._defaults import ISOFLOP_BOOTSTRAP
from scalinglab._errors import ConfigError, DataError, check_level
from scalinglab._format import format_counted, format_grouped
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._quantity_args import step_tokens
from scalinglab.data._training_data import mixed_training_data
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.fit._options import check_whole
from scalinglab.validate._envelope_edge import (
    EDGE,
    NEAR_EDGE,
    NOISE_Z,
    UNREACHED,
    USED,
    edge_notes,
)
from scalinglab.validate._envelope_grid import on_grid, resampled, winners
from scalinglab.validate._envelope_input import CurvesLike, envelope_curves
from scalinglab.validate._envelope_result import EnvelopeResult
from scalinglab.validate._powerlaw import fit_power_law, tokens_law

__all__ = ["EnvelopeResult", "envelope"]


@keywords_checked("scalinglab.envelope")
def envelope(
    curves: CurvesLike,
    *,
    runs: RunTable | Mapping[str, float] | None = None,
    columns: Mapping[str, str] | None = None,
    tokens_per_step: float | str | None = None,
    grid: int = 60,
    bootstrap: int = ISOFLOP_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    progress: Progress | bool | None = None,
) -> EnvelopeResult:
    """Chinchilla approach 1: the minimum loss per FLOP across training curves -> N_opt(C).

    Args:
        curves: Loss curves (see :func:`scalinglab.data.read_curves`), a file or DataFrame
            of them, a folder of them (a file per run unless it has a run column, its size
            from a params column or a folder named like one: ``25M/cosine_24000``), or what
            :func:`scalinglab.read_lr_curves` returns (give ``tokens_per_step``: those
            curves count steps).
        runs: Parameters of each run when the curves have no params column (nor a size
            folder).
        columns: Column mapping for reading, e.g. ``{"loss": "eval_loss"}``.
        tokens_per_step: Turns a ``step`` column into tokens where there is no tokens column:
            a number, or text as ``--tokens-per-step`` reads it (``"0.5M tokens"``).
        grid: Number of log-spaced FLOP values the envelope is evaluated at.
        bootstrap: Resamples of whole runs (0: no intervals).
        level: Coverage of the percentile intervals.
        seed: Seed of the resampling.
        progress: Called as ``progress(stage, done, total)``: ``"reading"`` (a folder's files),
            then ``"bootstrap"``. ``True`` prints a line on stderr (:mod:`scalinglab._progress`).

    Returns:
        An :class:`EnvelopeResult`: the lowest loss at each compute and the power laws
        fitted through it, ``N_opt(C) ∝ C^a`` (``.params_law``) and ``D_opt(C) ∝ C^b``
        (``.tokens_law``).

    Raises:
        DataError: Too few runs, or no compute range where the envelope changes hands.
        ConfigError: For an invalid option.
    """
    progress = resolve_progress(progress)  # True: a text line on stderr
    check_level(level)
    # the checks and hints isoflop and fit give (--bootstrap, --grid, --seed: `isoflop --curves`)
    check_whole("bootstrap", bootstrap, least=0, example=200)
    check_whole("grid", grid, least=5, example=60)
    check_whole("seed", seed, least=0, example=0)
    check_columns(columns, example="{'loss': 'eval_loss'}")  # a list where the dict goes
    if tokens_per_step is not None:  # "0.5M tokens/step", as --tokens-per-step reads it
        tokens_per_step = step_tokens(tokens_per_step)
    if runs is not None and not isinstance(runs, RunTable | Mapping | str | os.PathLike):
        raise ConfigError(
            f"runs must be a RunTable, a mapping of run -> params, or a runs file's path, got "
            f"{given(runs)}",
            hint="e.g. runs={'m0': 1e7, 'm1': 2e7} or runs='runs.csv'",
        )
    curves = envelope_curves(curves, columns=columns, runs=runs, tokens_per_step=tokens_per_step,
                             progress=progress)  # fmt: skip
    logc_all = np.log10(curves.flops)
    axis = np.linspace(logc_all.min(), logc_all.max(), grid)
    data = on_grid(curves, axis)
    ids, sizes, loss = data.ids, data.sizes, data.loss
    notes = list(curves.notes) + data.notes
    if len(np.unique(sizes)) < 3:
        raise DataError(
            f"{format_counted(len(ids), 'usable curve')} of "
            f"{format_counted(len(np.unique(sizes)), 'model size')}; the "
            "envelope needs curves of at least 3 sizes to tell which size is best",
            source=curves.source,
            hint="add runs of more model sizes",
        )
    logn = np.log10(sizes)
    everyone = np.ones((1, len(ids)), dtype=bool)
    z = NOISE_Z
    found = chosen = winners(data, logn, everyone, z=z)
    if len(np.unique(chosen.logn[0][chosen.usable[0]])) < 2:  # near-edge values kept, warned
        z = 0.0
        chosen = winners(data, logn, everyone, z=z)
    if len(np.unique(chosen.logn[0][chosen.usable[0]])) < 2:
        raise DataError(
            "no compute range where the envelope passes between model sizes: the lowest loss "
            "is always the smallest or the largest model reaching that compute",
            source=curves.source,
            hint="train sizes on both sides of the optimum, long enough for curves to cross",
        )
    reached = np.isfinite(chosen.loss[0])
    status = tuple(
        UNREACHED if not r else EDGE if e else NEAR_EDGE if ns or nl else USED
        for r, e, ns, nl in zip(
            reached, found.edge[0], found.near_small[0], found.near_large[0], strict=True
        )
    )
    used = tuple(bool(u) for u in chosen.usable[0])
    said, warned = edge_notes(
        status=status,
        used=used,
        near_small=found.near_small[0],
        near_large=found.near_large[0],
        noise=data.noise,
    )
    notes += said
    samples = None
    warnings = list(mixed_training_data(curves.labels, runs="curves", python="Curves.where"))
    warnings += warned
    if bootstrap:
        samples = resampled(data, logn, z=z, bootstrap=bootstrap, seed=seed, progress=progress)
        # a resample whose envelope keeps one size (too few sizes drawn) measures a slope of
        # 0: past the interval's tail share it drags the interval's end to a = 0
        flat = sum(len(np.unique(row[np.isfinite(row)])) == 1 for row in samples)
        if flat > (1 - level) / 2 * bootstrap:
            warnings.append(
                f"{format_grouped(flat)} of {format_grouped(bootstrap)} resamples keep one model size on their "
                "envelope (slope 0), enough to pull the interval toward a = 0: with so few "
                "sizes the interval is not to be trusted (train more sizes)"
            )
    params_law = fit_power_law(axis, chosen.logn[0], samples, quantity="params", level=level)
    # ends that are single resamples: counted as isoflop counts them, the resamples that
    # gave a line (one whose envelope reaches under 2 budgets gives none)
    kept = 0 if params_law.samples is None else len(params_law.samples)
    few = few_resamples_warning(kept, level)
    if few:
        warnings.append(few)
    winner = np.argmin(np.where(np.isfinite(loss), loss, np.inf), axis=0)
    return EnvelopeResult(
        flops=tuple(float(v) for v in 10.0**axis),
        loss=tuple(float(v) for v in chosen.loss[0]),
        params=tuple(
            float(sizes[w]) if r else float("nan") for w, r in zip(winner, reached, strict=True)
        ),
        runs=tuple(ids[w] if r else "" for w, r in zip(winner, reached, strict=True)),
        used=used,
        status=status,
        params_law=params_law,
        tokens_law=tokens_law(params_law),
        level=level,
        n_bootstrap=bootstrap,
        n_runs=len(ids),
        # counted as isoflop's source counts its runs (RunTable.describe_source)
        source=f"{curves.source} ({format_counted(len(ids), 'run')})",
        simulated=curves.simulated,
        notes=tuple(notes),
        warnings=tuple(warnings),
    )
