"""Hyperparameter laws on the Step Law sweeps: held-out regret against naive and presets, speed.

Data: ``../shared/data/steplaw/dense_lr_bs_loss.dev.csv`` (1,746 runs, 15 cells, 215M-537M
parameters; optima located on the authors' smoothed final loss, batch in tokens = bs x 2048).

Splits: leave-largest-size-out (fit on 215M-429M, predict the 537M cells) and
leave-one-size-out for each size. Methods, in the same run: scalinglab (the default: optima
located on surfaces with a cubic term in log lr, laws weighted by regret, lr* at the predicted
batch, and the law forms chosen by leave-one-size-out regret on each split's own training
cells, ``law="auto"``; the split's choice is printed), "step-law form" (the same with Step
Law's forms ``lr* = A·N^alpha·D^beta``, ``B* = B·D^gamma`` named: the default before the
choice), naive (each cell's raw argmin, then least squares in log space of the same forms as
scalinglab's), and the Step Law and DeepSeek presets. Scores per held-out cell: predicted /
located lr* and B* (located on the cubic surfaces), and the loss regret, read three ways: on
the held-out cell's cubic surface (the issue's definition with the default surface) and on
its quadratic surface (every method judged by the same surfaces) and off its runs by linear
interpolation (independent of any surface). "Why": the median regret on the cubic surfaces
each method would have with only its lr* (batch at the located B*) or only its B* (lr at the
located lr*) off.

Speed: ``fit_hparams`` on all 1,746 runs with 1,000 bootstrap resamples, wall and CPU
seconds and peak memory, each in a fresh process (so the figure is the fit's own), three
times with the default (the choice included) alternating with ``law="steplaw"`` (no choice:
the baseline, same run); CPU seconds are the figure to read on a loaded machine, with the
load average beside.

    .venv/bin/python benchmarks/hparam_accuracy.py
    .venv/bin/python benchmarks/hparam_accuracy.py --splits top-scales:1   # one split (the rest runs)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import describe  # type: ignore[import-not-found]

CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "steplaw" / "dense_lr_bs_loss.dev.csv"
)
SPLITS = ("top-scales:1", "size:215M", "size:268M", "size:429M")
PRESETS = ("steplaw2025", "deepseek2024")
#: The default before the law choice: Step Law's forms, named.
STEP = "step-law form"


def machine() -> str:
    return str(describe())


def speed_child(law: str) -> None:
    from scalinglab.hparams import fit_hparams

    t0, c0 = time.perf_counter(), time.process_time()
    hp = fit_hparams(CSV, y="smooth loss", seq_len=2048, bootstrap=1000, law=law)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert hp.lr_law.samples is not None
    print(f"{wall:.2f} {cpu:.2f} {peak:.0f} {len(hp.lr_law.samples)} {os.getloadavg()[0]:.1f}")


def rescore(sweep: Any, bt: Any) -> dict[str, dict[str, float]]:
    """Every method's predictions judged on both surface forms, and the why columns."""
    from scalinglab.hparams import locate_optima

    on = {
        form: {c.label(): c for c in locate_optima(sweep, bootstrap=0, surface=form)}
        for form in ("cubic", "quadratic")
    }
    cubic = on["cubic"]
    out = {}
    for m in bt.methods:
        rows = [s for s in bt.held_out if s.method == m]
        r = {}
        for form, cells in on.items():
            reg = [
                float(cells[s.cell].surface(s.lr, s.batch)) / cells[s.cell].loss - 1 for s in rows
            ]
            r[f"{form}_median"], r[f"{form}_worst"] = float(np.median(reg)), float(np.max(reg))
        r["lr_ratio"] = float(np.median([s.lr / cubic[s.cell].lr for s in rows]))
        r["b_ratio"] = float(np.median([s.batch / cubic[s.cell].batch for s in rows]))
        c = [cubic[s.cell] for s in rows]
        r["lr_only"] = float(
            np.median([x.surface(s.lr, x.batch) / x.loss - 1 for s, x in zip(rows, c, strict=True)])
        )
        r["b_only"] = float(
            np.median([x.surface(x.lr, s.batch) / x.loss - 1 for s, x in zip(rows, c, strict=True)])
        )
        out[m] = r
    return out


