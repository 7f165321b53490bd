"""One cell's located optimum (:class:`CellOptimum`), as :func:`~scalinglab.hparams.
_optimum.locate_optima` finds it: the surface fitted around the minimum, and the optimum on
it with its bootstrap interval."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab._deprecated import AsDictAlias
from scalinglab._json import json_ready
from scalinglab.hparams import _repr
from scalinglab.hparams._cell_label import cell_label
from scalinglab.hparams._interval import Interval
from scalinglab.hparams._surface import evaluate, hessian

__all__ = ["FLAT", "CellOptimum"]

Array = NDArray[np.float64]

#: The estimates a cell's JSON writes with flat bounds, ``lr_lower``, ``lr_upper`` (derived
#: from ``lr_interval``: a saved fit is read without them).
FLAT = ("lr", "batch")


@dataclass(frozen=True)
class CellOptimum(AsDictAlias):
    """The located optimum of one cell.

    Attributes:
        keys: The cell's grouping values, e.g. ``{"params": 2.1e8, "tokens": 4e9}``.
        n_runs: Runs in the cell.
        diverged: Run ids judged diverged (see the module's rule).
        lr: Located optimal peak learning rate.
        lr_interval: Bootstrap interval of ``lr``, an :class:`~scalinglab.hparams.Interval` (``.lower``,
            ``.upper``; a tuple or list given is made one).
        batch: Located optimal batch (in the sweep's unit), ``nan`` when one batch was used.
        batch_interval: Bootstrap interval of ``batch``, an :class:`~scalinglab.hparams.Interval`.
        loss: The surface's loss at the optimum.
        best_run: Id of the run with the lowest loss.
        best_lr, best_batch, best_loss: That run's values (the naive estimate).
        bracketed: Whether the grid brackets the optimum.
        status: ``"ok"``; ``"ok, bounded by divergence: ..."`` when every run above the
            best lr diverged (:data:`~scalinglab.hparams._bracket.BOUNDED`); or why the cell
            is flagged.
        center: ``(log lr, log batch)`` the surface is written about.
        coef: Surface coefficients on ``(1, u, v, u², uv, v², u³)`` (or ``(1, u, u², u³)``;
            without the ``u³`` term for a quadratic surface, as fits saved before it were),
            ``u``, ``v`` the log offsets from ``center``.
        n_window: Runs the surface was fitted to.
        pinned: Whether the grid pins the bracketed cell's lr*: known only to the grid, its
            loss* not measured (``_pinned``; set with or without a bootstrap). Files saved
            before it: read off the file, with a note (``_pinned_saved``).
        samples: Bootstrap draws ``(B, 3)`` of ``(log lr, log batch, loss)`` at the optimum
            (``NaN`` rows for resamples without a minimum).
    """

    keys: Mapping[str, float]
    n_runs: int
    diverged: tuple[str, ...]
    lr: float
    lr_interval: Interval
    batch: float
    batch_interval: Interval
    loss: float
    best_run: str
    best_lr: float
    best_batch: float
    best_loss: float
    bracketed: bool
    status: str
    center: tuple[float, float]
    coef: tuple[float, ...]
    n_window: int
    pinned: bool = False
    samples: Array | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:  # a pair given (an older caller, a saved fit's list)
        object.__setattr__(self, "lr_interval", Interval(*self.lr_interval))
        object.__setattr__(self, "batch_interval", Interval(*self.batch_interval))

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.cell(self)

    @property
    def two_d(self) -> bool:
        """Whether the surface spans batch as well as learning rate."""
        return len(self.coef) >= 6

    def surface(self, lr: Array | float, batch: Array | float | None = None) -> Array:
        """The fitted loss surface at ``lr`` (and ``batch``).

        Args:
            lr: Peak learning rates.
            batch: Batches, in the sweep's unit (default: the located :attr:`batch`); read
                only where the surface spans batch (:attr:`two_d`).

        Returns:
            The surface's loss at each point (broadcast).
        """
        u = np.log(np.asarray(lr, dtype=np.float64)) - self.center[0]
        if not self.two_d:
            return evaluate(self.coef, u)
        b = self.batch if batch is None else batch
        v = np.log(np.asarray(b, dtype=np.float64)) - self.center[1]
        return evaluate(self.coef, u, v)

    def curvature(self) -> Array:
        """How sharp the optimum is.

        Returns:
            The Hessian of loss / loss* over ``(ln lr, ln batch)`` at the optimum: ``(2, 2)``,
            or ``(1, 1)`` when the surface spans lr alone.
        """
        return hessian(self.coef, math.log(self.lr) - self.center[0]) / self.loss

    def label(self) -> str:
        """The cell's name.

        Returns:
            Its grouping values, short, as ``N=215M D=4B``.
        """
        return cell_label(self.keys)

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields (without the bootstrap draws); ``lr`` and ``batch`` with their
        bounds flat beside them (``lr_lower``, ``lr_upper``, ``batch_*``), as a prediction
        writes them, the lists ``lr_interval`` and ``batch_interval`` kept.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out: dict[str, object] = {}
        for k in self.__dataclass_fields__:
            if k == "samples":
                continue
            out[k] = getattr(self, k)
            if k in FLAT:
                out[f"{k}_lower"], out[f"{k}_upper"] = getattr(self, f"{k}_interval")
        out["keys"] = dict(self.keys)
        return out
