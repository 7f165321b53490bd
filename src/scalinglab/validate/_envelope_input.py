"""What :func:`~scalinglab.validate.envelope` reads: :class:`~scalinglab.data.Curves`, a
file or DataFrame of them, and also what :func:`scalinglab.read_lr_curves` returns (a list
of :class:`~scalinglab.curves.Curve`) or a folder it reads, so that the one public curve
reader's result goes straight into the envelope."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted
from scalinglab._progress import Progress
from scalinglab.data import RunTable
from scalinglab.data._curves import Curves, read_curves
from scalinglab.validate._curve_folder import read_curve_folder

__all__ = ["CurvesLike", "envelope_curves"]

CurvesLike = Curves | str | os.PathLike[str] | pd.DataFrame | Sequence[object]

_PER_STEP_HINT = "pass tokens_per_step=N, the batch size × sequence length: tokens = step × N"


def envelope_curves(
    source: CurvesLike,
    *,
    columns: Mapping[str, str] | None,
    runs: RunTable | Mapping[str, float] | None,
    tokens_per_step: float | None,
    progress: Progress | None = None,
) -> Curves:
    """``source`` as :class:`Curves`: a file or DataFrame (:func:`read_curves`), a folder
    of them (:func:`read_curve_folder`, which tells ``progress`` of each file read), or a
    list of curves as :func:`scalinglab.read_lr_curves` returns them.

    Raises:
        ConfigError: A list holding something other than curves, or curves of steps
            without ``tokens_per_step``.
        DataError: As :func:`scalinglab.data.read_curves` and
            :func:`scalinglab.read_lr_curves` do, naming file, row and column.
    """
    if isinstance(source, Curves):
        return source
    if isinstance(source, str | os.PathLike) and Path(os.fspath(source)).is_dir():
        return read_curve_folder(
            source, columns=columns, runs=runs, tokens_per_step=tokens_per_step, progress=progress
        )
    if isinstance(source, Sequence) and not isinstance(source, str):
        return _from_lr_curves(source, runs=runs, tokens_per_step=tokens_per_step)
    return read_curves(source, columns=columns, runs=runs, tokens_per_step=tokens_per_step)


def _from_lr_curves(
    curves: Sequence[object],
    *,
    runs: RunTable | Mapping[str, float] | None,
    tokens_per_step: float | None,
) -> Curves:
    """The points of :class:`~scalinglab.curves.Curve` objects as :class:`Curves`, read
    by :func:`read_curves` (so sizes and values are checked as a file's are)."""
    from scalinglab.curves import Curve

    odd = next((c for c in curves if not isinstance(c, Curve)), None)
    if odd is not None or not curves:
        got = "an empty list" if not curves else f"a {type(odd).__name__} in the list"
        raise ConfigError(
            f"envelope reads a list of curves as read_lr_curves returns them, got {got}",
            hint="pass read_lr_curves(folder), a folder, a file or a DataFrame of curves",
        )
    picked = [c for c in curves if isinstance(c, Curve)]
    if tokens_per_step is None:
        raise ConfigError(
            f"curves from read_lr_curves count steps, not tokens ({format_counted(len(picked), 'run')}, "
            f"e.g. {picked[0].run!r}): the envelope puts each point at C = 6·N·D",
            hint=_PER_STEP_HINT,
        )
    frame = pd.DataFrame(
        {
            "run": np.concatenate([np.full(len(c), c.run, dtype=object) for c in picked]),
            "step": np.concatenate([np.asarray(c.step, dtype=np.float64) for c in picked]),
            "loss": np.concatenate([np.asarray(c.loss, dtype=np.float64) for c in picked]),
        }
    )
    sizes = np.concatenate([np.full(len(c), c.params) for c in picked])
    if np.isfinite(sizes).all():  # each run's size from its folder (25M/...) or params column
        frame["params"] = sizes
    read = read_curves(frame, runs=runs, tokens_per_step=tokens_per_step)
    sources = sorted({c.source for c in picked if c.source})
    shown = sources[0] if len(sources) == 1 else f"{len(picked)} curves (read_lr_curves)"
    return replace(read, source=shown)
