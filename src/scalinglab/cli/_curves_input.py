"""Curves and schedules as the ``curves`` commands read them: files or a run store, a
schedule file, a model size, a list of schedule specs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from scalinglab._errors import ConfigError
from scalinglab.cli import _options as opt

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab.curves import Curve, Schedule

__all__ = [
    "CURVES",
    "LAW",
    "STORE",
    "emit",
    "logged_schedule",
    "read_curves",
    "size",
    "split_specs",
]

CURVES = typer.Argument(
    metavar="CURVES",
    help="Curve files (run, step, lr, loss: .csv .parquet .jsonl) or folders of them.",
    show_default=False,
)
LAW = typer.Option(help="multipower (multipower-after-warmup), tissue, power-s1, power-steps.")
STORE = typer.Option(help="Read the curves of a run store (.duckdb) instead of CURVES.")


def read_curves(curves: list[Path] | None, store: Path | None, **kw: object) -> list[Curve]:
    """The curves of CURVES files or of ``--store`` (exactly one of them)."""
    if (not curves) == (store is None):
        raise ConfigError(
            "give CURVES or --store (one of them)",
            hint="scalinglab curves fit curves.csv, or scalinglab curves fit --store runs.duckdb",
        )
    from scalinglab.curves import read_lr_curves, read_store_curves

    if store is not None:
        return read_store_curves(store, warmup=kw.get("warmup"))  # type: ignore[arg-type]
    return read_lr_curves(curves or [], **kw)  # type: ignore[arg-type]


def logged_schedule(path: Path) -> Schedule:
    """``--schedule-file``: an ``lr`` column (and ``step``), reconstructed per step."""
    import numpy as np

    from scalinglab.curves import Schedule
    from scalinglab.data._readers import _read_file

    raw = _read_file(path, str(path))
    keys = {n.strip().lower(): n for n in raw.names}
    if "lr" not in keys:
        raise ConfigError(f"{path}: no 'lr' column", hint="write one learning rate per step")
    lr = [float(v) for v in raw.cells[keys["lr"]]]  # type: ignore[arg-type]
    step = (
        [float(v) for v in raw.cells[keys["step"]]]  # type: ignore[arg-type]
        if "step" in keys
        else list(range(len(lr)))
    )
    warmup = int(step[0]) if step[0] > 0 else None
    return Schedule.from_logged(
        np.asarray(step, float), np.asarray(lr, float), warmup=warmup, source=str(path)
    )


def size(text: str | None) -> float | None:
    """``--params`` as a number (``70M``, ``1e9``), or ``None``."""
    from scalinglab.data import parse_quantity

    return None if text is None else parse_quantity(text, column="--params")


def split_specs(text: str) -> list[str]:
    """``cosine,wsd:0.1,wsd:decay=0.2,shape=sqrt`` -> specs: a part with ``=`` and no
    ``:`` continues the previous spec."""
    out: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if out and ":" not in part and "=" in part:
            out[-1] += "," + part
        else:
            out.append(part)
    return out


def emit(data: dict[str, Any]) -> None:
    """``--json``: the result alone on stdout."""
    sys.stdout.write(opt.dumps(data) + "\n")
