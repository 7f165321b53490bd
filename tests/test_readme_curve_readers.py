"""The README names each curve reader as it is: ``scalinglab.data.read_curves`` (the curves
``envelope`` reads, a :class:`~scalinglab.data.Curves` with ``.where``) and
``scalinglab.read_lr_curves`` (loss curves with their learning rates, ``where=``); it said
``read_curves(...).where(...)``, and ``scalinglab.read_curves`` does not exist."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import scalinglab
from scalinglab.data import Curves, read_curves

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_read_curves_in_the_readme_is_the_data_one() -> None:
    text = README.read_text(encoding="utf-8")
    calls = [m.start() for m in re.finditer(r"(?<![\w.])read_curves\(", text)]
    assert calls == [], [text[i - 60 : i + 40] for i in calls]  # bare: no such name at the top
    assert "scalinglab.data.read_curves(...).where(...)" in text
    assert "read_lr_curves(..., where=...)" in text
    assert not hasattr(scalinglab, "read_curves")


def test_the_names_the_readme_gives_take_where() -> None:
    assert inspect.signature(read_curves).return_annotation in (Curves, "Curves")
    assert callable(Curves.where)
    assert "where" in inspect.signature(scalinglab.read_lr_curves).parameters
