"""Short reprs of the validation results (:mod:`scalinglab._repr` says why): the law, the
split's sizes, the held-out errors and coverage, the exponents; never the run tables."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._format import format_g, format_level
from scalinglab._repr import clip, num, pct

if TYPE_CHECKING:
    from scalinglab.plan import Estimate
    from scalinglab.validate import (
        Backtest,
        BacktestSummary,
        BudgetFit,
        Calibration,
        Comparison,
        EnvelopeResult,
        IsoFLOPResult,
        LawChoice,
        LawScore,
        OptimumAt,
        PowerLawFit,
        Rolling,
        RollingStep,
        Split,
    )

__all__ = [
    "backtest",
    "budget_fit",
    "calibration",
    "comparison",
    "envelope",
    "isoflop",
    "law_choice",
    "law_score",
    "optimum_at",
    "power_law",
    "rolling",
    "rolling_step",
    "split",
    "summary",
]


def _coverage(s: BacktestSummary) -> str:
    """Each level's coverage: a count over fewer than ``FEW_RUNS`` runs scored (``3 of 4``), as
    the CLI's tables show it, since a percentage of 4 runs reads like a measurement."""
    from scalinglab.validate._few_runs import FEW_RUNS, coverage_said

    def said(level: float, v: float) -> str:
        k = s.scored.get(level, s.n)
        return coverage_said(v, k) if 0 < k < FEW_RUNS and math.isfinite(v) else pct(v)

    return "{" + ", ".join(f"{format_level(k)}: {said(k, v)}" for k, v in s.coverage.items()) + "}"


def _scored(s: BacktestSummary) -> str:
    """``, scored={99.9%: 0 of 4}`` where some level scored fewer than all runs, else ``""``."""
    fewer = {lv: k for lv, k in s.scored.items() if k < s.n}
    if not fewer:
        return ""
    return (
        ", scored={"
        + ", ".join(f"{format_level(lv)}: {k} of {s.n}" for lv, k in fewer.items())
        + "}"
    )


def _errors(s: BacktestSummary) -> str:
    return f"median_are={pct(s.median_are)}, max_are={pct(s.max_are)}"


def _est(e: Estimate) -> str:
    if math.isnan(e.lower) and math.isnan(e.upper):
        return num(e.value)
    return f"{num(e.value)} [{num(e.lower)}, {num(e.upper)}]"


def split(s: Split) -> str:
    return (
        f"Split(fitted={len(s.fitted)} runs, held_out={len(s.held_out)} runs, holdout={s.holdout!r}, "
        f"column={s.column!r}, source={clip(s.source or s.fitted.source)})"
    )


def backtest(b: Backtest) -> str:
    return (
        f"Backtest(law={b.law!r}, method={b.method!r}, holdout={b.split.holdout!r}, "
        f"fitted={len(b.split.fitted)}, held_out={b.summary.n}, {_errors(b.summary)}, "
        f"coverage={_coverage(b.summary)}{_scored(b.summary)})"
    )


def law_score(s: LawScore) -> str:
    return (
        f"LawScore(law={s.law!r}, {_errors(s.backtest.summary)}, n_coefs={s.n_coefs}, "
        f"bic={num(s.bic)}, ok={s.ok})"
    )


def comparison(c: Comparison) -> str:
    scores = ", ".join(f"{s.law}: {pct(s.backtest.summary.median_are)}" for s in c.laws)
    winner = None if c.winner is None else c.winner.law
    return (
        f"Comparison(winner={winner!r}, median ARE {{{scores}}}, holdout={c.split.holdout!r}, "
        f"fitted={len(c.split.fitted)}, held_out={len(c.split.held_out)}{_kept(c)})"
    )


def _kept(c: Comparison) -> str:
    """The rolling-origin steps a comparison keeps (as ``backtest --out`` saves them),
    counted; nothing where it holds none."""
    return f", rolling={len(c.rolling.steps)} steps" if c.has_rolling else ""


def rolling(r: Rolling) -> str:
    steps = ", ".join(  # a step not identified: its error is where the solver stopped
        "—" if s.unidentified else pct(s.summary.median_are) for s in r.steps[:6]
    )
    more = ", ..." if len(r.steps) > 6 else ""
    return (
        f"Rolling(law={r.law!r}, holdout={r.split.holdout!r}, {len(r.steps)} steps, "
        f"median ARE by step [{steps}{more}])"
    )


