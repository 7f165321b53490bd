"""Closing the loop: predict the top rung's loss from the rungs below it, before it trains.

Which law, and why (said in every prediction):

- ``chinchilla`` (``L = E + A/N^α + B/D^β``, five parameters) when at least six lower rungs
  are finished, with at least three sizes and tokens-per-parameter ratios spanning at least
  a factor of two. Without varied D/N, ``N`` and ``D`` move together and the law cannot tell
  ``A/N^α`` from ``B/D^β``: the fit would be unidentified (an IsoFLOP or multi-budget ladder
  has the variety; a fixed 20-tokens-per-parameter ladder does not).
- ``power-law-plus-constant:flops`` (``L = E + A·C^-α``) with four or more lower rungs: the
  loss-versus-compute frontier of Kaplan et al. 2020 / Hoffmann et al. 2022 with an
  irreducible term; it needs only one direction of variation.
- ``power-law:flops`` (``L = A·C^-α``) with three: the fewest parameters that can
  extrapolate at all. Two rungs would fix both parameters exactly, with no interval and no
  check: a fit needs more runs than parameters, as ``fit`` and ``backtest`` require, so
  fewer than :data:`MIN_LOWER_RUNGS` lower rungs are refused (before any rung trains).

``C`` is each run's exact training FLOPs, as the store records it. The prediction must be an
extrapolation: lower runs within 1% of the top rung's compute are refused
(:func:`~scalinglab.execute._top.check_top`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab.execute._old_names import TopPredictionAliases
from scalinglab.execute._top import MIN_LOWER_RUNGS, check_rungs, check_top
from scalinglab.execute._top_fit import fit_lower, ladder_warnings
from scalinglab.store import StoredRun

__all__ = ["MIN_LOWER_RUNGS", "TopPrediction", "check_rungs", "choose_law", "predict_top"]

_LEVEL = 0.9


@old_fields(interval="interval_note")
@dataclass(frozen=True)
class TopPrediction(TopPredictionAliases):
    """The top rung's loss as predicted from the lower rungs (and, later, as measured).

    Attributes:
        rung: Name of the top rung.
        law: The law fitted (a catalog name, see :func:`choose_law`).
        why: Why that law, in one sentence.
        runs: Names of the rungs fitted.
        params: The top rung's total parameters, as ``runs --json``'s ``params`` (NaN in
            a record written before it was kept).
        tokens: Its training tokens D.
        flops: Its exact training FLOPs C.
        loss: Predicted held-out loss.
        lower: Lower end of the prediction interval (NaN when there is none).
        upper: Upper end of the prediction interval.
        level: Coverage of the interval.
        actual: The measured loss once the rung has trained, else ``None``.
        interval_note: What kind of interval it is, in words (the fit's ``interval_note``: a
            bootstrap over the lower rungs sees their noise only, unless backtests calibrated
            it); ``interval``: deprecated.
        warnings: The fit's reasons not to trust it (too few runs, ...), one line each.
        params_non_embedding: Its non-embedding parameters, as ``runs --json``'s
            ``params_non_embedding``: the N the law predicts at, as the ladder plans its
            rungs and ``fit --store`` reads a ladder's runs; ``None`` where the rungs stored
            no such count, and N is :attr:`params`.
    """

    rung: str
    law: str
    why: str
    runs: tuple[str, ...]
    params: float
    tokens: float
    flops: float
    loss: float
    lower: float
    upper: float
    level: float
    actual: float | None = None
    interval_note: str = ""
    warnings: tuple[str, ...] = ()
    params_non_embedding: float | None = None

    @property
    def has_interval(self) -> bool:
        """Whether the fit could give an interval (enough rungs for a bootstrap)."""
        return math.isfinite(self.lower) and math.isfinite(self.upper)

    @property
    def error(self) -> float | None:
        """``actual - predicted``, once measured."""
        return None if self.actual is None else self.actual - self.loss

    @property
    def relative_error(self) -> float | None:
        """``(actual - predicted) / actual``, once measured."""
        return None if self.actual is None else (self.actual - self.loss) / self.actual

    @property
    def covered(self) -> bool | None:
        """Whether the measured loss fell inside the interval (``None`` if either is missing)."""
        if self.actual is None or not self.has_interval:
            return None
        return self.lower <= self.actual <= self.upper

    def to_dict(self) -> dict[str, object]:
        """Plain data (NaN interval ends as ``None``), recorded in the top run's ``extra``:
        the interval as ``loss_lower`` and ``loss_upper``, with ``lower`` and ``upper`` (the
        same numbers) kept one release.

        Returns:
            The plain dictionary, JSON-serialisable.
        """

        def num(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {
            "rung": self.rung,
            "law": self.law,
            "why": self.why,
            "runs": list(self.runs),
            "params": num(self.params),  # the two counts by the names `runs --json` gives
            "params_non_embedding": self.params_non_embedding,
            "tokens": self.tokens,
            "flops": self.flops,
            "loss": self.loss,
            "loss_lower": num(self.lower),  # an estimate as `plan --json` writes one
            "loss_upper": num(self.upper),
            "lower": num(self.lower),  # the old keys, kept one release
            "upper": num(self.upper),
            "level": self.level,
            "actual": self.actual,
            "error": self.error,
            "relative_error": self.relative_error,
            "covered": self.covered,
            "interval_note": self.interval_note,  # as a fit's JSON names its sentence
            "interval": self.interval_note,  # the old key, kept one release
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> TopPrediction:
        """Inverse of :meth:`to_dict` (derived entries are recomputed, not read); a record
        written before ``loss_lower``, ``loss_upper`` and ``interval_note`` gives its
        ``lower``, ``upper`` and ``interval``.

        Args:
            data: The dictionary :meth:`to_dict` wrote.

        Returns:
            The prediction.
        """

        def num(key: str, old: str | None = None) -> float:
            value = data.get(key, data.get(old) if old else None)  # a record before: old
            return float(value) if isinstance(value, int | float) else math.nan

        actual = data.get("actual")
        # a record written before both counts were kept has one "params": the N predicted
        # at, a ladder rung's non-embedding count
        old_n = "params_non_embedding" not in data
        non_embedding = data.get("params" if old_n else "params_non_embedding")
        runs = data.get("runs")
        warnings = data.get("warnings")
        return cls(
            rung=str(data["rung"]),
            law=str(data["law"]),
            why=str(data.get("why", "")),
            runs=tuple(str(r) for r in runs) if isinstance(runs, list) else (),
            params=math.nan if old_n else num("params"),
            params_non_embedding=float(non_embedding)
            if isinstance(non_embedding, int | float)
            else None,
            tokens=num("tokens"),
            flops=num("flops"),
            loss=num("loss"),
            lower=num("loss_lower", "lower"),
            upper=num("loss_upper", "upper"),
            level=num("level"),
            actual=float(actual) if isinstance(actual, int | float) else None,
            interval_note=str(data.get("interval_note", data.get("interval", ""))),
            warnings=tuple(str(w) for w in warnings) if isinstance(warnings, list) else (),
        )


def choose_law(runs: Sequence[StoredRun]) -> tuple[str, str]:
    """The law to fit to ``runs`` for a prediction, and why (see the module docstring).

    Args:
        runs: The finished rungs below the one predicted.

    Returns:
        ``(law, why)``: the law's name and the reason in words.

    Raises:
        ConfigError: With fewer than :data:`MIN_LOWER_RUNGS` runs.
    """
    n = len(runs)
    check_rungs(n)
    params = np.array([_n(r) or np.nan for r in runs], dtype=np.float64)
    tokens = np.array([r.tokens or np.nan for r in runs], dtype=np.float64)
    ratio = tokens / params
    spread = float(np.nanmax(ratio) / np.nanmin(ratio))
    sizes = len(set(params.tolist()))
    if n >= 6 and sizes >= 3 and spread >= 2:
        return "chinchilla", (
            f"{n} rungs with {sizes} sizes and tokens per parameter spanning ×{spread:.1f}: "
            "N and D vary independently, so both terms of L = E + A/N^α + B/D^β are identified"
        )
    if n >= 4:
        return "power-law-plus-constant:flops", (
            f"{n} rungs but tokens per parameter span only ×{spread:.1f} (N and D move together"
            f"{'' if n >= 6 else ', and fewer than 6 rungs for 5 parameters'}): fitting loss "
            "against compute, L = E + A·C^-α"
        )
    return "power-law:flops", f"only {n} rungs: the two-parameter L = A·C^-α"


def _n(run: StoredRun) -> float | None:
    """A rung's N as the ladder counts it: non-embedding, else all parameters."""
    return run.params_non_embedding if run.params_non_embedding is not None else run.params


