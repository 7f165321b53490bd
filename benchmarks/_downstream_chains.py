"""The predictions section 3 scores: the chains fitted per training corpus, a direct sigmoid
against compute, and Gadre et al.'s method on all the tasks.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from _downstream_split import LEVEL
from scalinglab.downstream import AVERAGE, DownstreamFit, Evals, Sigmoid, fit_downstream
from scalinglab.downstream._average import average_accuracy
from scalinglab.downstream._refit import fit_step, resample_weights
from scalinglab.downstream._task import fit_scores


def direct(
    evals: Evals, task: str, train: np.ndarray, test: np.ndarray, boot: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sigmoid of accuracy against u = 25 - log10 C, fitted directly."""
    u = 25.0 - np.log10(evals.runs["flops"])
    acc = evals.accuracy(task)
    law = Sigmoid(column="u", chance=evals.chance[task])
    step = fit_step(
        law,
        {"L": u[train]},
        acc[train],
        space="linear",
        delta=0.02,
        weights=resample_weights(int(train.sum()), boot, 0),
    )
    return step.interval({"L": u[test]}, level=LEVEL)


Prediction = tuple[np.ndarray, np.ndarray, np.ndarray]


def corpus_chains(
    evals: Evals,
    train: np.ndarray,
    test: np.ndarray,
    chosen: list[str],
    boot: int,
    *,
    bootstrap_only: bool = False,
    **options: object,
) -> tuple[dict[str, Prediction], dict[str, list[str]]]:
    """A chain per training corpus; its predictions of the held-out models (in their order:
    every chosen task, then "average" (the chain's own average target, NaN where it has none)
    and "average members" (the true mean over its members, as the prediction's first array))
    and, per corpus, the chosen tasks the tool itself calls predictable."""
    keys = [*chosen, AVERAGE]
    # the average by its own law, as RESULTS.md records it (the library's default since is
    # the mean of the tasks' predictions)
    options.setdefault("average_law", "exp-error")
    per: dict[str, list[Prediction]] = {t: [] for t in [*keys, "truth"]}
    order: list[int] = []
    verdicts: dict[str, list[str]] = {}
    labels = np.array(evals.runs.labels["dataset"])
    for corpus in sorted(set(labels)):
        inside = labels == corpus
        sub = fit_downstream(
            evals.select(train & inside),
            tasks=chosen,
            bootstrap=boot,
            **options,  # type: ignore[arg-type]
        )
        if bootstrap_only:  # the first round's intervals: bootstrap and noise only
            sub = replace(sub, extrapolation=None, average=None)
        verdicts[corpus] = [t for t in chosen if sub.tasks[t].predictable]
        got = _chain_predictions(sub, evals, test & inside, keys)
        members = list(sub.average.members) if sub.average is not None else []
        if sub.average is not None and options.get("max_backtest_error", 0) is not None:
            print(
                f"   {corpus}: average of {len(members)} tasks, backtest on the fitted sizes "
                f"{100 * sub.average.backtest_error:.2f} points"
                + (f" ({sub.average.reason})" if sub.average.reason else "")
            )
        for t in chosen:
            if sub.tasks[t].note:
                print(f"   {corpus}: {t}: {sub.tasks[t].note}")
        rows = test & inside
        truth = (
            average_accuracy(evals.select(rows), members)
            if members
            else np.full(rows.sum(), np.nan)
        )
        for t in keys:
            per[t].append(got[t])
        per["truth"].append((truth, truth, truth))
        order += list(np.flatnonzero(rows))
    back = np.argsort(np.argsort(order))  # rows back in the order of the held-out models
    out = {t: tuple(np.concatenate([g[i] for g in per[t]])[back] for i in range(3)) for t in per}
    return out, verdicts  # type: ignore[return-value]


def gadre_all(
    evals: Evals, train: np.ndarray, test: np.ndarray, chosen: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Gadre et al.'s method as published, on all the chosen tasks (no screening): per corpus
    the over-training loss law, then Err = eps - k*exp(-gamma*L) of the average accuracy over
    the chosen tasks; point predictions and the true averages of the held-out models."""
    labels = np.array(evals.runs.labels["dataset"])
    pred = np.full(len(labels), np.nan)
    for corpus in sorted(set(labels)):
        inside = labels == corpus
        part = evals.select(train & inside)
        chain = fit_downstream(
            part, tasks=chosen[:1], law="overtraining", bootstrap=0, max_backtest_error=None
        )
        fitted = fit_scores(
            "average", average_accuracy(part, chosen), np.nan, part.runs["loss"],
            "exp-error", None, 0.02,
        )  # fmt: skip
        assert fitted.step is not None
        for i in np.flatnonzero(test & inside):
            p = chain.predict(
                params=float(evals.runs["params"][i]), tokens=float(evals.runs["tokens"][i])
            )
            loss = np.array([p[chosen[0]].loss])
            pred[i] = 1.0 - fitted.step.evaluate(fitted.step.theta, {"L": loss})[0]
    return pred[test], average_accuracy(evals, chosen)[test]


def _chain_predictions(
    chain: DownstreamFit, evals: Evals, rows: np.ndarray, names: list[str]
) -> dict[str, Prediction]:
    out = {t: ([], [], []) for t in names}  # type: dict[str, tuple[list[float], list[float], list[float]]]
    for i in np.flatnonzero(rows):
        preds = chain.predict(
            params=float(evals.runs["params"][i]), tokens=float(evals.runs["tokens"][i])
        )
        for t in names:
            got = preds.get(t)
            values = (np.nan,) * 3 if got is None else (got.accuracy, got.lower, got.upper)
            for k, v in enumerate(values):
                out[t][k].append(v)
    return {t: tuple(np.array(v) for v in out[t]) for t in names}  # type: ignore[misc]
