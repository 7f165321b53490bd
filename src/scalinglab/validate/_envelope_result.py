"""What :func:`~scalinglab.validate.envelope` returns: the envelope on its FLOP grid, the
power laws through it, and the reasons not to trust them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scalinglab._json import json_ready
from scalinglab.validate import _repr
from scalinglab.validate._isoflop_result import FLOPS_RULE
from scalinglab.validate._powerlaw import AllocationLaws, PowerLawFit, flat
from scalinglab.validate._savable import Savable

__all__ = ["EnvelopeResult"]


@dataclass(frozen=True)
class EnvelopeResult(AllocationLaws, Savable):
    """Chinchilla approach 1: the lowest loss at each compute, and the power laws through it.

    ``env.save(path)`` keeps it and ``EnvelopeResult.load(path)`` reads it back whole, the
    bootstrap lines too, so :meth:`at` gives the same intervals.

    Attributes:
        flops: The log-spaced grid of compute values.
        loss: Loss on the envelope at each grid value (NaN where fewer than 2 curves reach).
        params: ``N`` of the run on the envelope (NaN where none).
        runs: Id of that run (``""`` where none).
        used: Whether the grid value enters the power-law fit.
        status: Of each grid value: ``"used"``; ``"edge"``, the lowest run is the smallest
            or largest model reaching that compute (or fewer than 2 curves reach it);
            ``"near edge"``, the smallest or largest model reaching it is within the noise
            of the lowest (the optimum may lie beyond the sizes trained: not used, unless
            no compute range is left without such values, which :attr:`warnings` says);
            ``""`` where no curve reaches.
        params_law: ``N_opt(C) ∝ C^a``.
        tokens_law: ``D_opt(C) ∝ C^b``, ``b = 1 - a`` under :data:`FLOPS_RULE`.
        level: Coverage of the intervals.
        n_bootstrap: Bootstrap resamples of the runs (0: no intervals).
        n_runs: Curves used.
        source: Where the curves came from, and how many were used, as an
            :class:`IsoFLOPResult`'s counts its runs: ``"curves.csv (25 runs)"``.
        simulated: True for made-up curves.
        notes: What was read, skipped or left out, and why.
        flops_rule: How compute is counted (:data:`FLOPS_RULE`, ``C = 6·N·D``).
        warnings: Every reason not to trust the result, one line each (as
            :attr:`FitResult.warnings <scalinglab.FitResult.warnings>`): curves of several
            corpora pooled, an exponent resting on grid values near an edge of the sizes
            trained, an interval pulled toward 0 by resamples of one size, intervals from
            too few resamples.
    """

    flops: tuple[float, ...]
    loss: tuple[float, ...]
    params: tuple[float, ...]
    runs: tuple[str, ...]
    used: tuple[bool, ...]
    status: tuple[str, ...]
    params_law: PowerLawFit
    tokens_law: PowerLawFit
    level: float
    n_bootstrap: int
    n_runs: int
    source: str
    simulated: bool = False
    notes: tuple[str, ...] = ()
    flops_rule: str = FLOPS_RULE
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.envelope(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary: the source, the exponents ``a`` and ``b`` with their
        intervals, the fitted laws of ``N*`` and ``D*`` in ``C``, and every run of the grid
        (its compute, loss, size, whether it is used, and its status).

        Returns:
            The dictionary, its format named under ``"format"``.
        """
        return {
            "format": "scalinglab.envelope/2",
            "method": "envelope (Chinchilla approach 1)",
            "source": self.source,
            "simulated": self.simulated,
            "flops_rule": self.flops_rule,
            "level": self.level,
            "n_bootstrap": self.n_bootstrap,
            "n_runs": self.n_runs,
            **flat("a", self.a),
            **flat("b", self.b),
            "params_law": self.params_law.to_dict(),
            "tokens_law": self.tokens_law.to_dict(),
            "grid": [
                {"flops": c, "loss": lo, "params": n, "run": r, "used": u, "status": s}
                for c, lo, n, r, u, s in zip(
                    self.flops,
                    self.loss,
                    self.params,
                    self.runs,
                    self.used,
                    self.status,
                    strict=True,
                )
            ],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }
