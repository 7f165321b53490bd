"""downstream_accuracy's section 3: task accuracy of the 411.6M models, and the average's."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd

from _downstream_chains import Prediction, corpus_chains, direct, gadre_all
from _downstream_rounds import choice_at_1e3, first_link, unchanged
from _downstream_split import CUT, cover
from scalinglab._errors import ScalingLabError
from scalinglab.downstream import AVERAGE, Evals, backtest_downstream, eval_noise
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._noise import noisy_threshold
from scalinglab.downstream._refit import scale_inputs
from scalinglab.validate._score import covered


def tasks(evals: Evals, frame: pd.DataFrame, boot: int) -> None:
    print("\n3. Task accuracy of the 411.6M models (tasks >= 5 points above chance there)")
    train = evals.runs["params"] < CUT
    test = ~train
    chosen = [t for t in evals.tasks if np.mean(evals.accuracy(t)[test]) - evals.chance[t] >= 0.05]
    print(f"   {len(chosen)} tasks: {', '.join(chosen)}")
    for t in chosen:
        n = evals.examples.get(t, np.nan)
        sd = eval_noise(evals.accuracy(t)[test], n)
        print(f"   {t}: {n:.0f} examples, evaluation noise at 411.6M ±{100 * sd:.1f} points")
    blind = replace(evals, examples={})  # the first round: no evaluation noise known
    methods: dict[str, dict[str, Prediction]] = {}
    cpu0 = time.process_time()
    with first_link(1e-3):
        methods["round 1"], _ = corpus_chains(
            blind, train, test, chosen, boot, law="overtraining", max_backtest_error=None,
            bootstrap_only=True,
        )  # fmt: skip
        print("   round 3, law auto (loss law at Huber delta 1e-3):")
        methods["round 3, auto"], verdicts3 = corpus_chains(evals, train, test, chosen, boot)
    with choice_at_1e3():
        print("   round 4, law auto (loss law at the data's Huber scale, chosen at 1e-3):")
        methods["round 4, auto"], verdicts4 = corpus_chains(evals, train, test, chosen, boot)
    print("   round 5, law auto (default: each law chosen and fitted at its Huber scale):")
    methods["round 5, auto (default)"], verdicts = corpus_chains(evals, train, test, chosen, boot)
    with first_link(1e-3):
        print("   round 3, overtraining:")
        methods["round 3, overtraining"], _ = corpus_chains(
            evals, train, test, chosen, boot, law="overtraining"
        )
    print("   rounds 4-5, overtraining:")
    methods["rounds 4-5, overtraining"], verdicts_ot = corpus_chains(
        evals, train, test, chosen, boot, law="overtraining"
    )
    print(f"   six chains per corpus: {time.process_time() - cpu0:.1f} CPU s")
    methods["direct (compute)"] = {t: direct(evals, t, train, test, boot) for t in chosen}
    for label, table in (("auto, round 3", verdicts3), ("auto, round 4", verdicts4),
                         ("auto, round 5", verdicts), ("overtraining, rounds 4-5", verdicts_ot)):  # fmt: skip
        for corpus, names in table.items():
            print(
                f"   predictable, {label} ({corpus}): {len(names)}/{len(chosen)}: {', '.join(names)}"
            )
    actual = {t: evals.accuracy(t)[test] for t in chosen}
    print(f"   {'task':24s}" + "".join(f"{m:>27s}" for m in methods))
    print(f"   {'':24s}" + "".join(f"{'abs pts  rel  cover':>27s}" for _ in methods))
    for t in chosen:
        cells = []
        for m in methods.values():
            p, lo, hi = m[t]
            if np.all(np.isnan(p)):
                cells.append(f"{'not predictable':>27s}")
                continue
            a, ok = actual[t], np.isfinite(p)
            cells.append(
                f"{100 * np.mean(np.abs(p - a)[ok]):>14.2f} {100 * np.mean((np.abs(p - a) / a)[ok]):5.1f}%"
                f" {cover(covered(lo, hi, a)[ok]):>5s}" + ("*" if not ok.all() else " ")
            )
        print(f"   {t[:24]:24s}" + "".join(cells))
    print("   (* predicted in some corpora only: scored on the models it was predicted for)")
    summary = []
    for name, m in methods.items():
        # every (task, held-out model) the method predicted counts; the average accuracy of
        # a model is over the tasks predicted for it
        pred = np.array([m[t][0] for t in chosen])
        lo = np.array([m[t][1] for t in chosen])
        hi = np.array([m[t][2] for t in chosen])
        true = np.array([actual[t] for t in chosen])
        ok = np.isfinite(pred)
        n_tasks = int(np.sum(ok.any(axis=1)))
        errs = [
            100 * np.mean(np.abs(pred[i] - true[i])[ok[i]])
            for i in range(len(chosen))
            if ok[i].any()
        ]
        # 3 points as the held-out models' evaluation noise lets them be seen (scoring only)
        limits = [
            100 * noisy_threshold(0.03, eval_noise(true[i][ok[i]], evals.examples[t]))
            for i, t in enumerate(chosen)
            if ok[i].any()
        ]
        seen = sum(e <= lim for e, lim in zip(errs, limits, strict=True))
        coverage = cover(covered(lo, hi, true)[ok])
        some = ok.any(axis=0)
        avg_pred = np.nanmean(np.where(ok, pred, np.nan)[:, some], axis=0)
        avg_true = np.nanmean(np.where(ok, true, np.nan)[:, some], axis=0)
        avg_err = 100 * np.mean(np.abs(avg_pred - avg_true))
        own = "—"
        if AVERAGE in m and np.isfinite(m[AVERAGE][0]).any():
            p, a_lo, a_hi = m[AVERAGE]
            truth = m["truth"][0]
            fine = np.isfinite(p)
            own = (
                f"{100 * np.mean(np.abs(p - truth)[fine]):.2f}p "
                f"({cover(covered(a_lo, a_hi, truth)[fine])} cov, {fine.sum()} models)"
            )
        summary.append(
            (
                name,
                n_tasks,
                avg_err,
                own,
                np.mean(errs),
                max(errs),
                sum(e <= 3 for e in errs),
                seen,
                coverage,
            )
        )
    print(
        f"\n   {'method':26s} {'tasks':>5s} {'avg-acc err, mean of tasks':>26s} "
        f"{'avg-acc err, own law':>30s} {'mean task err':>13s} "
        f"{'worst':>6s} {'<=3 pts':>7s} {'<=3 through noise':>17s} {'coverage':>8s}"
    )
    for name, n, avg, own, mean, worst, within, seen, coverage in summary:
        print(
            f"   {name:26s} {n:5d} {avg:25.2f}p {own:>30s} {mean:12.2f}p {worst:5.2f}p "
            f"{within:4d}/{n:<2d} {seen:14d}/{n:<2d} {coverage:>8s}"
        )
    g_pred, g_true = gadre_all(evals, train, test, chosen)
    r1 = methods["round 1"]
    r1_pred = np.array([r1[t][0] for t in chosen])
    r1_true = np.where(np.isfinite(r1_pred), np.array([actual[t] for t in chosen]), np.nan)
    r1_err = np.mean(np.abs(np.nanmean(r1_pred, axis=0) - np.nanmean(r1_true, axis=0)))
    print(
        f"   all {len(chosen)} tasks, no screening (over-training law): average by its own law "
        f"(Gadre et al.) {100 * np.mean(np.abs(g_pred - g_true)):.2f} points; round 1's mean "
        f"of the task predictions {100 * r1_err:.2f} points (over the tasks it predicted for "
        f"each model: {int(np.isnan(r1_pred).any(axis=1).sum())} refused in some corpus)"
    )
    named_average(evals, train, test, chosen, boot)
    chosen_laws(evals, train, test)
    fitted_sizes(evals, train, {"auto": verdicts, "overtraining": verdicts_ot})


def chosen_laws(evals: Evals, train: np.ndarray, test: np.ndarray) -> None:
    """C4 loss error at 411.6M of the loss law law auto chooses per corpus, at 1e-3 (round
    4) and at each law's chain delta (round 5), fitted at its chain delta (point fits)."""
    labels = np.array(evals.runs.labels["dataset"])
    for label, ways in (("round 4 (chosen at 1e-3)", choice_at_1e3), ("round 5", unchanged)):
        cells, errs = [], []
        with ways():
            for corpus in sorted(set(labels)):
                fit_rows = evals.select(train & (labels == corpus)).runs
                law, delta, _ = link.loss_law(fit_rows, "auto", seed=0)
                data = scale_inputs(law, fit_rows["params"], fit_rows["tokens"])
                step, _ = link.fit_loss(law, data, fit_rows["loss"], None, delta=delta)
                held = evals.select(test & (labels == corpus)).runs
                new = scale_inputs(law, held["params"], held["tokens"])
                e = np.abs(step.evaluate(step.theta, new) / held["loss"] - 1)
                errs += list(e)
                cells.append(f"{corpus} {law.name} {100 * e.mean():.2f}%")
        print(
            f"   C4 loss at 411.6M, law auto, {label}: {', '.join(cells)}; mean "
            f"{100 * np.mean(errs):.2f}%"
        )


