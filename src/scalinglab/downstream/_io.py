"""A fitted chain as JSON: every step's law, best fit and bootstrap resamples.

The resamples are kept (rows aligned across steps) so that a loaded chain predicts with the
same intervals as the one that was saved.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import DataError
from scalinglab._formats import check_format, read_result
from scalinglab._json import dumps, json_number, json_ready
from scalinglab._reader_words import FitWords, reader_words
from scalinglab._result_names import write_result
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.downstream._chain import DownstreamFit
from scalinglab.downstream._laws import ExponentialError, LossToLoss, Sigmoid, downstream_law
from scalinglab.downstream._refit import Step
from scalinglab.downstream._task import TaskFit
from scalinglab.fit._extrapolation import Extrapolation
from scalinglab.laws import Law, get_law

__all__ = [
    "FORMAT", "chain_from_dict", "chain_to_dict", "load_chain", "save_chain", "task_to_dict",
]  # fmt: skip

FORMAT = "scalinglab.downstream/1"
_COMMAND = "scalinglab downstream fit ... --out ds.json"
#: What writes a chain, and what fits the evaluations given instead, on the command line and in
#: Python.
_WORDS = FitWords(
    cls="DownstreamFit",
    command=_COMMAND,
    runs_command="scalinglab downstream fit {} --out ds.json",
    runs_call="scalinglab.fit_downstream(scalinglab.read_evals({}))",
    store_command="scalinglab downstream fit --store {} --out ds.json",
    store_call="scalinglab.fit_downstream(scalinglab.downstream.read_store_evals({}))",
    what="a chain",
)
_WRITE = f"write one with `{_COMMAND}`"
#: How files written before warnings were a field of their own marked them in the notes.
_WARNED = ("warning: ", "loss law: ")


@json_ready
def chain_to_dict(chain: DownstreamFit) -> dict[str, Any]:
    """The chain as plain JSON-ready data."""
    return {
        "format": FORMAT,
        "via": chain.via,
        "level": chain.level,
        "n_bootstrap": chain.n_bootstrap,
        "seed": chain.seed,
        "source": chain.source,
        "where": dict(chain.where),
        "runs": list(chain.runs),
        "loss_step": _step_to_dict(chain.loss_step),
        "extrapolation": None if chain.extrapolation is None else chain.extrapolation.to_dict(),
        "notes": list(chain.notes),
        "warnings": list(chain.warnings),
        "loss_delta": chain.loss_delta,
        "flops_convention": None
        if chain.flops_convention is None
        else chain.flops_convention.to_dict(),
        "tasks": {name: task_to_dict(t) for name, t in chain.tasks.items()},
        "average": None if chain.average is None else task_to_dict(chain.average),
        "average_chosen": chain.average_chosen,
    }


def chain_from_dict(d: Mapping[str, Any], *, source: str = "<dict>") -> DownstreamFit:
    """Rebuild a chain from :func:`chain_to_dict`'s form."""
    check_format(d, FORMAT, "downstream fit", source=source, write=_WRITE)
    try:
        tasks = {name: _task_from_dict(name, t) for name, t in d["tasks"].items()}
        average = d.get("average")  # older files: none
        ex = d.get("extrapolation")
        notes = [str(n) for n in d.get("notes", ())]
        return DownstreamFit(
            _step_from_dict(d["loss_step"]),
            tasks,
            str(d["via"]),
            float(d["level"]),
            int(d["n_bootstrap"]),
            int(d["seed"]),
            tuple(d["runs"]),
            str(d["source"]),
            extrapolation=None if ex is None else Extrapolation.from_dict(ex),
            notes=tuple(n for n in notes if not n.startswith(_WARNED)),
            warnings=_warnings(d, notes),
            average=None if average is None else _task_from_dict("average", average),
            loss_delta=float(d.get("loss_delta", HUBER_DELTA)),  # older files: fit's default
            flops_convention=FlopsConvention.from_dict(d["flops_convention"])
            if d.get("flops_convention")  # older files: none, 6·N·D as they planned
            else None,
            where={str(k): str(v) for k, v in (d.get("where") or {}).items()},  # older: none
            average_chosen=_chosen(d.get("average_chosen", "predictable")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(
            f"a downstream fit with a missing or bad field: {exc}", source=source
        ) from None


def _chosen(value: object) -> Literal["named", "predictable"]:
    """How the average's members were chosen. A file written before it was recorded reads
    as ``"predictable"``: what its average was over unless the user listed the tasks
    (``--average-of``), which such a file cannot tell."""
    if value not in ("named", "predictable"):
        raise ValueError(f"average_chosen is {value!r}, not 'named' or 'predictable'")
    return "named" if value == "named" else "predictable"


def _warnings(d: Mapping[str, Any], notes: list[str]) -> tuple[str, ...]:
    """The chain's warnings: its file's ``warnings``, with those its notes mark
    (``warning: ...``, each once): a file written before warnings were a field of their own
    holds them there alone, one written before the evaluations' warnings (sizes that look
    like millions) were the chain's holds those there alone."""
    said = [n.removeprefix("warning: ") for n in notes if n.startswith("warning: ")]
    if "warnings" in d:  # the marked notes the field lacks first, as the chain puts them
        given = [str(w) for w in d["warnings"]]
        return tuple(dict.fromkeys([*(w for w in said if w not in given), *given]))
    return tuple(dict.fromkeys([*said, *(n for n in notes if n.startswith("loss law: "))]))


def save_chain(chain: DownstreamFit, path: str | os.PathLike[str]) -> None:
    """Write the chain as JSON.

    Args:
        chain: The fitted chain.
        path: The file to write (:func:`load_chain` reads it back).
    """
    write_result(
        path, dumps(chain_to_dict(chain), indent=None) + "\n", what="the chain"
    )  # strict: NaN as "nan"


def load_chain(path: str | os.PathLike[str], *, option: str | None = None) -> DownstreamFit:
    """Read a chain written by :func:`save_chain`.

    Args:
        path: The chain's JSON file.
        option: The command-line option that gave ``path``, named in the hint of a file
            that is not a chain; ``None``: it was given in Python (``DownstreamFit.load``
            is named).

    Returns:
        The fitted chain, with ``path`` as its source.
    """
    data = read_result(path, what="downstream fit", **reader_words(option, _WORDS))
    return chain_from_dict(data, source=os.fspath(path))


@json_ready
def task_to_dict(t: TaskFit) -> dict[str, Any]:
    """A task's fit as the chain's JSON holds it under ``"tasks"`` (:meth:`TaskFit.to_dict`)."""
    return {
        "chance": json_number(t.chance),
        "reason": t.reason,
        "backtest_error": json_number(t.backtest_error),
        "examples": json_number(t.examples),
        "eval_noise": json_number(t.eval_noise),
        "notes": list(t.notes),
        "note": "; ".join(t.notes),  # the old key (a string), kept one release
        "members": list(t.members),
        "step": None if t.step is None else _step_to_dict(t.step),
    }


def _task_from_dict(name: str, t: Mapping[str, Any]) -> TaskFit:
    """A task's fit; the fields added later read as unknown from older files."""
    return TaskFit(
        name,
        float(t["chance"]),
        None if t["step"] is None else _step_from_dict(t["step"]),
        str(t["reason"]),
        float(t.get("backtest_error", math.nan)),
        float(t.get("examples", math.nan)),
        float(t.get("eval_noise", math.nan)),
        _notes(t),
        tuple(str(m) for m in t.get("members", ())),
    )


def _notes(t: Mapping[str, Any]) -> tuple[str, ...]:
    """A task's ``notes``; a file written before them has one string, ``note``."""
    if "notes" in t:
        return tuple(str(n) for n in t["notes"])
    return (str(t["note"]),) if t.get("note") else ()


def _law_to_dict(law: Law) -> dict[str, Any]:
    if isinstance(law, Sigmoid):
        return {"name": law.name, "column": law.column, "chance": json_number(law.chance)}
    if isinstance(law, LossToLoss):
        return {"name": law.name, "column": law.column, "floor": json_number(law.floor)}
    if isinstance(law, ExponentialError):
        return {"name": law.name, "column": law.column}
    return {"name": law.spec}


def _law_from_dict(d: Mapping[str, Any]) -> Law:
    name = str(d["name"])
    if "column" in d:
        return downstream_law(
            name,
            column=str(d["column"]),
            chance=float(d.get("chance", math.nan)),
            floor=float(d.get("floor", math.inf)),
        )
    return get_law(name)


def _step_to_dict(step: Step) -> dict[str, Any]:
    # every digit, as a fit's samples are saved: a loaded chain predicts what it did
    return {
        "law": _law_to_dict(step.law),
        "coefs": dict(step.coefs),
        "samples": [[json_number(v) for v in row] for row in step.samples.tolist()],
        "noise": step.noise,
        "space": step.space,
        "status": step.status,
        "n_starts_at_best": step.n_starts_at_best,
        "n_starts": step.n_starts,
        "n_converged": step.n_converged,
        "solver": step.solver,
    }


def _step_from_dict(d: Mapping[str, Any]) -> Step:
    law = _law_from_dict(d["law"])
    rows = [[float(v) for v in row] for row in d["samples"]]
    samples = np.array(rows, dtype=np.float64).reshape(-1, len(law.params))
    coefs = d["coefs"] if "coefs" in d else d["params"]  # older files: "params"
    return Step(
        law,
        {str(k): float(v) for k, v in coefs.items()},
        samples,
        float(d["noise"]),
        str(d["space"]),
        str(d["status"]),
        int(d["n_starts_at_best"]),
        int(d.get("n_starts", 0)),  # older files: not recorded
        int(d.get("n_converged", 0)),
        str(d.get("solver", "")),
    )
