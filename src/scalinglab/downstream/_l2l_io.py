"""A loss-to-loss fit as JSON: every group's :class:`FitResult` (its bootstrap resamples
included, so a loaded fit predicts with the same intervals), the columns and the settings."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._errors import DataError
from scalinglab._formats import check_format, read_result
from scalinglab._json import dumps, json_number, json_ready
from scalinglab._reader_words import FitWords, reader_words
from scalinglab._result_names import write_result
from scalinglab.downstream._laws import LossToLoss
from scalinglab.fit import FitResult

if TYPE_CHECKING:
    from scalinglab.downstream._loss_to_loss import LossToLossFit

__all__ = ["FORMAT", "from_dict", "load", "save", "to_dict"]

FORMAT = "scalinglab.loss2loss/1"
_COMMAND = "scalinglab loss2loss fit ... --out l2l.json"
#: What writes a loss-to-loss fit, and what fits the runs given instead, on the command line
#: and in Python.
_WORDS = FitWords(
    cls="LossToLossFit",
    command=_COMMAND,
    runs_command="scalinglab loss2loss fit {} --x LOSS --y LOSS --out l2l.json",
    runs_call="scalinglab.fit_loss_to_loss({}, x=..., y=...)",
)
_WRITE = f"write one with `{_COMMAND}`"


@json_ready
def to_dict(l2l: LossToLossFit) -> dict[str, Any]:
    """Plain JSON-ready data; each group's fit as :meth:`FitResult.to_dict` writes it, with
    the bound of its ``E_x``, its run count and rms residual; and every group's warnings in
    one list, each after its group (``warnings``: derived from the fits, not read back)."""
    return {
        "format": FORMAT,
        "law": LossToLoss().formula,
        "x": l2l.x,
        "y": l2l.y,
        "group": l2l.group,
        "level": l2l.level,
        "n_bootstrap": l2l.n_bootstrap,
        "seed": l2l.seed,
        "source": l2l.source,
        "fits": {g: _fit_to_dict(r) for g, r in l2l.fits.items()},
        "skipped": dict(l2l.skipped),
        "warnings": list(l2l.warnings),
    }


def from_dict(d: Mapping[str, Any], *, source: str = "<dict>") -> LossToLossFit:
    """Rebuild a fit from :func:`to_dict`'s form."""
    from scalinglab.downstream._loss_to_loss import LossToLossFit

    check_format(d, FORMAT, "loss-to-loss fit", source=source, write=_WRITE)
    try:
        fits = {str(g): _fit_from_dict(f, source=source) for g, f in d["fits"].items()}
        return LossToLossFit(
            x=str(d["x"]),
            y=str(d["y"]),
            group=None if d["group"] is None else str(d["group"]),
            fits=fits,
            skipped={str(g): str(why) for g, why in d["skipped"].items()},
            level=float(d["level"]),
            n_bootstrap=int(d["n_bootstrap"]),
            seed=int(d["seed"]),
            source=str(d["source"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(
            f"a loss-to-loss fit with a missing or bad field ({type(exc).__name__}: {exc})",
            source=source,
            hint=_WRITE,
        ) from None


def save(l2l: LossToLossFit, path: str | os.PathLike[str]) -> None:
    """Write the fit as strict JSON."""
    write_result(path, dumps(to_dict(l2l)) + "\n", what="the loss-to-loss fit")


def load(path: str | os.PathLike[str], *, option: str | None = None) -> LossToLossFit:
    """Read a fit written by :func:`save`; ``option``: the command-line option that gave
    ``path``, named in the hint of a file that is not a fit (``None``: it was given in
    Python, and ``LossToLossFit.load`` is named)."""
    data = read_result(path, what="loss-to-loss fit", **reader_words(option, _WORDS))
    return from_dict(data, source=os.fspath(path))


def _fit_to_dict(result: FitResult) -> dict[str, Any]:
    law = result.law
    floor = law.floor if isinstance(law, LossToLoss) else math.inf
    rms = float(np.sqrt(np.mean(np.square(result.residuals))))
    return {**result.to_dict(), "floor": json_number(floor), "n_runs": result.n_runs,
            "rms_residual": json_number(rms)}  # fmt: skip


def _fit_from_dict(d: Mapping[str, Any], *, source: str) -> FitResult:
    result = FitResult.from_dict(d, source=source)
    # get_law cannot rebuild a downstream law from its name: the fit is given it
    law = LossToLoss(column=result.columns["L"], floor=float(d["floor"]))
    return replace(result, form=law)
