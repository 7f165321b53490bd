"""The lr* and B* laws fitted together, each cell weighted by what a miss costs there.

What a prediction is scored on is its loss regret. Near a cell's optimum the regret of
missing by ``u = ln(lr / lr*)`` and ``v = ln(B / B*)`` is its surface's quadratic form

    regret = 1/2 (H_uu u² + 2 H_uv u v + H_vv v²)
           = 1/2 H_uu (u + k v)² + 1/2 S v²,     k = H_uv / H_uu,  S = H_vv - H_uv² / H_uu,

with ``H`` the Hessian of loss/loss* over (ln lr, ln batch). So, with ``weighting="regret"``:

- the **B* law** is fitted with each cell weighted by ``S``, the regret of a batch error
  once the learning rate follows it along the valley (a flat direction costs little);
- the **lr* law** is fitted to the best learning rate *at the batch the B* law predicts*,
  ``lr* · exp(-k v)`` (on the Step Law cells, ``k ≈ -0.3``: a larger batch wants a larger
  lr), each cell weighted by ``H_uu``.

With least squares the two fits are one pass of minimising the summed regret of the training
cells over both laws at once (alternating to convergence moved the Step Law sweeps' held-out
regrets by under 0.001 points, so one pass it is). Without a batch law the lr* law is
weighted by ``H_uu`` alone. ``weighting="equal"`` fits both laws to the located optima with
equal weights (the method before; every bootstrap replicate is refitted the same way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import renamed_robust_loss
from scalinglab._errors import ConfigError, did_you_mean
from scalinglab.hparams._laws import HparamLaw, fit_law, fit_law_draws
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.laws import get_law

__all__ = ["WEIGHTINGS", "fit_pair", "law_robust_loss"]

Array = NDArray[np.float64]

#: How cells are weighted in the law fits.
WEIGHTINGS = ("regret", "equal")


def law_robust_loss(
    weighting: str, robust_loss: str | None, loss: str | None = None, *, call: str
) -> str:
    """The robust loss of the law fits: ``robust_loss`` when given, else the weighting's own:
    squared for ``"regret"`` (the summed regret of the training cells), Huber for ``"equal"``
    (the method before the regret weighting, robust to one badly located optimum). ``loss``,
    its old name, is read for one release, with a warning naming ``call``."""
    robust_loss = renamed_robust_loss(robust_loss, loss, call=call, default=None, column="y=COLUMN")
    if weighting not in WEIGHTINGS:
        raise ConfigError(
            f"unknown weighting {weighting!r}; the weightings are {', '.join(WEIGHTINGS)}"
            f"{did_you_mean(weighting, WEIGHTINGS)}",
            hint="choose one with --weighting NAME (weighting= in Python)",
        )
    if robust_loss is not None:
        return robust_loss
    return "squared" if weighting == "regret" else "huber"


def fit_pair(
    lr_formula: str,
    batch_formula: str | None,
    columns: Mapping[str, Array],
    cells: Sequence[CellOptimum],
    *,
    lr_draws: Array | None = None,
    batch_draws: Array | None = None,
    weighting: str = "regret",
    **common: Any,
) -> tuple[HparamLaw, HparamLaw | None]:
    """The lr* law and (with ``batch_formula``) the B* law across ``cells``.

    Args:
        lr_formula: The lr* law.
        batch_formula: The B* law, or ``None`` when only lr was swept.
        columns: ``params``, ``tokens``, ``flops`` per cell.
        cells: The cells' located optima (their surfaces give the weights).
        lr_draws: Bootstrap replicates of each cell's lr* ``(R, cells)``, or ``None``.
        batch_draws: The same for B*.
        weighting: ``"regret"`` or ``"equal"`` (see the module).
        **common: ``robust_loss``, ``delta``, ``level``, ``source`` for :func:`fit_law`.

    Raises:
        ConfigError: An unknown weighting.
        DataError: Too few cells for a law.
    """
    if weighting not in WEIGHTINGS:
        raise ConfigError(
            f"unknown weighting {weighting!r}; the weightings are {', '.join(WEIGHTINGS)}"
            f"{did_you_mean(weighting, WEIGHTINGS)}",
            hint="choose one with --weighting NAME (weighting= in Python)",
        )
    lr = np.array([c.lr for c in cells])
    if batch_formula is None or weighting == "equal":
        w_lr = None if weighting == "equal" else _weights([c.curvature()[0, 0] for c in cells])
        lr_law = fit_law(lr_formula, "lr", columns, lr, lr_draws, weights=w_lr, **common)
        if batch_formula is None:
            return lr_law, None
        batch = np.array([c.batch for c in cells])
        return lr_law, fit_law(batch_formula, "batch", columns, batch, batch_draws, **common)

    h = np.stack([c.curvature() for c in cells])
    with np.errstate(all="ignore"):
        k = h[:, 0, 1] / h[:, 0, 0]
        schur = h[:, 1, 1] - h[:, 0, 1] * k
    # a surface without a minimum (an unbracketed cell kept) says nothing of the valley's tilt
    bowl = (h[:, 0, 0] > 0) & (schur > 0) & np.isfinite(k)
    k = np.where(bowl, k, 0.0)
    schur = np.where(bowl, schur, np.nan)
    batch = np.array([c.batch for c in cells])
    batch_law, fitted_draws = fit_law_draws(
        batch_formula, "batch", columns, batch, batch_draws, weights=_weights(schur), **common
    )
    law = get_law(batch_formula)
    v = np.log(law.evaluate(dict(batch_law.coefs), columns) / batch)
    targets = lr * np.exp(-k * v)
    replicates = None
    if lr_draws is not None and batch_draws is not None and fitted_draws is not None:
        with np.errstate(all="ignore"):
            v_draws = np.log(law.evaluate(fitted_draws, columns) / batch_draws)
        replicates = lr_draws * np.exp(-k * v_draws)  # NaN where a batch refit failed
    lr_law = fit_law(
        lr_formula, "lr", columns, targets, replicates, weights=_weights(h[:, 0, 0]), **common
    )
    return lr_law, batch_law


def _weights(values: Sequence[float] | Array) -> Array:
    """Positive weights with mean one; a cell whose curvature is not positive (a flagged
    cell kept by ``include_unbracketed``) weighs as the median cell."""
    w = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(w) & (w > 0)
    if not ok.any():
        return np.ones_like(w)
    w = np.where(ok, w, np.median(w[ok]))
    return np.asarray(w / w.mean(), dtype=np.float64)
