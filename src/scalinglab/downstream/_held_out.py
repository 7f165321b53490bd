"""Which models the backtest on the fitted sizes holds out: a band at the largest size.

Holding out the models at the single largest exact size works on a grid, where several
models share it (the shared over-trained models: 7 to 8 per corpus), and fails on sizes that
are all different (a sweep): there it held out one model, and every task's verdict was that
one model's miss. The band holds out the models within :data:`BAND` of the largest; a band
of fewer than :data:`FEWEST_HELD_OUT` models is widened to the models at the largest three
sizes, never past :data:`WIDEST`. Both factors are under the shared models' step and a
doubling ladder's, so those hold out their largest size alone, as before. A verdict that
still rests on one or two models says so (:func:`few_held_out_warning`), as a coverage over
few held-out runs does (:func:`~scalinglab.validate._few_runs.few_scored_note`).
"""

from __future__ import annotations

import numpy as np

from scalinglab._format import format_count

__all__ = [
    "BAND", "FEWEST_HELD_OUT", "WIDEST", "band_models", "few_held_out_warning",
    "held_out_models", "narrowed_why", "size_said", "sizes_said",
]  # fmt: skip

#: The models within this factor of the largest fitted size are held out (a tenth of a
#: decade, x1.26). Grids step wider (the shared over-trained models by 1.95x to 7.5x, model
#: ladders by 1.4x to 2x or more), so on a grid the band is its largest size alone.
BAND = 10**0.1
#: Fewest held-out models a verdict rests on without a warning: a band holding fewer is
#: widened to the models at the largest three sizes, as far as :data:`WIDEST`.
FEWEST_HELD_OUT = 3
#: How far below the largest fitted size the band may be widened (a fifth of a decade,
#: x1.58: under the shared models' step and a doubling ladder's, whose next size stays
#: fitted; a ladder stepping by less, with under three models at its largest size, holds
#: out its next size too).
WIDEST = 10**0.2
#: Sizes within this relative difference are one size.
_SAME = 1e-9


def band_models(params: np.ndarray) -> np.ndarray:
    """Mask of the band at the largest size, before the models below are counted: those
    within :data:`BAND` of the largest, or where they are fewer than
    :data:`FEWEST_HELD_OUT`, at the largest three sizes within :data:`WIDEST` of it."""
    params = np.asarray(params, dtype=np.float64)
    largest = float(np.max(params))
    cut = largest / BAND
    if int(np.sum(params >= cut * (1 - _SAME))) < FEWEST_HELD_OUT:
        sizes = np.sort(params)[::-1]
        third = float(sizes[min(FEWEST_HELD_OUT, len(sizes)) - 1])
        cut = max(third, largest / WIDEST)
    band: np.ndarray = params >= cut * (1 - _SAME)
    return band


def held_out_models(params: np.ndarray, *, need: int = 0) -> np.ndarray:
    """Mask of the models the backtest on the fitted sizes holds out.

    The models within :data:`BAND` of the largest; where those are fewer than
    :data:`FEWEST_HELD_OUT`, the models at the largest three sizes within :data:`WIDEST`
    of it. Where that leaves fewer than ``need`` models, or fewer than two sizes, below
    them, the smallest held-out sizes go back to the fit one by one, down to the largest
    size alone (which the caller checks leaves enough).

    Args:
        params: Parameters of every fitted model.
        need: Fewest models the chain needs below the held-out ones.
    """
    params = np.asarray(params, dtype=np.float64)
    largest = float(np.max(params))
    for size in np.unique(params[band_models(params)]):  # the widest band first
        held: np.ndarray = params >= float(size) * (1 - _SAME)
        if int((~held).sum()) >= need and len(np.unique(params[~held])) >= 2:
            return held
    top: np.ndarray = params >= largest * (1 - _SAME)
    return top


def narrowed_why(params: np.ndarray, held: np.ndarray, *, need: int) -> str:
    """Why the models ``held`` out are fewer than the band's (:func:`band_models`): what
    holding out the next size of the band too would leave below, against the ``need``
    models at 2+ sizes the chain needs; ``""`` where the whole band is held out."""
    params = np.asarray(params, dtype=np.float64)
    band = band_models(params)
    if int(held.sum()) >= int(band.sum()):
        return ""
    nearest = float(np.max(params[band & ~held]))  # the next size the band would add
    wider = params >= nearest * (1 - _SAME)
    below = params[~wider]
    kept, sizes = len(below), len(np.unique(below))
    short = [f"the {need} models"] if kept < need else []
    short += ["the 2 sizes"] if sizes < 2 else []  # a law's slope needs two
    return (
        f"holding out the {int(wider.sum())} models down to {size_said(nearest)} would leave "
        f"{kept} model{'' if kept == 1 else 's'} at {sizes} size{'' if sizes == 1 else 's'} "
        f"below them, fewer than {' and '.join(short)} the chain is fitted on"
    )


def few_held_out_warning(n: int, sizes: str, *, narrowed: str) -> str:
    """The warning that the verdicts rest on ``n`` held-out models (at ``sizes``, in words),
    fewer than :data:`FEWEST_HELD_OUT`, or ``""``; ``narrowed``: why more of the band were
    not held out (:func:`narrowed_why`), or ``""`` where the band holds no more."""
    if n <= 0 or n >= FEWEST_HELD_OUT:
        return ""
    whose = "that model's miss, its" if n == 1 else f"the mean miss of those {n} models, their"
    why = narrowed or (
        f"no other fitted model lies within a factor {WIDEST:.2f} of the largest, where "
        "the backtest looks: fit or evaluate more models near the largest size"
    )
    return (
        f"the backtest on the fitted sizes rests on {n} held-out model{'' if n == 1 else 's'} "
        f"({sizes}), too few to judge which tasks extrapolate: each task's verdict "
        f"(predictable or not) is {whose} evaluation noise included; hold out "
        f"{FEWEST_HELD_OUT} or more models to judge it ({why})"
    )


def sizes_said(params: np.ndarray) -> str:
    """The held-out models' sizes as people write them: ``411.6M`` where they are one size
    (as written), ``2.5B-3.15B`` where they span several."""
    low, high = size_said(float(np.min(params))), size_said(float(np.max(params)))
    return high if low == high else f"{low}-{high}"


def size_said(n: float) -> str:
    """A parameter count as people write it: ``411.6M`` (millions to 4 figures, as model
    cards name them), ``6.9B``, ``1.2T``; past T in plain scientific notation (``6.4e38``,
    where B alone wrote ``6.4e29B``), as :func:`format_count` says every size."""
    return format_count(n, digits=4 if abs(n) < 1e9 else 3)
