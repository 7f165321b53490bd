"""The parts of a saved validation result as plain data and back: the run tables of a
split, a held-out run's score, a summary, a power law with its bootstrap lines, an IsoFLOP
budget. Each holds every field, so a loaded result is the one saved (:mod:`._saved`);
floats are written as JSON numbers (exact), non-finite ones as ``"nan"``/``"inf"``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._json import json_number
from scalinglab.data import RunTable
from scalinglab.data._frame_rows import row_said, said_row
from scalinglab.plan import Estimate
from scalinglab.validate._isoflop_budget import BudgetFit
from scalinglab.validate._powerlaw import PowerLawFit
from scalinglab.validate._score import BacktestRun, BacktestSummary
from scalinglab.validate._split import Split

__all__ = [
    "budget_from",
    "budget_state",
    "floats",
    "law_from",
    "law_state",
    "run_from",
    "run_state",
    "split_from",
    "split_state",
    "summary_from",
    "summary_state",
]


def floats(values: Iterable[Any]) -> list[float | str]:
    """``values`` as JSON numbers (non-finite ones as strings)."""
    return [json_number(float(v)) for v in values]


def _pairs(pairs: Iterable[Sequence[Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in pairs)


def _said(rows: Sequence[int]) -> bool:
    """Whether any of ``rows`` is said otherwise than by its number (a DataFrame's)."""
    return any(row_said(r) is not None for r in rows)


def table_state(t: RunTable) -> dict[str, Any]:
    """Every field of the run table ``t`` (its loss convention too: a fit of the loaded
    table records it, as it does the table's)."""
    return {
        "columns": {k: floats(v) for k, v in t.columns.items()},
        "runs": list(t.runs), "rows": [int(r) for r in t.rows], "source": t.source,
        # a DataFrame's rows as they are said ('r3', df.iloc[3]); null: a file's lines
        "rows_said": [row_said(r) for r in t.rows] if _said(t.rows) else None,
        "notes": list(t.notes), "labels": {k: list(v) for k, v in t.labels.items()},
        "simulated": t.simulated, "excluded": [list(e) for e in t.excluded],
        "skipped": [list(e) for e in t.skipped], "skipped_notes": list(t.skipped_notes),
        "flagged": [list(f) for f in t.flagged], "origins": dict(t.origins),
        "flops_convention": t.flops_convention, "params_convention": t.params_convention,
        "tokens_convention": t.tokens_convention, "loss_convention": t.loss_convention,
        "selected_from": t.selected_from, "kept_where": dict(t.kept_where),
        "run_column": t.run_column,
    }  # fmt: skip


def table_from(d: Mapping[str, Any]) -> RunTable:
    """The run table :func:`table_state` wrote."""
    return RunTable(
        columns={str(k): np.array([float(x) for x in v]) for k, v in d["columns"].items()},
        runs=tuple(str(r) for r in d["runs"]),
        # files saved before rows kept their words: the numbers alone
        rows=tuple(map(said_row, d["rows"], d.get("rows_said") or [None] * len(d["rows"]))),
        source=str(d["source"]), notes=tuple(str(n) for n in d["notes"]),
        labels={str(k): tuple(str(x) for x in v) for k, v in d["labels"].items()},
        simulated=bool(d["simulated"]), excluded=_pairs(d["excluded"]),
        # runs left out while reading: none in a file saved before they were recorded
        skipped=_pairs(d.get("skipped", ())),
        skipped_notes=tuple(str(n) for n in d.get("skipped_notes", ())),
        flagged=_pairs(d["flagged"]), origins={str(k): str(v) for k, v in d["origins"].items()},
        flops_convention=str(d["flops_convention"]),
        params_convention=str(d["params_convention"]), selected_from=int(d["selected_from"]),
        tokens_convention=str(d.get("tokens_convention", "")),
        loss_convention=str(d.get("loss_convention", "")),  # not known in a file saved before
        kept_where={str(k): str(v) for k, v in d["kept_where"].items()},
        run_column=str(d["run_column"]),
    )  # fmt: skip


def split_state(s: Split) -> dict[str, Any]:
    """Every field of the split ``s``, its run tables whole."""
    return {
        "fitted": table_state(s.fitted), "held_out": table_state(s.held_out),
        "holdout": s.holdout, "description": s.description, "column": s.column,
        "source": s.source, "warnings": list(s.warnings), "fit_on": s.fit_on,
        "not_held_out": s.not_held_out,
    }  # fmt: skip


def split_from(d: Mapping[str, Any]) -> Split:
    """The split :func:`split_state` wrote."""
    return Split(
        table_from(d["fitted"]), table_from(d["held_out"]), str(d["holdout"]),
        str(d["description"]), str(d["column"]), str(d["source"]),
        tuple(str(w) for w in d["warnings"]), fit_on=str(d.get("fit_on", "")),
        not_held_out=int(d.get("not_held_out", 0)),  # a save from before they were recorded
    )  # fmt: skip


def _by_level(m: Mapping[float, Any]) -> list[list[Any]]:
    """A mapping keyed by level as ``[level, value...]`` rows: the level exact, not the
    ``f"{level:g}"`` key :meth:`to_dict` writes."""
    return [[lv, *(floats(v) if isinstance(v, tuple) else [json_number(v)])] for lv, v in m.items()]


def run_state(r: BacktestRun) -> dict[str, Any]:
    """Every field of the held-out run ``r``."""
    return {
        "run": r.run, "row": int(r.row), "row_said": row_said(r.row),
        **dict(zip(_RUN_FLOATS, floats(getattr(r, k) for k in _RUN_FLOATS), strict=True)),
        "intervals": _by_level(r.intervals),
    }  # fmt: skip


_RUN_FLOATS = ("scale", "times_fitted", "actual", "predicted", "are", "spans_beyond")


def run_from(d: Mapping[str, Any]) -> BacktestRun:
    """The held-out run :func:`run_state` wrote."""
    return BacktestRun(
        run=str(d["run"]), row=said_row(d["row"], d.get("row_said")), **{k: float(d[k]) for k in _RUN_FLOATS},
        intervals={float(lv): (float(lo), float(hi)) for lv, lo, hi in d["intervals"]},
    )  # fmt: skip


def summary_state(s: BacktestSummary) -> dict[str, Any]:
    """Every field of the summary ``s``."""
    return {
        "n": s.n, "median_are": json_number(s.median_are), "mean_are": json_number(s.mean_are),
        "max_are": json_number(s.max_are), "coverage": _by_level(s.coverage),
        "scored": [[lv, k] for lv, k in s.scored.items()],
    }  # fmt: skip


def summary_from(d: Mapping[str, Any]) -> BacktestSummary:
    """The summary :func:`summary_state` wrote."""
    return BacktestSummary(
        n=int(d["n"]), median_are=float(d["median_are"]), mean_are=float(d["mean_are"]),
        max_are=float(d["max_are"]), coverage={float(lv): float(c) for lv, c in d["coverage"]},
        scored={float(lv): int(k) for lv, k in d["scored"]},
    )  # fmt: skip


def _estimate_from(v: Sequence[Any]) -> Estimate:
    value, lower, upper = (float(x) for x in v)
    return Estimate(value, lower, upper)


def _est(e: Estimate) -> list[float | str]:
    return floats((e.value, e.lower, e.upper))


def law_state(p: PowerLawFit) -> dict[str, Any]:
    """Every field of the power law ``p``, its bootstrap lines (what ``at`` reads) too."""
    return {
        "quantity": p.quantity, "exponent": _est(p.exponent),
        "coefficient": _est(p.coefficient), "level": p.level,
        "samples": None if p.samples is None else [floats(row) for row in p.samples],
        "reach": json_number(p.reach), "floor": json_number(p.floor),
    }  # fmt: skip


def law_from(d: Mapping[str, Any]) -> PowerLawFit:
    """The power law :func:`law_state` wrote."""
    samples = d["samples"]
    rows = None if samples is None else [[float(x) for x in row] for row in samples]
    return PowerLawFit(
        quantity=str(d["quantity"]), exponent=_estimate_from(d["exponent"]),
        coefficient=_estimate_from(d["coefficient"]), level=float(d["level"]),
        samples=None if rows is None else np.array(rows, dtype=np.float64).reshape(-1, 2),
        reach=float(d["reach"]), floor=float(d["floor"]),
    )  # fmt: skip


_BUDGET_ESTIMATES = ("params_opt", "tokens_opt", "tokens_per_param", "loss_opt")


def budget_state(b: BudgetFit) -> dict[str, Any]:
    """Every field of the IsoFLOP budget ``b``, each run's size and loss too."""
    return {
        "flops": b.flops, "runs": list(b.runs), "params": floats(b.params),
        "loss": floats(b.loss), "coefs": floats(b.coefs),
        **{k: _est(getattr(b, k)) for k in _BUDGET_ESTIMATES},
        "status": b.status, "used": b.used,
    }  # fmt: skip


def budget_from(d: Mapping[str, Any]) -> BudgetFit:
    """The IsoFLOP budget :func:`budget_state` wrote."""
    c0, c1, c2 = (float(c) for c in d["coefs"])
    return BudgetFit(
        flops=float(d["flops"]), runs=tuple(str(r) for r in d["runs"]),
        params=tuple(float(v) for v in d["params"]), loss=tuple(float(v) for v in d["loss"]),
        coefs=(c0, c1, c2), **{k: _estimate_from(d[k]) for k in _BUDGET_ESTIMATES},
        status=str(d["status"]), used=bool(d["used"]),
    )  # fmt: skip
