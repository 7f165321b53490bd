"""The JSON form of a :class:`~scalinglab.curves.CurveFit`: write it, and read it back
(files older releases wrote included: ``"kind"``, ``"params"``, fields added since)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import DataError
from scalinglab._formats import check_format, read_result
from scalinglab._json import json_ready
from scalinglab._paths import as_path
from scalinglab._reader_words import FitWords, quoted, reader_words
from scalinglab.fit._implausible import unconverged_first
from scalinglab.fit._losses import LOSSES

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit

__all__ = ["load", "to_dict"]

_FORMAT = "scalinglab.curve_fit/1"  # "scalinglab.curve_fit" before: read too


@json_ready
def to_dict(fit: CurveFit) -> dict[str, object]:
    """A JSON-ready dictionary of ``fit`` (its samples included)."""
    return {
        "format": _FORMAT,
        "law": fit.law,
        "coefs": dict(fit.coefs),
        "intervals": {k: list(v) for k, v in fit.intervals.items()},
        "samples": None if fit.samples is None else fit.samples.tolist(),
        "level": fit.level,
        "objective": fit.objective,
        "status": fit.status,
        "message": fit.message,
        "n_starts": fit.n_starts,
        "n_starts_at_best": fit.n_starts_at_best,
        "runs": list(fit.runs),
        "residuals": fit.residuals.tolist(),
        "defaults": dict(fit.defaults),
        "notes": list(fit.notes),
        "n_ref": fit.n_ref,
        "warnings": list(fit.warnings),
        "ridge": fit.ridge,
        "steps": fit.steps,
        "lengths": list(fit.lengths),
        "sizes": list(fit.sizes),
        "at_bound": list(fit.at_bound),
        "resample": fit.resample,
        "peaks": list(fit.peaks),
        "left_out": dict(fit.left_out),
        "curve_weights": None if fit.curve_weights is None else fit.curve_weights.tolist(),
        "where": None if fit.where is None else dict(fit.where),  # null: not recorded
        "source": fit.source,  # null: not recorded
        "seed": fit.seed,  # these three: what reproduces it, under fit's names
        "n_bootstrap": fit.n_bootstrap,
        "solver": fit.solver,
        "robust_loss": fit.robust_loss,  # these three: how it was fitted; null: not recorded
        "delta": fit.delta,
        "max_iter": fit.max_iter,
    }


def _loss_name(name: object) -> str | None:
    """A saved robust loss's name, as a fit writes one (``None``: not recorded); another
    is a malformed field (a ``ValueError``)."""
    if name is None:
        return None
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"robust_loss {name!r} is none of {', '.join(LOSSES)}")
    return name


def _given_table(source: str, *, python: bool) -> str:
    """The hint's end for a table given as a curve fit: how to fit it where it holds loss
    curves (a step column); else that it holds none, which fitting curves would refuse,
    and, for runs read as a table, how to fit their final losses; in Python the calls
    (``python``), else the commands."""
    from pathlib import Path

    from scalinglab.data._curve_columns import pick_step
    from scalinglab.data._source_cells import read_file

    reader = "`scalinglab.fit_curves`" if python else "`curves fit`"
    curves = f"loss curves (one row per logged step: run, step, loss), which {reader} reads"
    try:
        names = read_file(Path(source), source).names
    except DataError:  # not a table at all ([1, 2]): nothing to fit it
        return f"; it holds no {curves}"
    try:
        step = pick_step(names, source=source)[0]
    except DataError:  # several step columns: curves, whose fit says which to keep
        step = "several"
    typed = quoted(source, python=python)  # one word (one string) in what to copy
    if step is not None:
        fit = (
            f"scalinglab.fit_curves({typed})"
            if python
            else f"scalinglab curves fit {typed} --out curve.json"
        )
        return f"; to fit its loss curves: `{fit}`"
    runs = f"scalinglab.fit(law, {typed})" if python else f"scalinglab fit {typed}"
    return f"; it is a run table (no step column), not {curves}; to fit these runs: `{runs}`"


#: What writes a curve fit, and what fits the curves given instead, on the command line and
#: in Python (a table: :func:`_given_table`).
_WORDS = FitWords(
    cls="CurveFit",
    command="scalinglab curves fit CURVES --out curve.json",
    store_command="scalinglab curves fit --store {} --out curve.json",
    store_call="scalinglab.fit_curves(scalinglab.curves.read_store_curves({}))",
    table=_given_table,
)


def load(
    cls: type[CurveFit], path: str | os.PathLike[str], *, option: str | None = None
) -> CurveFit:
    """Read a fit written by :meth:`CurveFit.save` (older files too); ``option``: the
    command-line option that gave ``path``, named in the hint of a file that is not a
    fit (``None``: it was given in Python, and ``CurveFit.load`` is named)."""
    name = os.fspath(as_path(path))
    words = reader_words(option, _WORDS)
    d = read_result(name, what="curve fit", **words)
    # older curve fits named their format "kind": read here alone
    check_format(d, _FORMAT, "curve fit", source=name, write=words["write"], accept_kind=True)
    try:
        coefs = d["coefs"] if "coefs" in d else d["params"]  # older files: "params"
        return cls(
            law=d["law"],
            coefs={k: float(v) for k, v in coefs.items()},
            intervals={k: (float(v[0]), float(v[1])) for k, v in d["intervals"].items()},
            samples=None if d["samples"] is None else np.array(d["samples"], dtype=float),
            level=float(d["level"]),
            objective=float(d["objective"]),
            status=d["status"],
            message=d["message"],
            n_starts=int(d["n_starts"]),
            n_starts_at_best=int(d["n_starts_at_best"]),
            runs=tuple(d["runs"]),
            residuals=np.array(d["residuals"], dtype=float),
            defaults={k: float(v) for k, v in d["defaults"].items()},
            notes=tuple(d["notes"]),
            n_ref=float(d.get("n_ref", float("nan"))),
            # older files: none, nor the first line a fit that did not converge now gives
            warnings=unconverged_first(d["status"], d["message"], d.get("warnings", ())),
            ridge=float(d.get("ridge", 0.0)),  # older files: none
            steps=int(d.get("steps", 0)),  # older files: not recorded
            lengths=tuple(int(n) for n in d.get("lengths", ())),  # older files: the longest alone
            sizes=tuple(float(n) for n in d.get("sizes", ())),  # older files: n_ref only
            at_bound=tuple(d.get("at_bound", ())),
            resample=str(d.get("resample", "")),
            peaks=tuple(float(v) for v in d.get("peaks", ())),  # older files: none
            left_out={str(k): str(v) for k, v in d.get("left_out", {}).items()},
            curve_weights=None
            if d.get("curve_weights") is None  # older files: none
            else np.array(d["curve_weights"], dtype=float).reshape(-1, len(d["runs"])),
            where=None  # not recorded: an older file, or curves given read
            if d.get("where") is None
            else {str(k): str(v) for k, v in d["where"].items()},
            source=None if d.get("source") is None else str(d["source"]),  # older: none
            seed=None if d.get("seed") is None else int(d["seed"]),  # older files: none
            n_bootstrap=None if d.get("n_bootstrap") is None else int(d["n_bootstrap"]),
            solver=None if d.get("solver") is None else str(d["solver"]),
            robust_loss=_loss_name(d.get("robust_loss")),  # older files: none
            delta=None if d.get("delta") is None else float(d["delta"]),
            # older files: the old key, max_steps
            max_iter=None if (cap := d.get("max_iter", d.get("max_steps"))) is None else int(cap),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise DataError(
            f"a curve fit with a missing or malformed field ({type(err).__name__}: {err})",
            source=name,
            hint=f"{words['write']} again",
        ) from None
