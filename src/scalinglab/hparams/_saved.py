"""How a hyperparameter fit's settings, cells and notes are written to and read from its JSON
file, older files' names and values included: the fit's fields read back (:func:`fit_fields`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._optimum import FLAT, CellOptimum
from scalinglab.hparams._pinned_saved import saved_pinned

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = [
    "FORMAT",
    "fit_dict",
    "fit_fields",
    "read_notes",
    "read_settings",
    "saved_settings",
    "value_tuple",
]

#: The format a saved hyperparameter fit names.
FORMAT = "scalinglab.hparams/1"

#: How files written before warnings were a field of their own marked them in the notes.
_WARNED = "warning: "


def read_notes(data: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A saved fit's notes and warnings, each once: its ``"warnings"``; in a file written
    before they were a field of their own, the notes marked ``warning: `` (the mark taken
    off), which are no notes."""
    lines = [str(n) for n in data["notes"]]
    notes = tuple(n for n in lines if not n.startswith(_WARNED))
    said = [n.removeprefix(_WARNED) for n in lines if n.startswith(_WARNED)]
    warnings = [str(w) for w in data["warnings"]] if "warnings" in data else said
    return notes, tuple(dict.fromkeys(warnings))


def saved_settings(settings: Mapping[str, object]) -> dict[str, object]:
    """The settings as written: the robust loss also under ``"loss"``, its name in the
    previous release, for its readers (goes with the deprecation of ``loss=``)."""
    out = dict(settings)
    if "robust_loss" in out:
        out["loss"] = out["robust_loss"]
    return out


def read_settings(saved: Mapping[str, object]) -> dict[str, object]:
    """Saved settings, with the robust loss under its name: older files wrote it as
    ``"loss"`` alone, the name of the measured loss everywhere else; a file holding both
    (:func:`saved_settings`) is read by ``"robust_loss"``."""
    out = {k: v for k, v in saved.items() if k != "loss"}
    if "loss" in saved and "robust_loss" not in saved:
        out["robust_loss"] = saved["loss"]
    return out


def value_tuple(v: object) -> object:
    """A saved cell field: a list as a tuple, each value as :func:`_value` reads it."""
    if isinstance(v, list):
        return tuple(_value(x) for x in v)
    return _value(v)


def _value(v: object) -> object:
    """A saved cell value: non-finite floats are the strings ``"nan"``/``"inf"`` (``null``
    in files written before the project's one JSON form)."""
    if v is None:
        return math.nan
    return float(v) if isinstance(v, str) and v in ("nan", "inf", "-inf") else v


def fit_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of the :class:`~scalinglab.hparams.HparamFit` a saved file's ``data``
    holds, by name; files from before a field was recorded give its default (no
    ``law_choice``; no ``flops_convention``: 6·N·D, with a note; no cell's ``pinned``: read
    off the laws' draws and the pinned warning, with a note, by
    :func:`~scalinglab.hparams._pinned_saved.saved_pinned`, since the runs' losses it is
    decided on are not saved).

    Raises:
        KeyError, TypeError, ValueError: For a field missing or malformed, which
            :meth:`HparamFit.load <scalinglab.hparams.HparamFit.load>` says as a
            ``DataError`` naming the file.
    """
    flat = {f"{k}_{end}" for k in FLAT for end in ("lower", "upper")}  # from the lists
    cells = tuple(
        CellOptimum(**{k: value_tuple(v) for k, v in c.items() if k not in flat})  # type: ignore[arg-type]
        for c in data["cells"]
    )
    notes, warnings = read_notes(data)  # older files: the warnings among the notes
    used = tuple(data["used"])
    cells, said = saved_pinned(data, cells, used, warnings)  # older files: read off the file
    notes += (said,) if said else ()
    return {
        "cells": cells,
        "lr_law": HparamLaw.from_dict(data["lr_law"]),
        "batch_law": HparamLaw.from_dict(data["batch_law"]) if data["batch_law"] else None,
        "loss_law": HparamLaw.from_dict(data["loss_law"]) if data["loss_law"] else None,
        "batch_unit": str(data["batch_unit"]),
        "seq_len": data["seq_len"],
        "used": used,
        "notes": notes,
        "warnings": warnings,
        "settings": read_settings(data["settings"]),
        "source": str(data["source"]),
        "law_choice": HparamLawChoice.from_dict(data["law_choice"])
        if data.get("law_choice")  # older files have none
        else None,
        "params_convention": str(data.get("params_convention", "")),
        "flops_convention": FlopsConvention.from_dict(data["flops_convention"])
        if data.get("flops_convention")  # older files have none: 6·N·D, with a note
        else None,
    }


def fit_dict(fit: HparamFit) -> dict[str, object]:
    """:meth:`HparamFit.to_dict`: everything, bootstrap draws included (not yet plain)."""
    return {
        "format": FORMAT,
        "source": fit.source,
        "batch_unit": fit.batch_unit,
        "seq_len": fit.seq_len,
        "used": list(fit.used),
        "notes": list(fit.notes),
        "warnings": list(fit.warnings),
        "settings": saved_settings(fit.settings),
        # what reproduces it, under fit's top-level names (settings keeps them too)
        "seed": fit.settings.get("seed"),
        "n_bootstrap": fit.settings.get("bootstrap"),
        "solver": fit.solver,
        "cells": [c.to_dict() for c in fit.cells],
        "lr_law": fit.lr_law.to_dict(),
        "batch_law": None if fit.batch_law is None else fit.batch_law.to_dict(),
        "loss_law": None if fit.loss_law is None else fit.loss_law.to_dict(),
        "law_choice": None if fit.law_choice is None else fit.law_choice.to_dict(),
        "params_convention": fit.params_convention,
        "flops_convention": None
        if fit.flops_convention is None
        else fit.flops_convention.to_dict(),
    }
