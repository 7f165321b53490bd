"""Evaluation noise: how far one model's accuracy on a task moves with its number of examples.

A task of ``n`` examples, each right or wrong, measures a model of accuracy ``p`` with a
binomial standard deviation ``sqrt(p·(1 − p) / n)``: copa's 100 questions give ±4.8 points at
65%, hellaswag's 10,042 ±0.5. A backtest cannot show a law within a tolerance smaller than
that noise: even an exact law misses each held-out model by the noise of its evaluation. The
backtest on the fitted sizes (:mod:`~scalinglab.downstream._screen`) therefore compares a
task's miss with what a law off by the tolerance would show through that noise
(:func:`noisy_threshold`), and says so; every task's error is still reported.

The number of examples comes from the evaluations (a ``#datapoints`` or ``examples`` column
of the chance file, lm-evaluation-harness ``n-samples``, or those stored with the scores by
``scalinglab ingest`` as the metric :data:`EXAMPLES`), else from :data:`KNOWN_EXAMPLES`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtr  # norm.cdf's own kernel; scipy.stats loads in 0.8 s

from scalinglab.store._evals import EXAMPLES  # the store's name for it, re-exported

__all__ = [
    "EXAMPLES", "KNOWN_EXAMPLES", "eval_noise", "file_examples", "lm_eval_examples",
    "noisy_threshold", "read_examples",
]  # fmt: skip

#: Examples in the evaluation split of common tasks (the split lm-evaluation-harness and LLM
#: Foundry score): hellaswag validation (Zellers et al. 2019), piqa validation (Bisk et al.
#: 2020), ARC test (Clark et al. 2018), COPA validation (Roemmele et al. 2011, SuperGLUE),
#: WSC273 (Levesque et al. 2012), WinoGrande validation (Sakaguchi et al. 2020), BoolQ
#: validation (Clark et al. 2019), LAMBADA test (Paperno et al. 2016), OpenBookQA test
#: (Mihaylov et al. 2018), MMLU test (Hendrycks et al. 2021), Social IQa validation (Sap et
#: al. 2019), CommonsenseQA validation (Talmor et al. 2019), GSM8K test (Cobbe et al. 2021).
KNOWN_EXAMPLES: Mapping[str, int] = {
    "hellaswag": 10042, "hellaswag_zeroshot": 10042, "piqa": 1838, "arc_easy": 2376,
    "arc_challenge": 1172, "copa": 100, "winograd": 273, "winogrande": 1267, "boolq": 3270,
    "lambada_openai": 5153, "openbookqa": 500, "openbook_qa": 500, "mmlu": 14042,
    "mmlu_zeroshot": 14042, "siqa": 1954, "social_iqa": 1954, "commonsense_qa": 1221,
    "gsm8k": 1319,
}  # fmt: skip

_COLUMNS = ("examples", "#datapoints", "n")


def eval_noise(accuracy: np.ndarray | float, examples: float) -> float:
    """Binomial standard deviation of one model's accuracy over ``examples`` questions.

    Args:
        accuracy: One model's accuracy, or several models'.
        examples: Questions in the task (NaN: unknown).

    Returns:
        The root mean square over the models given of ``sqrt(p (1 - p) / examples)``; NaN
        when ``examples`` is unknown or no accuracy is finite.
    """
    p = np.clip(np.asarray(accuracy, dtype=np.float64).ravel(), 0.0, 1.0)
    p = p[np.isfinite(p)]
    if not (math.isfinite(examples) and examples > 0) or not len(p):
        return math.nan
    return float(np.sqrt(np.mean(p * (1.0 - p)) / examples))


def noisy_threshold(tolerance: float, noise: float) -> float:
    """The mean absolute miss of a law off by ``tolerance``, seen through evaluation noise of
    standard deviation ``noise``: ``E|N(tolerance, noise²)|`` (the folded normal's mean);
    ``tolerance`` itself without noise."""
    if not (math.isfinite(noise) and noise > 0):
        return tolerance
    r = tolerance / noise
    folded = noise * math.sqrt(2 / math.pi) * math.exp(-0.5 * r * r)
    return float(folded + tolerance * (1.0 - 2.0 * ndtr(-r)))


def read_examples(path: str | os.PathLike[str]) -> dict[str, float]:
    """Task sizes from a chance file's ``examples`` (or ``#datapoints``) column, by its
    ``task`` (or ``Eval Task``) column; empty when it has none."""
    try:
        frame = pd.read_csv(path)
    except (ValueError, OSError, pd.errors.ParserError):
        return {}
    task = next((c for c in ("task", "Eval Task") if c in frame.columns), None)
    size = next((c for c in _COLUMNS if c in frame.columns), None)
    if task is None or size is None:
        return {}
    values = pd.to_numeric(frame[size], errors="coerce").to_numpy(dtype=float)
    return {str(t): float(v) for t, v in zip(frame[task], values, strict=True) if v > 0}


def lm_eval_examples(files: list[Path]) -> dict[str, float]:
    """Task sizes from lm-evaluation-harness results files (``n-samples``: ``effective``, else
    ``original``); the smallest where files disagree (a ``--limit`` run)."""
    out: dict[str, float] = {}
    for file in files:
        try:
            data = json.loads(
                file.read_text(encoding="utf-8")
            )  # JSON is UTF-8, whatever the locale
        except (OSError, ValueError):
            continue
        for task, n in file_examples(data).items():
            out[task] = min(n, out.get(task, math.inf))
    return out


def file_examples(data: object) -> dict[str, float]:
    """Task sizes of one parsed results file (its ``n-samples``); empty without them."""
    counts = data.get("n-samples", {}) if isinstance(data, dict) else {}
    out: dict[str, float] = {}
    for task, n in counts.items() if isinstance(counts, dict) else ():
        value = n.get("effective", n.get("original")) if isinstance(n, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            out[str(task)] = float(value)
    return out
