"""The ``source`` block of every prediction's and plan's JSON: what the numbers were read
from, in one shape whatever the kind of fit.

Each block says its ``kind`` (the name of the format of the file read: ``fit``,
``downstream``, ``curve_fit``, ``hparams``, ``loss2loss``; or ``preset``), the ``origin``
(the option that gave it, as the user wrote it: ``--fit fit.json``), the ``law`` and the
``data`` it was fitted to (``null`` where the file does not record it); a fit of runs adds
what it alone knows (conventions, whether it is trusted), a chain the loss it goes through.
A preset has no data: its ``name`` and its ``citation``, the paper (``source``, the old key,
kept one release).
"""

from __future__ import annotations

from typing import Any

__all__ = ["source_dict"]


def source_dict(source: Any, origin: str | None) -> dict[str, Any]:
    """``source`` (a fit of any kind, or a preset) as the ``source`` block of a JSON
    result, ``origin`` naming the option that gave it (``--fit fit.json``; ``None`` for a
    fit in memory, :meth:`Frontier.to_dict <scalinglab.plan.Frontier.to_dict>`)."""
    from scalinglab import FitResult
    from scalinglab.laws import Preset

    if isinstance(source, FitResult):
        return {
            "kind": "fit",
            "origin": origin,
            "law": source.law_spec,
            "data": source.source,
            "simulated": source.simulated,
            "conventions": source.conventions.to_dict(),
            "trusted": source.trusted,  # as `fit --json`: converged, and no warning
        }
    if isinstance(source, Preset):
        return {
            "kind": "preset",
            "name": source.name,
            "law": source.law.name,
            "coefs": dict(source.coefs),  # as a fit's (``"coefs"``)
            "citation": source.citation,  # as laws --json names a law's paper
            "source": source.citation,  # the old key of "citation", one release
            "conventions": source.conventions.to_dict(),
        }
    return _other_fit(source, origin)


def _other_fit(source: Any, origin: str | None) -> dict[str, Any]:
    """The block of a fit of another kind than a loss law's (each package imported only
    here: `predict` and `plan` never load SciPy's curve fits for their block)."""
    from scalinglab.curves import CurveFit
    from scalinglab.downstream import DownstreamFit, LossToLossFit
    from scalinglab.hparams import HparamFit

    if isinstance(source, DownstreamFit):  # the loss law of (N, D); each task's its own
        law = source.loss_step.law.name
        # data: of a selection, how many of the file's models (where: what kept them)
        return {"kind": "downstream", "origin": origin, "law": law, "via": source.via,
                "data": source.source, "where": dict(source.where)}  # fmt: skip
    if isinstance(source, CurveFit):
        return {"kind": "curve_fit", "origin": origin, "law": source.law, "data": source.source}
    if isinstance(source, HparamFit):
        laws = [f.formula for f in (source.lr_law, source.batch_law) if f is not None]
        return {"kind": "hparams", "origin": origin, "law": "; ".join(laws),
                "data": source.source or None}  # fmt: skip
    if isinstance(source, LossToLossFit):  # one law, fitted per group
        law = next((f.law_spec for f in source.fits.values()), "loss-to-loss")
        return {"kind": "loss2loss", "origin": origin, "law": law, "data": source.source or None}
    return _hparams_preset(source)


def _hparams_preset(source: Any) -> dict[str, Any]:
    """A published hyperparameter rule (lr* and B*, or a critical batch alone), as a loss
    preset's block names it; its conventions are the prediction's own ``conventions``."""
    from scalinglab.hparams import HparamPreset
    from scalinglab.hparams._critical import CriticalBatchPreset

    if isinstance(source, HparamPreset):
        law = f"{source.lr_formula}; {source.batch_formula}"
    elif isinstance(source, CriticalBatchPreset):
        law = source.batch_formula
    else:  # a caller's slip, not the user's input
        raise TypeError(f"no source block for {type(source).__name__}")
    said = {"citation": source.citation, "source": source.citation}  # "source": old, one release
    return {"kind": "preset", "name": source.name, "law": law, **said}
