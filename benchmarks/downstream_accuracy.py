"""Downstream prediction on real models: fit on models <= 154M parameters, predict 411.6M.

Data: the 95 over-trained models of Gadre et al. 2024 in ``../shared/data/overtraining``
(10.6M-411.6M parameters, three training corpora, 5 to 640 tokens per parameter, 8
validation losses, 46 tasks; MIT). Every method sees the same 72 models (<= 154M) and is
scored on the same 23 held-out 411.6M models, in one run:

1. C4 validation loss from (N, D), one fit per training corpus: scalinglab's Chinchilla
   form, scalinglab's over-training form (Gadre et al.), and ``scipy.optimize.curve_fit`` of
   the Chinchilla form on raw loss from one start (the law's initial guess);
2. loss-to-loss between the eight validation losses (56 ordered pairs), one fit per corpus,
   predicting the held-out model's loss y from its measured loss x;
3. task accuracy for every task the 411.6M models do >= 5 points above chance, and the
   average over those tasks, in one run, chains fitted per corpus: "round 1" (the
   over-training law, intervals from the bootstrap and noise only, no backtest on the fitted
   sizes); "round 2" (the loss law ``--law auto`` chooses or the over-training law, its
   calibrated extrapolation error, the backtest on the fitted sizes refusing tasks that miss
   the largest fitted size by > 3 points; the tasks' numbers of examples withheld); "round 3"
   (the defaults now: the same, with the backtest comparing each task's miss with what 3
   points look like through its evaluation noise, and the average over the predictable tasks
   fitted as its own target by Gadre et al.'s law); and a direct sigmoid of accuracy against
   compute (u = 25 - log10 C). The error of the average accuracy is scored both ways (the
   mean of the task predictions, the average target), plus Gadre et al.'s method on all the
   tasks unscreened; and the two ways are compared on the fitted sizes alone (fit 10.6M and
   78.9M, predict 153.7M). Which tasks each corpus's chain calls predictable is printed.
   Fourth round: "round 3" rows fit the chain's loss law by Huber at fit's default
   ``delta = 1e-3``, "round 4" (the defaults now) at ``1.345 x`` the residuals' robust scale;
   the evidence for that choice, on the fitted sizes alone, is printed first (loss law: fit
   10.6M and 78.9M, predict 153.7M, per corpus; and the chain's task errors there).
   Fifth round: "round 4" rows choose the loss law (law auto) with every candidate scored
   at ``1e-3``, "round 5" (the defaults now) with each scored at its own chain delta; the
   same fitted-size check of that choice is printed (section 0b), and the issue's average
   (over the tasks the 411.6M models do >= 5 points above chance) by the chain's own law over
   that named set (``average_of``; its fitted-size evidence in section 0c);
4. speed: the chain for all 46 tasks with ``--bootstrap`` resamples (1,000, the count the
   20 s target is for), the defaults against the fourth round's code (``git archive`` of
   ``--baseline``, 498ff86: issue 15's fourth round as merged, before the fifth), run from a
   temporary copy with this checkout's compiled kernels, alternately, each in a fresh
   process, CPU seconds.

Errors are absolute (accuracy points, or percent of loss) and relative; coverage is the
fraction of held-out values inside the 90% prediction interval.

Usage::

    python benchmarks/downstream_accuracy.py [--bootstrap 1000] [--only-tasks] [--only-speed]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from scalinglab.downstream import read_evals

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _downstream_evidence import average_evidence, first_link_evidence, law_choice_evidence
from _downstream_losses import loss_laws, loss_to_loss
from _downstream_speed import BASELINE, speed
from _downstream_split import DATA
from _downstream_tasks import tasks
from _machine import describe


def cpu() -> str:
    return str(describe())


def build_parser() -> argparse.ArgumentParser:
    """The command line: which sections run, resamples, the speed baseline."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="resamples (the speed target is for 1,000)"
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--only-tasks",
        action="store_true",
        help="sections 0, 0b, 0c, 3 and 4 only (task accuracy and its evidence, speed); "
        "skips 1 and 2 (C4 loss, loss-to-loss)",
    )
    parser.add_argument("--only-speed", action="store_true", help="section 4 only")
    parser.add_argument("--baseline", default=BASELINE, help="commit timed against (speed)")
    return parser


def header() -> str:
    """The machine (with its load average, said once) and the time."""
    return f"CPU: {cpu()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"


def main() -> None:
    args = build_parser().parse_args()
    if not (DATA / "models.dev.csv").exists():
        raise SystemExit(f"data not found: {DATA} (see the shared data folder)")
    print(header())
    frame = pd.read_csv(DATA / "models.dev.csv")
    evals = read_evals(
        DATA / "models.dev.csv", loss="loss_c4_val", chance=DATA / "eval_metadata.csv"
    )
    if not args.only_speed:
        first_link_evidence(frame, evals)
        law_choice_evidence(evals)
        average_evidence(evals)
        if not args.only_tasks:
            loss_laws(frame, args.bootstrap)
            loss_to_loss(frame, min(args.bootstrap, 200))
        tasks(evals, frame, args.bootstrap)
    if not args.skip_speed:
        speed(args.bootstrap, args.baseline)


if __name__ == "__main__":
    main()
