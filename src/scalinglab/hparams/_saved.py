"""How a hyperparameter fit's settings, cells and notes are written to and read from its JSON
file, older files' names and values included."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["read_notes", "read_settings", "saved_settings", "value_tuple"]

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
