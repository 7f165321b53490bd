"""The JSON form of a :class:`~scalinglab.fit.FitResult`: write it, read it back, and read
the files older releases wrote (the ``"params"`` key, ``"loss"`` for the robust loss, the
builds' old module names)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._errors import DataError, InputError
from scalinglab._formats import READER, check_format, read_result
from scalinglab._json import json_number, json_ready
from scalinglab._reader_words import FitWords, reader_words
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.data._noted_runs import plain_notes, reading_warnings
from scalinglab.fit._extrapolation import Extrapolation
from scalinglab.fit._implausible import implausible_values, unconverged_first
from scalinglab.fit._result_fields import (
    check_columns,
    check_fields,
    check_samples,
    law_coefs,
    sample_rows,
)
from scalinglab.laws._presets import Conventions

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult
    from scalinglab.validate._law_choice import LawChoice

__all__ = ["from_dict", "load", "to_dict"]

_FORMAT = "scalinglab.fit/1"
#: What writes a law fit, and what fits the runs given instead, on the command line and in Python.
_WORDS = FitWords(
    cls="FitResult",
    command="scalinglab fit ... --out fit.json",
    runs_command="scalinglab fit {} --out fit.json",
    runs_call="scalinglab.fit(law, {})",
    store_command="scalinglab fit --store {} --out fit.json",
    store_call="scalinglab.fit(law, scalinglab.RunStore({}).to_run_table())",
)


# what older fit files call the solver that ran -> today's name
_LEGACY_SOLVERS = {
    "None": "numpy",
    "_sumpow_mvec": "compiled-avx512",
    "_sumpow": "compiled-portable",
}


@json_ready
def to_dict(result: FitResult) -> dict[str, Any]:
    """A JSON-ready dictionary (floats as numbers, ``inf``/NaN as strings)."""
    return {
        "format": _FORMAT,
        "law": result.law_spec,
        "formula": result.law.formula,
        "coefs": {k: json_number(v) for k, v in result.coefs.items()},
        "intervals": {
            k: [json_number(a), json_number(b)] for k, (a, b) in result.intervals.items()
        },
        "level": result.level,
        "samples": None
        if result.samples is None
        else [[json_number(x) for x in row] for row in result.samples],
        "objective": result.objective,
        "status": result.status,
        "message": result.message,
        "n_starts": result.n_starts,
        "n_starts_solved": result.n_starts_solved,
        "n_starts_at_best": result.n_starts_at_best,
        "n_converged": result.n_converged,
        "at_bound": list(result.at_bound),
        "aic": json_number(result.aic),
        "bic": json_number(result.bic),
        "residuals": [json_number(r) for r in result.residuals],
        "runs": list(result.runs),
        # the runs left out (drop_outliers): the notes name a few where there are many
        "excluded": [{"run": run, "reason": why} for run, why in result.excluded],
        # the runs left out while reading (not finished, no loss), as excluded is written
        "skipped": [{"run": run, "reason": why} for run, why in result.skipped],
        "columns": dict(result.columns),
        "y": result.y,  # null: not recorded
        "robust_loss": result.robust_loss,
        # for readers of the previous release (same format id, which reads "loss"); goes
        # with the deprecation of the old name (FitResult.loss, loss=)
        "loss": result.robust_loss,
        "delta": result.delta,
        "space": result.space,
        "n_bootstrap": result.n_bootstrap,
        "resample": result.resample,
        "seed": result.seed,
        "source": result.source,
        "where": None if result.where is None else dict(result.where),  # null: not recorded
        "simulated": result.simulated,
        "conventions": result.conventions.to_dict(),
        "flops_convention": None
        if result.flops_convention is None
        else result.flops_convention.to_dict(),
        "notes": list(result.notes),
        "solver": result.solver,
        "extrapolation": None if result.extrapolation is None else result.extrapolation.to_dict(),
        # what predict's intervals are, in Prediction.interval_kind's word, and why in words
        # (derived from the samples and the extrapolation: not read back)
        "interval_kind": result.interval_kind,
        "interval_note": result.interval_note,
        "warnings": list(result.warnings),
        "trusted": result.trusted,
        # how the law was chosen (fit('auto'), --law auto) or compared: null, neither
        "law_choice": None if result.law_choice is None else result.law_choice.to_dict(),
        # why no plan may be made from it (runs that leave N and D unidentified): null, none
        "plan_withheld": result.plan_withheld,
        # N* ∝ C^a and D* ∝ C^b, under isoflop's keys (derived: not read back); null where
        # the law has no closed-form allocation
        "allocation_exponents": None if (e := result.allocation_exponents) is None else e.to_dict(),
    }


def from_dict(
    cls: type[FitResult], d: Mapping[str, Any], *, source: str = "<dict>", reader: str = READER
) -> FitResult:
    """The result ``d`` (from :func:`to_dict`) describes; ``source`` names it in errors, and
    ``reader`` what reads a fit (``"`predict --fit`"``) in the hint for a result of another
    kind. Its bootstrap samples must hold one value per coefficient."""
    result = _parse(cls, d, source=source, reader=reader)
    check_samples(result.samples, tuple(result.coefs), law=None, source=source)
    return result


def _parse(cls: type[FitResult], d: Mapping[str, Any], *, source: str, reader: str) -> FitResult:
    """:func:`from_dict` but for the width of the samples, which :func:`load` checks
    against the law after its coefficients (a missing one is said as such)."""
    check_format(d, _FORMAT, "scalinglab fit", source=source, reader=reader,
                 write="write one with `scalinglab fit ... --out fit.json`")  # fmt: skip
    check_fields(d, source=source)
    try:
        samples = d["samples"]
        coefs = _either(d, "coefs", "params")  # older files: "params"
        return cls(
            law_spec=d["law"],
            coefs={k: float(v) for k, v in coefs.items()},
            intervals={k: (float(a), float(b)) for k, (a, b) in d["intervals"].items()},
            samples=None if samples is None else sample_rows(samples, tuple(coefs), source),
            level=float(d["level"]),
            objective=float(d["objective"]),
            status=d["status"],
            message=d["message"],
            n_starts=int(d["n_starts"]),
            n_starts_at_best=int(d["n_starts_at_best"]),
            n_starts_solved=None if d.get("n_starts_solved") is None else int(d["n_starts_solved"]),
            n_converged=int(d["n_converged"]),
            at_bound=tuple(d["at_bound"]),
            aic=float(d["aic"]),
            bic=float(d["bic"]),
            residuals=np.array(d["residuals"], dtype=np.float64),
            runs=tuple(d["runs"]),
            # older files: not recorded (their notes named each)
            excluded=tuple((str(e["run"]), str(e["reason"])) for e in d.get("excluded", ())),
            skipped=tuple((str(e["run"]), str(e["reason"])) for e in d.get("skipped", ())),
            columns=dict(d["columns"]),
            y=None if d.get("y") is None else str(d["y"]),  # older files: not recorded
            # older files: "loss" alone (today's write it too, for the previous release)
            robust_loss=str(_either(d, "robust_loss", "loss")),
            delta=float(d["delta"]),
            space=d["space"],
            n_bootstrap=int(d["n_bootstrap"]),
            resample=str(d.get("resample", "runs")),  # older files: runs, the only kind
            seed=int(d["seed"]),
            source=d["source"],
            # older files did not record it: unknown (None), not every run ({})
            where=None
            if d.get("where") is None
            else {str(k): str(v) for k, v in d["where"].items()},
            simulated=bool(d["simulated"]),
            conventions=Conventions(**d["conventions"]),
            # files from before fits recorded it: None, their conventions' words give it
            flops_convention=FlopsConvention.from_dict(d["flops_convention"])
            if d.get("flops_convention")
            else None,
            notes=tuple(plain_notes(d["notes"])),  # older files: a reading warning too
            # files from before it was recorded, or with the builds' old module names
            solver=_LEGACY_SOLVERS.get(str(d.get("solver")), str(d.get("solver"))),
            extrapolation=None
            if d.get("extrapolation") is None
            else Extrapolation.from_dict(d["extrapolation"]),
            # a fit that did not converge says so first; files written before fits put
            # it among their warnings gain it here (once: today's hold it already)
            warnings=unconverged_first(d["status"], d["message"], _warned(d)),
            law_choice=_law_choice(d.get("law_choice")),  # none: no choice, or older files
            # older files: not recorded (None); `plan --fit` read fit's key of that name
            plan_withheld=d.get("plan_withheld") or None,  # a string: check_fields
        )
    except KeyError as exc:  # the key as today's files write it (not an older name)
        raise DataError(
            f"fit file is incomplete: it has no {exc.args[0]!r} key",
            source=source,
            hint="write it again with `scalinglab fit ... --out fit.json`",
        ) from None
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"fit file is incomplete or malformed ({type(exc).__name__}: {exc})",
            source=source,
            hint="write it again with `scalinglab fit ... --out fit.json`",
        ) from None


def _warned(d: Mapping[str, Any]) -> tuple[str, ...]:
    """The file's warnings: files written before a fit's reading warnings were among its
    warnings saved them among its notes (``warning: ...``), read here as today's fit
    says them, first, and once."""
    warnings = tuple(d.get("warnings", ()))
    read = reading_warnings(d["notes"])
    return (*(w for w in read if w not in warnings), *warnings)


def _law_choice(d: Mapping[str, Any] | None) -> LawChoice | None:
    """The fit's ``"law_choice"`` block read back (``None``: there is none)."""
    from scalinglab.validate._law_choice import LawChoice  # validate imports fit

    return None if d is None else LawChoice.from_dict(d)