def in_sample(sweep: Any) -> None:
    """Median regret per size of laws fitted to all 15 cells: what the law form can do here."""
    from scalinglab.hparams import fit_hparams, get_hparam_preset

    preset = get_hparam_preset("steplaw2025")
    print(
        "\nin-sample (laws fitted to all 15 cells), median regret per size on the cubic surfaces:"
    )
    fits: dict[str, Any] = {
        "scalinglab": fit_hparams(sweep, bootstrap=0),
        STEP: fit_hparams(sweep, bootstrap=0, law="steplaw"),
    }
    cells = fits["scalinglab"].cells
    for size in sorted({c.keys["params"] for c in cells}):
        row = []
        for name, rule in (*fits.items(), ("steplaw2025", preset)):
            regrets = []
            for c in cells:
                if c.keys["params"] == size:
                    p = rule.predict(params=size, tokens=c.keys["tokens"])
                    regrets.append(float(c.surface(p.lr, p.batch)) / c.loss - 1)
            row.append(f"{name} {100 * np.median(regrets):.4f}%")
        print(f"  {size / 1e6:.0f}M: " + ", ".join(row))


def show_choice(choice: Any, where: str = "the training cells") -> None:
    """A law choice: every candidate's leave-one-size-out score, and the verdict."""
    print(f"  law choice on {where}: {choice.verdict}")
    for (lr, b), k, score in zip(
        choice.candidates, choice.n_coefs, choice.median_regret, strict=True
    ):
        print(f"    lr* = {lr:<24} B* = {b:<24} {k} coefs  {100 * score:.4f}%")