def rolling_step(s: RollingStep) -> str:
    head = f"RollingStep(scales={s.scales}, n_fitted={s.n_fitted}, largest={num(s.largest)}, "
    if s.unidentified:  # its errors are where the solver stopped on a valley: not shown
        return f"{head}unidentified={s.unidentified!r})"
    return f"{head}{_errors(s.summary)}, coverage={_coverage(s.summary)})"


def summary(s: BacktestSummary) -> str:
    return (
        f"BacktestSummary(n={s.n}, {_errors(s)}, "
        f"mean_are={pct(s.mean_are)}, coverage={_coverage(s)}{_scored(s)})"
    )


def law_choice(c: LawChoice) -> str:
    # as the CLI's reason and tie words write a score (0.66%, not 0.657%)
    scores = ", ".join(f"{k}: {v:.2%}" if v == v else f"{k}: nan" for k, v in c.scores.items())
    tie = c.tie_words()  # a law chosen over a lower score: the tie rule decided
    warned = f", warnings={len(c.warnings)}" if c.warnings else ""
    return (
        f"LawChoice(chosen={c.chosen!r}{f' ({tie})' if tie else ''}, median error "
        f"{{{scores}}}, n_scored={c.n_scored}, cuts={len(c.cuts)}{warned})"
    )


def power_law(p: PowerLawFit) -> str:
    n = 0 if p.samples is None else len(p.samples)
    return (
        f"PowerLawFit({p.quantity}: exponent={_est(p.exponent)}, "
        f"coefficient={_est(p.coefficient)}, level={p.level:g}, samples={n})"
    )


def budget_fit(b: BudgetFit) -> str:
    return (
        f"BudgetFit(flops={format_g(b.flops, 4)}, {len(b.runs)} runs, params_opt={_est(b.params_opt)}, "
        f"loss_opt={num(b.loss_opt.value)}, status={b.status!r}, used={b.used})"
    )


def optimum_at(o: OptimumAt) -> str:
    """The optimum at one budget, its numbers rounded as :func:`scalinglab._repr.allocation`
    rounds a plan's (the dataclass repr wrote ``flops=1e+24`` and a 16-digit distance)."""
    return (
        f"OptimumAt(flops={num(o.flops)}, params_opt={o.params_opt!r}, tokens_opt={o.tokens_opt!r}, "
        f"tokens_per_param={o.tokens_per_param!r}, level={o.level:g}, "
        f"distance={num(o.distance)}, below={o.below})"
    )


def _laws(a: PowerLawFit, b: PowerLawFit) -> str:
    return f"a={_est(a.exponent)}, b={_est(b.exponent)}"


def isoflop(r: IsoFLOPResult) -> str:
    used = sum(b.used for b in r.budgets)
    kind = ", SIMULATED" if r.simulated else ""
    return (
        f"IsoFLOPResult({_laws(r.params_law, r.tokens_law)}, level={r.level:g}, "
        f"budgets={len(r.budgets)} ({used} used), bootstrap={r.n_bootstrap}{kind}, "
        f"source={clip(r.source)})"
    )


def envelope(r: EnvelopeResult) -> str:
    kind = ", SIMULATED" if r.simulated else ""
    return (
        f"EnvelopeResult({_laws(r.params_law, r.tokens_law)}, level={r.level:g}, "
        f"runs={r.n_runs}, grid={len(r.flops)} ({sum(r.used)} used), "
        f"bootstrap={r.n_bootstrap}{kind}, source={clip(r.source)})"
    )


def calibration(c: Calibration) -> str:
    top = max((k for m in c.coverage.values() for k in m), default=math.nan)
    cover = ", ".join(f"{name}: {pct(m.get(top, math.nan))}" for name, m in c.coverage.items())
    return (
        f"Calibration(scenario={c.scenario.name!r}, replicates={c.replicates}, "
        f"n_points={c.n_points}, median_are={pct(c.median_are)}, "
        f"coverage at {format_level(top)} {{{cover}}})"
    )
