"""The files :meth:`Savable.save` writes, a format for each kind of validation result, and
how each result is rebuilt from one (:func:`load`). A file holds every field of the result:
its split's runs whole, a backtest's fit as :meth:`FitResult.to_dict` writes it, a power
law's bootstrap lines; the parts are :mod:`._saved_parts`'."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from scalinglab._json import dumps, json_number, plain
from scalinglab._result_names import write_result
from scalinglab._saved import load_saved, saved_file
from scalinglab.fit import FitResult
from scalinglab.validate._backtest import Backtest
from scalinglab.validate._compare import Comparison, LawScore
from scalinglab.validate._compare_kept import NOT_RUN, kept_rolling, written_before
from scalinglab.validate._envelope_result import EnvelopeResult
from scalinglab.validate._isoflop_result import IsoFLOPResult
from scalinglab.validate._rolling import Rolling, RollingStep
from scalinglab.validate._saved_parts import (
    budget_from,
    budget_state,
    floats,
    law_from,
    law_state,
    run_from,
    run_state,
    split_from,
    split_state,
    summary_from,
    summary_state,
)
from scalinglab.validate._split import Split

__all__ = ["FORMATS", "load", "save", "saved_data"]

_R = TypeVar("_R")
_STRS = tuple[str, ...]


def _strs(items: Any) -> _STRS:
    return tuple(str(s) for s in items)


def _backtest_state(b: Backtest, *, shared: Split | None = None) -> dict[str, Any]:
    """``b``'s fields; its split ``None`` where it is ``shared`` (a comparison's)."""
    return {
        "law": b.law, "method": b.method,
        "split": None if b.split is shared else split_state(b.split),
        "runs": [run_state(r) for r in b.runs], "summary": summary_state(b.summary),
        "fit": None if b.fit is None else b.fit.to_dict(), "notes": list(b.notes),
        "warnings": list(b.warnings), "unidentified": b.unidentified,
    }  # fmt: skip


def _backtest_from(d: Mapping[str, Any], *, shared: Split | None = None) -> Backtest:
    split = shared if d["split"] is None and shared is not None else split_from(d["split"])
    fit = None if d["fit"] is None else FitResult.from_dict(d["fit"], source="its fit")
    return Backtest(
        law=str(d["law"]), method=str(d["method"]), split=split,
        runs=tuple(run_from(r) for r in d["runs"]), summary=summary_from(d["summary"]),
        fit=fit, notes=_strs(d["notes"]), warnings=_strs(d["warnings"]),
        unidentified=None if d["unidentified"] is None else str(d["unidentified"]),
    )  # fmt: skip


def _comparison_state(c: Comparison) -> dict[str, Any]:
    rows = [
        {"law": s.law, "backtest": _backtest_state(s.backtest, shared=c.split),
         "n_coefs": s.n_coefs, "aic": json_number(s.aic), "bic": json_number(s.bic),
         "at_bound": list(s.at_bound), "ok": s.ok,
         "exponent_spread": {k: json_number(v) for k, v in s.exponent_spread.items()}}
        for s in c.laws
    ]  # fmt: skip
    winner = next((i for i, s in enumerate(c.laws) if s is c.winner), None)
    # the baselines and rolling steps backtest --out keeps (added to backtest/1: a file
    # without them still loads, and its rolling says it predates them)
    kept = kept_rolling(c)
    rolling = None if isinstance(kept, str) else _rolling_state(kept, shared=c.split)
    return {"split": split_state(c.split), "laws": rows, "winner": winner, "rule": c.rule,
            "reason": c.reason, "notes": list(c.notes),
            "baselines": [_backtest_state(b, shared=c.split) for b in c.baselines],
            "rolling": rolling, "why_no_rolling": kept if isinstance(kept, str) else None}  # fmt: skip


def _comparison_from(d: Mapping[str, Any], *, source: str = "the file") -> Comparison:
    split = split_from(d["split"])
    laws = tuple(
        LawScore(law=str(s["law"]), backtest=_backtest_from(s["backtest"], shared=split),
                 n_coefs=int(s["n_coefs"]), aic=float(s["aic"]), bic=float(s["bic"]),
                 at_bound=_strs(s["at_bound"]), ok=bool(s["ok"]),
                 exponent_spread={str(k): float(v) for k, v in s["exponent_spread"].items()})
        for s in d["laws"]
    )  # fmt: skip
    winner = None if d["winner"] is None else laws[int(d["winner"])]
    cmp = Comparison(split, laws, winner, str(d["rule"]), str(d["reason"]), _strs(d["notes"]))
    if "rolling" not in d:  # written before backtest/1 kept them: neither is known
        return replace(cmp, _baselines=None, _rolling=written_before(source))
    rolling = None if d["rolling"] is None else _rolling_from(d["rolling"], shared=split)
    baselines = [_backtest_from(b, shared=split) for b in d.get("baselines") or ()]
    return cmp.with_rolling(rolling, baselines=baselines, why=str(d["why_no_rolling"] or NOT_RUN))


def _rolling_state(r: Rolling, *, shared: Split | None = None) -> dict[str, Any]:
    """``r``'s fields; its split ``None`` where it holds ``shared``'s runs (a comparison's)."""
    steps = [
        {"scales": s.scales, "n_fitted": s.n_fitted, "largest": json_number(s.largest),
         "summary": summary_state(s.summary), "unidentified": s.unidentified}
        for s in r.steps
    ]  # fmt: skip
    split = split_state(r.split)
    same = shared is not None and (r.split is shared or split == split_state(shared))
    return {"law": r.law, "split": None if same else split, "steps": steps,
            "notes": list(r.notes), "warnings": list(r.warnings),
            "n_bootstrap": r.n_bootstrap, "seed": r.seed}  # fmt: skip


def _rolling_from(d: Mapping[str, Any], *, shared: Split | None = None) -> Rolling:
    steps = tuple(
        RollingStep(int(s["scales"]), int(s["n_fitted"]), float(s["largest"]),
                    summary_from(s["summary"]),
                    unidentified=None if s["unidentified"] is None else str(s["unidentified"]))
        for s in d["steps"]
    )  # fmt: skip
    n, seed = d["n_bootstrap"], d["seed"]
    split = shared if d["split"] is None and shared is not None else split_from(d["split"])
    return Rolling(str(d["law"]), split, steps, _strs(d["notes"]),
                   _strs(d["warnings"]), None if n is None else int(n),
                   None if seed is None else int(seed))  # fmt: skip


def _common_state(r: IsoFLOPResult | EnvelopeResult) -> dict[str, Any]:
    """The fields an IsoFLOP and an envelope result share."""
    return {
        "params_law": law_state(r.params_law), "tokens_law": law_state(r.tokens_law),
        "level": r.level, "n_bootstrap": r.n_bootstrap, "source": r.source,
        "simulated": r.simulated, "notes": list(r.notes), "flops_rule": r.flops_rule,
        "warnings": list(r.warnings),
    }  # fmt: skip


def _common_from(d: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "params_law": law_from(d["params_law"]), "tokens_law": law_from(d["tokens_law"]),
        "level": float(d["level"]), "n_bootstrap": int(d["n_bootstrap"]),
        "source": str(d["source"]), "simulated": bool(d["simulated"]),
        "notes": _strs(d["notes"]), "flops_rule": str(d["flops_rule"]),
        "warnings": _strs(d["warnings"]),
    }  # fmt: skip


def _isoflop_state(r: IsoFLOPResult) -> dict[str, Any]:
    return {**_common_state(r), "budgets": [budget_state(b) for b in r.budgets],
            "space": r.space, "seed": r.seed, "window": r.window}  # fmt: skip


def _isoflop_from(d: Mapping[str, Any]) -> IsoFLOPResult:
    seed, window = d["seed"], d["window"]
    return IsoFLOPResult(budgets=tuple(budget_from(b) for b in d["budgets"]),
                         space=str(d["space"]), seed=None if seed is None else int(seed),
                         window=None if window is None else float(window),
                         **_common_from(d))  # fmt: skip


def _envelope_state(r: EnvelopeResult) -> dict[str, Any]:
    return {**_common_state(r), "flops": floats(r.flops), "loss": floats(r.loss),
            "params": floats(r.params), "runs": list(r.runs), "used": list(r.used),
            "status": list(r.status), "n_runs": r.n_runs}  # fmt: skip


def _envelope_from(d: Mapping[str, Any]) -> EnvelopeResult:
    return EnvelopeResult(
        flops=tuple(float(v) for v in d["flops"]), loss=tuple(float(v) for v in d["loss"]),
        params=tuple(float(v) for v in d["params"]), runs=_strs(d["runs"]),
        used=tuple(bool(u) for u in d["used"]), status=_strs(d["status"]),
        n_runs=int(d["n_runs"]), **_common_from(d),
    )  # fmt: skip


@dataclass(frozen=True)
class _Kind:
    """A saved kind: its format, its words, and how it is written and read; for a result a
    command writes, the command (its file's summary first, the state under ``"saved"``)."""

    format: str
    what: str
    python: str  # how to make one from runs ({}: the file), for a run table given to load
    state: Callable[[Any], dict[str, Any]]
    build: Callable[[Mapping[str, Any]], Any]
    command: str | None = None


_KINDS: dict[type, _Kind] = {
    # one law's: "single-law", as the command's file (a Comparison) is "a backtest"
    Backtest: _Kind("scalinglab.law_backtest/1", "single-law backtest", "backtest('{}')",
                    _backtest_state, _backtest_from),
    Comparison: _Kind("scalinglab.backtest/1", "law comparison", "compare('{}', laws=[...])",
                      _comparison_state, _comparison_from, "scalinglab backtest RUNS"),
    Rolling: _Kind("scalinglab.rolling/1", "rolling-origin backtest", "rolling_backtest('{}')",
                   _rolling_state, _rolling_from),
    IsoFLOPResult: _Kind("scalinglab.isoflop/2", "IsoFLOP result", "isoflop('{}')",
                         _isoflop_state, _isoflop_from, "scalinglab isoflop RUNS"),
    EnvelopeResult: _Kind("scalinglab.envelope/2", "envelope result", "envelope('{}')",
                          _envelope_state, _envelope_from, "scalinglab envelope CURVES"),
}  # fmt: skip
#: Each class whose results :func:`save` writes -> the format of its files.
FORMATS = {cls.__name__: kind.format for cls, kind in _KINDS.items()}


def _kind(cls: type) -> tuple[type, _Kind]:
    """The saved kind of ``cls`` (a subclass reads and writes as its base)."""
    return next((base, k) for base, k in _KINDS.items() if issubclass(cls, base))


def saved_data(result: Any, **extra: Any) -> dict[str, Any]:
    """What :func:`save` writes of ``result``, as a JSON-ready object; ``extra`` keys (what
    a command adds to the summary: a backtest's baselines, isoFLOP's ``"at"``) after the
    summary's, before the whole result.

    Args:
        result: A result of a class :func:`save` writes.
        **extra: Keys added at the top level (one of the summary's is replaced in place).

    Returns:
        The file's object, ``"format"`` its first key.
    """
    _, kind = _kind(type(result))
    summary = None if kind.command is None else {**result.to_dict(), **extra}
    data: dict[str, Any] = plain(saved_file(kind.format, kind.state(result), summary=summary))
    return data


def save(result: object, path: str | os.PathLike[str]) -> None:
    """Write ``result`` to ``path`` in its kind's format."""
    what = f"the {_kind(type(result))[1].what}"
    write_result(path, dumps(saved_data(result)) + "\n", what=what)


def load(cls: type[_R], path: str | os.PathLike[str]) -> _R:
    """The ``cls`` result :func:`save` wrote to ``path``."""
    base, kind = _kind(cls)
    build = kind.build
    if base is Comparison:  # a file written before it kept the rolling steps says so, named
        build = functools.partial(_comparison_from, source=os.fspath(path))
    return load_saved(path, kind.format, build, what=kind.what,  # type: ignore[no-any-return]
                      saver=f"{base.__name__}.save", python=f"scalinglab.{kind.python}",
                      command=kind.command)  # fmt: skip