def named_average(
    evals: Evals, train: np.ndarray, test: np.ndarray, chosen: list[str], boot: int
) -> None:
    """The issue's average (over the tasks the 411.6M models do >= 5 points above chance),
    predicted by each corpus's chain as its own target over that set (``average_of``), and
    the same over the set chosen on the fitted models alone (>= 5 points above chance at
    153.7M), each scored against its own set's mean at 411.6M."""
    fitted = evals.select(train)
    top = fitted.runs["params"] > 1.5e8
    early = [
        t for t in fitted.tasks if np.nanmean(fitted.accuracy(t)[top]) - fitted.chance[t] >= 0.05
    ]
    print("   the average over a set named in advance, by its own law (average_of):")
    for label, members, law, ways in (
        (f"the issue's {len(chosen)} tasks, law auto (round 5)", chosen, "auto", unchanged),
        (f"the issue's {len(chosen)} tasks, law auto chosen at 1e-3 (round 4)", chosen, "auto",
         choice_at_1e3),
        (f"the issue's {len(chosen)} tasks, over-training law", chosen, "overtraining",
         unchanged),
        (f"{len(early)} tasks >= 5 points above chance at 153.7M, law auto", early, "auto",
         unchanged),
    ):  # fmt: skip
        with ways():
            got, _ = corpus_chains(evals, train, test, members, boot, law=law, average_of=members)
        p, lo, hi = got[AVERAGE]
        truth = got["truth"][0]
        ok = np.isfinite(p)
        print(
            f"   {label}: error {100 * np.mean(np.abs(p - truth)[ok]):.2f} points, coverage "
            f"{cover(covered(lo, hi, truth)[ok])} ({ok.sum()} of {len(p)} models)"
        )


def fitted_sizes(evals: Evals, train: np.ndarray, members: dict[str, dict[str, list[str]]]) -> None:
    """The two ways to predict the average, compared on the fitted sizes only: per corpus,
    the tasks a round-4 chain averages, fitted on 10.6M and 78.9M, predicted at 153.7M
    (``backtest_downstream``, no bootstrap)."""
    labels = np.array(evals.runs.labels["dataset"])
    for law, per_corpus in members.items():
        for corpus, names in per_corpus.items():
            part = evals.select(train & (labels == corpus))
            try:
                bt = backtest_downstream(
                    part, holdout="params>=150M", tasks=names, law=law, bootstrap=0
                )
            except ScalingLabError as exc:
                print(f"   fitted sizes, law {law} ({corpus}): no backtest: {exc}")
                continue
            own, mean = bt.average(), bt.mean_of_tasks()
            print(
                f"   fitted sizes (fit 10.6M+78.9M, predict 153.7M), law {law} ({corpus}): "
                f"{own.task} by its own law {100 * own.abs_error:.2f} points, mean of the task "
                f"predictions {100 * mean.abs_error:.2f} points"
            )