def choice_cost(sweep: Any) -> None:
    """CPU seconds of the law choice alone on the 15 cells (what law="auto" adds to a fit)."""
    from scalinglab.hparams import locate_optima
    from scalinglab.hparams._choose import choose_hparam_laws

    cells = locate_optima(sweep, bootstrap=0)
    cols = {k: np.array([c.keys[k] for c in cells]) for k in ("params", "tokens")}
    times = []
    for _ in range(5):
        c0 = time.process_time()
        choose_hparam_laws(cells, cols, robust_loss="squared", delta=0.1, source=str(CSV))
        times.append(time.process_time() - c0)
    print(
        f"\nthe law choice alone (6 candidate pairs x 4 folds, 15 cells): "
        f"{min(times):.3f}-{max(times):.3f} s CPU over 5 calls"
    )


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--splits",
        nargs="+",
        choices=SPLITS,
        default=list(SPLITS),
        metavar="SPLIT",
        help=f"held-out splits to score, of {', '.join(SPLITS)} [default: all]",
    )
    # a fresh process timing one fit_hparams call (the speed part)
    parser.add_argument("--speed-child", choices=("auto", "steplaw"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(*, splits: list[str]) -> None:
    if not CSV.exists():
        sys.exit(f"the Step Law sweeps are not at {CSV}")
    from scalinglab.hparams import HparamBacktest, backtest_hparams, read_sweep

    print(machine())
    print(f"data: {CSV}")
    sweep = read_sweep(CSV, y="smooth loss", seq_len=2048)
    met = {"cubic": True, "runs": True}
    medians: list[float] = []
    for split in splits:
        auto = backtest_hparams(sweep, holdout=split, presets=PRESETS)
        step = backtest_hparams(sweep, holdout=split, presets=(), law="steplaw")
        renamed = tuple(replace(s, method=STEP) for s in step.held_out if s.method == "scalinglab")
        bt = HparamBacktest(split, auto.held_out + renamed, auto.fitted_cells, auto.notes)
        sc = rescore(sweep, bt)
        print(
            f"\nheld out {split}: {len(bt.held_out) // len(bt.methods)} cells, "
            f"trained on {len(bt.fitted_cells)}; regret median / worst"
        )
        show_choice(auto.law_choice)
        print(
            f"  {'method':<13} {'cubic surfaces':>16} {'quadratic surf.':>16} {'runs':>16} "
            f"{'lr ratio':>8} {'B ratio':>7} {'why: lr only':>12} {'B only':>7}"
        )
        for m in ("scalinglab", STEP, "naive", *PRESETS):
            r, g = sc[m], bt.summary(m)
            print(
                f"  {m:<13} {100 * r['cubic_median']:>7.3f}%/{100 * r['cubic_worst']:.3f}% "
                f"{100 * r['quadratic_median']:>7.3f}%/{100 * r['quadratic_worst']:.3f}% "
                f"{100 * g['median_grid_regret']:>7.3f}%/{100 * g['max_grid_regret']:.3f}% "
                f"{r['lr_ratio']:>8.2f} {r['b_ratio']:>7.2f} "
                f"{100 * r['lr_only']:>11.3f}% {100 * r['b_only']:>6.3f}%"
            )
        medians.append(sc["scalinglab"]["cubic_median"])
        ours = sc["scalinglab"]["cubic_median"]
        best = min(sc[p]["cubic_median"] for p in PRESETS)
        ours_runs = bt.summary("scalinglab")["median_grid_regret"]
        best_runs = min(bt.summary(p)["median_grid_regret"] for p in PRESETS)
        step_runs = bt.summary(STEP)["median_grid_regret"]
        print(
            f"  scalinglab / best preset: {ours / best:.2f}x on the cubic surfaces, "
            f"{ours_runs / best_runs:.2f}x off the runs; scalinglab / {STEP}: "
            f"{ours / sc[STEP]['cubic_median']:.2f}x, {ours_runs / step_runs:.2f}x; "
            f"/ naive {ours / sc['naive']['cubic_median']:.2f}x on the cubic surfaces"
        )
        met["cubic"] &= ours <= best
        met["runs"] &= ours_runs <= best_runs
    print(
        f"\nmedian regret <= 0.1% on every split (cubic surfaces): "
        f"{all(m <= 1e-3 for m in medians)} (largest {100 * max(medians):.3f}%)"
    )
    print(
        f"no worse than the best preset on every split: on the cubic surfaces {met['cubic']}, "
        f"off the runs {met['runs']}"
    )

    from scalinglab.hparams import fit_hparams

    print(
        "\nlaws on all 15 cells (90% intervals, 200 resamples); Step Law: alpha -0.713, beta 0.307, gamma 0.571"
    )
    for name, law in (("scalinglab", "auto"), (STEP, "steplaw")):
        hp = fit_hparams(sweep, bootstrap=200, law=law)
        assert hp.batch_law is not None
        laws = ((hp.lr_law, ("alpha", "beta")), (hp.batch_law, ("delta", "gamma")))
        text = ", ".join(
            f"{k} {law.coefs[k]:.3f} [{law.intervals[k][0]:.3f}, {law.intervals[k][1]:.3f}]"
            for law, keys in laws
            for k in keys
            if k in law.coefs
        )
        print(f"  {name:<13} {hp.batch_law.formula}: {text}")
        if hp.law_choice is not None:
            show_choice(hp.law_choice, "all 15 cells")
    in_sample(sweep)
    choice_cost(sweep)

    print("\nfit_hparams, 1,746 runs, 1,000 bootstrap resamples (targets: <= 10 s, <= 1 GB):")
    for _ in range(3):
        for law in ("auto", "steplaw"):
            out = subprocess.run(
                [sys.executable, __file__, "--speed-child", law],
                capture_output=True,
                text=True,
                check=True,
            )
            wall, cpu, peak, n, load = out.stdout.split()
            print(
                f"  law={law:<8} {float(wall):.2f} s wall, {float(cpu):.2f} s CPU, peak memory "
                f"{float(peak):.0f} MB, {n} law refits kept, load average {load}"
            )
    print(machine())


if __name__ == "__main__":
    args = parse()
    if args.speed_child is not None:
        speed_child(args.speed_child)
    else:
        np.seterr(all="ignore")
        main(splits=args.splits)
