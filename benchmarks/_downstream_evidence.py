"""downstream_accuracy's sections 0, 0b and 0c: the evidence for the chain's choices, on the
fitted sizes only (fit 10.6M and 78.9M, predict 153.7M; the 411.6M models are never read).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from _downstream_rounds import choice_at_1e3, first_link, unchanged
from _downstream_split import CUT
from scalinglab import get_law
from scalinglab.downstream import Evals, backtest_downstream
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._average import average_accuracy
from scalinglab.downstream._refit import fit_step, scale_inputs
from scalinglab.downstream._task import as_accuracy, fit_scores


def first_link_evidence(frame: pd.DataFrame, evals: Evals) -> None:
    """The chain's loss law at Huber ``delta = 1e-3`` against ``1.345 x`` the residuals'
    robust scale (and least squares), on the fitted sizes only: per corpus, fit the 10.6M
    and 78.9M models, predict the 153.7M ones (the 411.6M models are never read here)."""
    print("\n0. The chain's first link on the fitted sizes only (fit 10.6M+78.9M, predict 153.7M)")
    fitted = frame[frame.params < CUT]
    errs: dict[tuple[str, str], list[float]] = {}
    for corpus, part in fitted.groupby("dataset"):
        tr, te = part[part.params < 1.5e8], part[part.params > 1.5e8]
        for name in ("overtraining", "kaplan", "chinchilla"):
            law = get_law(name)
            data, new = (
                scale_inputs(law, t.params.to_numpy(), t.tokens.to_numpy()) for t in (tr, te)
            )
            y, truth = tr.loss_c4_val.to_numpy(), te.loss_c4_val.to_numpy()
            with first_link(1e-3):
                fixed, _ = link.fit_loss(law, data, y, None)
            scaled, delta = link.fit_loss(law, data, y, None)
            lsq = fit_step(law, data, y, space="log", delta=10.0, weights=None)
            r = np.log(y) - np.log(fixed.evaluate(fixed.theta, data))
            cells = []
            for label, step in (("1e-3", fixed), ("scaled", scaled), ("lsq", lsq)):
                e = np.abs(step.evaluate(step.theta, new) / truth - 1)
                errs.setdefault((name, label), []).extend(e)
                cells.append(f"{label} {100 * e.mean():.2f}%")
            print(
                f"   {corpus:12s} {name:13s} C4 loss error at 153.7M: {', '.join(cells)} "
                f"(scaled delta {delta:.4f}; {np.mean(np.abs(r) > 1e-3):.0%} of the 1e-3 fit's "
                "residuals beyond 1e-3)"
            )
    for name in ("overtraining", "kaplan", "chinchilla"):
        print(
            f"   {name:13s} mean over corpora: "
            + ", ".join(
                f"{k} {100 * np.mean(errs[(name, k)]):.2f}%" for k in ("1e-3", "scaled", "lsq")
            )
        )
    ev = evals.select(evals.runs["params"] < CUT)
    top = ev.runs["params"] > 1.5e8
    names = [t for t in ev.tasks if np.nanmean(ev.accuracy(t)[top]) - ev.chance[t] >= 0.05]
    labels = np.array(ev.runs.labels["dataset"])
    print(f"   the chain there, the {len(names)} tasks >= 5 points above chance at 153.7M:")
    options: tuple[tuple[str, float | None], ...] = (("1e-3", 1e-3), ("scaled", None))
    for label, fixed_at in options:
        task_errs, avg = [], []
        with first_link(fixed_at):
            for corpus in sorted(set(labels)):
                bt = backtest_downstream(
                    ev.select(labels == corpus), holdout="params>=150M", tasks=names,
                    law="overtraining", bootstrap=0, max_backtest_error=None,
                )  # fmt: skip
                task_errs += [r.abs_error for r in bt.tasks.values() if np.isfinite(r.abs_error)]
                avg.append(bt.mean_of_tasks().abs_error)
        print(
            f"   delta {label:6s}: mean task error {100 * np.mean(task_errs):.2f} points, "
            f"error of the average (mean of the tasks) {100 * np.mean(avg):.2f} points"
        )


def law_choice_evidence(evals: Evals) -> None:
    """Law auto's choice at ``1e-3`` (fourth round) against each law at its own chain delta
    (fifth round), on the fitted sizes only: per corpus, choose on the 10.6M and 78.9M
    models, fit the chosen law there, predict the 153.7M ones (C4 loss, and the chain's
    task errors by ``backtest_downstream``); then the choice each way on all <= 154M."""
    print("\n0b. Law auto's choice, at 1e-3 or at each law's chain delta (fitted sizes only)")
    ev = evals.select(evals.runs["params"] < CUT)
    labels = np.array(ev.runs.labels["dataset"])
    top = ev.runs["params"] > 1.5e8
    names = [t for t in ev.tasks if np.nanmean(ev.accuracy(t)[top]) - ev.chance[t] >= 0.05]
    for label, ways in (("1e-3", choice_at_1e3), ("chain delta", unchanged)):
        loss_errs: list[float] = []
        task_errs: list[float] = []
        avg: list[float] = []
        with ways():
            for corpus in sorted(set(labels)):
                part = ev.select(labels == corpus)
                small = part.select(part.runs["params"] < 1.5e8).runs
                law, delta, _ = link.loss_law(small, "auto", seed=0)
                step, _ = link.fit_loss(
                    law, scale_inputs(law, small["params"], small["tokens"]), small["loss"],
                    None, delta=delta,
                )  # fmt: skip
                big = part.runs["params"] > 1.5e8
                new = scale_inputs(law, part.runs["params"][big], part.runs["tokens"][big])
                e = np.abs(step.evaluate(step.theta, new) / part.runs["loss"][big] - 1)
                bt = backtest_downstream(
                    part, holdout="params>=150M", tasks=names, bootstrap=0,
                    max_backtest_error=None,
                )  # fmt: skip
                te = [r.abs_error for r in bt.tasks.values() if np.isfinite(r.abs_error)]
                loss_errs += list(e)
                task_errs += te
                avg.append(bt.mean_of_tasks().abs_error)
                whole, _, why = link.loss_law(part.runs, "auto", seed=0)
                print(
                    f"   at {label:11s} {corpus:12s}: on 10.6M+78.9M chose {law.name} (C4 loss "
                    f"at 153.7M {100 * e.mean():.2f}%, tasks {100 * np.mean(te):.2f} points); on "
                    f"<= 154M chose {whole.name} ({why.split(': ', 1)[1]})"
                )
        print(
            f"   at {label:11s} mean: C4 loss {100 * np.mean(loss_errs):.2f}%, task error "
            f"{100 * np.mean(task_errs):.2f} points, average (mean of the tasks) "
            f"{100 * np.mean(avg):.2f} points"
        )


def average_evidence(evals: Evals) -> None:
    """How to predict the average over a set fixed in advance, on the fitted sizes only: the
    tasks >= 5 points above chance at 153.7M (the issue's rule at the largest fitted size);
    per corpus, fit 10.6M and 78.9M, predict 153.7M: the mean of the task predictions (only
    where every task is predicted), the average's own law (Gadre et al.'s exp-error, the
    chain's ``average_of``) or a sigmoid of the average, both through the chain's loss law."""
    print("\n0c. The average over a set fixed in advance (fitted sizes only)")
    ev = evals.select(evals.runs["params"] < CUT)
    labels = np.array(ev.runs.labels["dataset"])
    top = ev.runs["params"] > 1.5e8
    names = [t for t in ev.tasks if np.nanmean(ev.accuracy(t)[top]) - ev.chance[t] >= 0.05]
    print(f"   {len(names)} tasks >= 5 points above chance at 153.7M: {', '.join(names)}")
    errs: dict[str, list[float]] = {}
    for corpus in sorted(set(labels)):
        part = ev.select(labels == corpus)
        held = part.runs["params"] > 1.5e8
        truth = average_accuracy(part, names)[held]
        bt = backtest_downstream(
            part, holdout="params>=150M", tasks=names, bootstrap=0, max_backtest_error=None,
            average_of=names, average_law="exp-error",
        )  # fmt: skip
        done = [t for t in bt.tasks.values() if not t.reason]
        mean = np.mean([t.predicted for t in done], axis=0)
        own = bt.average()
        small = part.select(~held)
        sig = fit_scores(
            "average", average_accuracy(small, names),
            float(np.mean([ev.chance[t] for t in names])), small.runs["loss"], "sigmoid",
            None, 0.02,
        )  # fmt: skip
        loss = np.array(
            [bt.chain.predict(params=float(p), tokens=float(d))[names[0]].loss
             for p, d in zip(part.runs["params"][held], part.runs["tokens"][held], strict=True)]
        )  # fmt: skip
        assert sig.step is not None
        sig_pred = as_accuracy(sig.step, sig.step.evaluate(sig.step.theta, {"L": loss}))
        cells = {
            "mean of the tasks": (
                100 * float(np.mean(np.abs(mean - truth)))
                if len(done) == len(names) else float("nan")
            ),
            "own law (exp-error)": 100 * float(np.mean(np.abs(own.predicted - truth))),
            "own sigmoid": 100 * float(np.mean(np.abs(sig_pred - truth))),
        }  # fmt: skip
        for k, v in cells.items():
            errs.setdefault(k, []).append(v)
        print(
            f"   {corpus:12s} ({len(done)}/{len(names)} tasks predicted): "
            + ", ".join(f"{k} {v:.2f}" for k, v in cells.items())
            + " points"
        )
    print("   mean over corpora: " + ", ".join(f"{k} {np.mean(v):.2f}" for k, v in errs.items()))
