"""Chance levels read from a file (``--chance``): fractions, percentages, or ``25%``."""

from __future__ import annotations

import math
import os
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab.downstream._frames import file_rows
from scalinglab.downstream._frames import read_frame as _read_frame

__all__ = ["read_chance"]


def read_chance(path: str | os.PathLike[str]) -> dict[str, float]:
    """Chance levels from a table: a task column (``task`` or ``Eval Task``) and a level
    column (``chance`` or ``Random baseline``).

    A level written ``25%`` is a percentage; plain numbers are fractions, or percentages
    when the column is in percent (most of them above 1). A blank level is no level (the
    built-in one, if any, stands).

    Raises:
        DataError: No task or level column; a level that is not a number (named by its
            row); a column mixing plain fractions and percentages (the odd rows named: one
            scale would misread them 100-fold); a level outside [0, 1] once read.
    """
    source = os.fspath(path)
    frame = _read_frame(Path(path), rows="one row per task (task, chance)")
    task = next((c for c in ("task", "Eval Task") if c in frame.columns), None)
    level = next((c for c in ("chance", "Random baseline") if c in frame.columns), None)
    if task is None or level is None:
        raise DataError(
            "a chance file needs a task column ('task') and a level column ('chance')",
            source=source,
        )
    rows = file_rows(Path(path), len(frame))
    read: dict[int, tuple[float, bool]] = {}  # record -> (number, written with "%")
    for i, raw in enumerate(frame[level]):
        text = str(raw).strip() if not (isinstance(raw, float) and math.isnan(raw)) else ""
        if not text:
            continue
        marked = text.endswith("%")
        try:
            read[i] = (float(text[:-1] if marked else text), marked)
        except ValueError:
            raise DataError(
                f"not a chance level: {raw!r} for task {frame[task].iloc[i]!r}",
                source=source, row=rows[i], column=str(level),
                hint="write a fraction (0.25) or a percentage (25 or 25%)",
            ) from None  # fmt: skip
    plain = {i: v for i, (v, marked) in read.items() if not marked}
    above = [i for i, v in plain.items() if v > 1]
    low = [i for i, v in plain.items() if 0 < v <= 1]
    percent = len(above) >= len(low)
    odd = low if percent else above
    if above and low:  # one scale misreads the others 100-fold
        first = odd[0]
        listed = "; ".join(f"{plain[i]:g} (row {rows[i]})" for i in odd[:5])
        listed += f"; and {len(odd) - 5} more" if len(odd) > 5 else ""
        raise DataError(
            f"chance levels mix percentages ({len(above)} above 1) and fractions ({len(low)} "
            f"at most 1): {listed}",
            source=source, row=rows[first], column=str(level),
            hint="write every level on one scale (0.25 or 25), or mark percentages with %",
        )  # fmt: skip
    levels: dict[str, float] = {}
    for i, (v, marked) in read.items():
        value = v / 100.0 if marked or percent else v
        if not 0.0 <= value <= 1.0:
            raise DataError(
                f"chance level {frame[level].iloc[i]!r} of task {frame[task].iloc[i]!r} is "
                "outside 0-100%",
                source=source, row=rows[i], column=str(level),
            )  # fmt: skip
        levels[str(frame[task].iloc[i])] = value
    return levels