def _either(d: Mapping[str, Any], key: str, older: str) -> Any:
    """``d[key]``, else what older files wrote as ``d[older]``; a KeyError names ``key``."""
    if key in d or older not in d:
        return d[key]
    return d[older]


def load(
    cls: type[FitResult],
    path: str | os.PathLike[str],
    *,
    reader: str = READER,
    option: str | None = None,
) -> FitResult:
    """Read a result written by :meth:`FitResult.save` (``reader``: :func:`from_dict`;
    ``option``: the command-line option that gave ``path``, named in the hint of a file
    that is not JSON, ``--loss`` for ``hparams predict --preset kaplan2020``; ``None``: it
    was given in Python, and ``FitResult.load`` is named)."""
    d = read_result(path, what="scaling-law fit", **reader_words(option, _WORDS))
    return _read_back(_parse(cls, d, source=os.fspath(path), reader=reader), os.fspath(path))


def _read_back(result: FitResult, path: str) -> FitResult:
    """``result`` read from the file ``path``, which it records (errors about its numbers,
    found when planning from them, name the file), with its law rebuilt now (an unknown
    name names the file too) and its values judged again as the fit judged them: a file
    edited since (alpha set to -0.3) warns as such a fit would have (that one did not
    converge, :func:`from_dict` has said). Coefficients that are not the law's, and
    samples that do not hold one value per coefficient, are refused, naming the file."""
    try:
        law = result.law
    except InputError as err:  # the file's law: a name no release knows, a broken formula
        raise DataError(err.message, source=path, hint=err.hint) from None
    # an edited or cut file: refused here, not as a broadcast error in predict nor as
    # samples reshaped into other rows (a garbled interval in plan)
    law_coefs(result.coefs, law, source=path)
    check_columns(result.columns, law, source=path)
    check_samples(result.samples, law.param_names, law=law.name, source=path)
    said = [w for w in implausible_values(law, result.coefs) if w not in result.warnings]
    return replace(result, warnings=(*result.warnings, *said), path=path)