def predict_top(
    lower: Sequence[StoredRun],
    top: StoredRun,
    *,
    seed: int = 0,
    store: str | os.PathLike[str] | None = None,
) -> TopPrediction:
    """Fit the law :func:`choose_law` picks to the ``lower`` runs and predict ``top``.

    Args:
        lower: Finished runs of the lower rungs (each with params, tokens, flops and loss).
        top: The top rung as stored before it trains (its counts are known from its config).
        seed: Seed of the bootstrap.
        store: The ladder's run store, for the command a fit stopped short is told to run.

    Returns:
        The prediction with a 90% bootstrap prediction interval where one can be had.

    Raises:
        ConfigError: Under :data:`MIN_LOWER_RUNGS` lower runs, a lower run within 1% of the
            top rung's FLOPs (no extrapolation), or a top rung without counts.
    """
    from scalinglab.data import read_runs

    law, why = choose_law(lower)
    frame = pd.DataFrame(
        {
            "run": [r.name for r in lower],
            "params": [_n(r) for r in lower],
            "tokens": [r.tokens for r in lower],
            "flops": [r.flops for r in lower],
            "loss": [r.loss for r in lower],
        }
    )
    n_top = _n(top)
    if n_top is None or top.tokens is None or top.flops is None:
        raise ConfigError(f"rung {top.name!r} has no parameter, token or FLOP counts to predict at")
    check_top(top.name, top.flops, [(r.name, r.flops or 0.0) for r in lower])
    result = fit_lower(law, read_runs(frame, run_column="run"), level=_LEVEL, seed=seed)
    # the rung's exact FLOPs to a law of C; a law of N and D reads N and D alone (predict
    # refuses FLOPs that are not their 6·N·D, and exact counts are not)
    if "C" in result.columns:
        pred = result.predict(flops=top.flops)
    else:
        pred = result.predict(params=n_top, tokens=top.tokens)
    loss, low, high = (
        float(np.asarray(v).reshape(-1)[0]) for v in (pred.loss, pred.lower, pred.upper)
    )
    kind = result.interval_note
    if kind.startswith("bootstrap"):  # say what such an interval leaves out
        kind += (
            f"; a bootstrap over {len(lower)} rungs covers their noise only, not the "
            "law's error in extrapolating to the top rung"
        )
    return TopPrediction(
        rung=top.name,
        law=law,
        why=why,
        runs=tuple(r.name for r in lower),
        params=math.nan if top.params is None else top.params,
        params_non_embedding=top.params_non_embedding,
        tokens=top.tokens,
        flops=top.flops,
        loss=loss,
        lower=low,
        upper=high,
        level=pred.level,
        interval_note=kind,
        warnings=ladder_warnings(result, law, top, store=store),
    )
