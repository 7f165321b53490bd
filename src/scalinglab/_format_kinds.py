"""The kinds of JSON file scalinglab writes: each ``"format"`` with what such a file is and
what reads it (:data:`KINDS`), as :mod:`scalinglab._formats`' errors say them."""

from __future__ import annotations

__all__ = ["KINDS"]

#: What an IsoFLOP or envelope file holds: no allocation at a budget, nor a law of the loss.
_LAWS = (
    "the power laws N_opt = k·C^a and D_opt = k'·C^b (each exponent and coefficient with its "
    "own interval), no law of the loss"
)
#: How to read N_opt and D_opt at a budget off those laws, with intervals (the bootstrap's
#: own lines, which the file does not keep): the analysis again, with --at.
_AT = (
    "N_opt and D_opt at a budget, with intervals: `scalinglab {} --at 1e23` (Python: "
    "{}.at(flops=1e23))"
)

#: ``"format"`` -> what such a file is and what reads it.
KINDS = {
    "scalinglab.fit/1": "a scaling-law fit (`scalinglab fit --out`): read it with `plan --fit` "
    "or `predict --fit` (Python: FitResult.load)",
    "scalinglab.downstream/1": "a downstream chain: read it with `downstream predict --fit` "
    "(Python: DownstreamFit.load)",
    "scalinglab.loss2loss/1": "a loss-to-loss fit: read it with `loss2loss predict --fit` "
    "(Python: LossToLossFit.load)",
    "scalinglab.hparams/1": "an hparams fit: read it with `hparams predict --fit` "
    "(Python: HparamFit.load), or give it to `plan --hparams` (lr* and B* at the plan's N*, "
    "D*, beside --fit or --preset) or `ladder plan --hparams`",
    "scalinglab.curve_fit/1": "a curve fit: read it with `curves predict --fit` "
    "(Python: CurveFit.load)",
    # /2: estimates flat (a, a_lower, a_upper), /1 nested {value, lower, upper}
    # a command's file and its result's save alike: the summary, and the whole result that
    # the class's load reads (a file the command wrote before holds the summary alone)
    "scalinglab.isoflop/2": "an IsoFLOP analysis (`scalinglab isoflop --out`, "
    f"IsoFLOPResult.save): it holds each budget's optimum and {_LAWS}; read it with "
    f"IsoFLOPResult.load; {_AT.format('isoflop RUNS', 'IsoFLOPResult')}; {{reader}} reads a "
    "law fit",
    "scalinglab.isoflop/1": "an IsoFLOP analysis (`scalinglab isoflop --out`): it holds "
    f"each budget's optimum and {_LAWS}; {_AT.format('isoflop RUNS', 'IsoFLOPResult')}; "
    "{reader} reads a law fit",
    "scalinglab.envelope/2": "an envelope analysis (`scalinglab envelope --out`, "
    f"EnvelopeResult.save): it holds {_LAWS}; read it with EnvelopeResult.load; "
    f"{_AT.format('envelope CURVES', 'EnvelopeResult')}; {{reader}} reads a law fit",
    "scalinglab.envelope/1": "an envelope analysis (`scalinglab envelope --out`): it holds "
    f"{_LAWS}; {_AT.format('envelope CURVES', 'EnvelopeResult')}; {{reader}} reads a law fit",
    "scalinglab.backtest/1": "a backtest (`scalinglab backtest --out`, Comparison.save): it "
    "holds held-out errors; read it with Comparison.load; {reader} reads a law fit",
    # results saved from Python (validate's save): read back by their class's load alone
    **{
        f"scalinglab.{fmt}/1": f"{what} saved from Python ({cls}.save): read it with "
        f"{cls}.load; {{reader}} reads a law fit"
        for fmt, what, cls in (
            ("law_backtest", "a single-law backtest", "Backtest"),
            ("rolling", "a rolling-origin backtest", "Rolling"),
        )
    },
    "scalinglab.plan/1": "a plan (`scalinglab plan --out`): its allocations are in the file; "
    "{reader} reads a law fit",
    # what the other commands print with --json (or save with --out): read by no command
    "scalinglab.predict/1": "predictions (`scalinglab predict --out`): {reader} reads a law fit",
    "scalinglab.hparams_predict/1": "hyperparameter predictions (`scalinglab hparams predict "
    "--out`): {reader} reads a law fit",
    "scalinglab.hparams_backtest/1": "an hparams backtest (`scalinglab hparams backtest "
    "--out`): {reader} reads a law fit",
    "scalinglab.curves_predict/1": "a curve's prediction (`scalinglab curves predict --out`): "
    "{reader} reads a law fit",
    "scalinglab.curves_compare/1": "a schedule comparison (`scalinglab curves compare --out`): "
    "{reader} reads a law fit",
    "scalinglab.curves_backtest/1": "a curve backtest (`scalinglab curves backtest --out`): "
    "{reader} reads a law fit",
    "scalinglab.loss2loss_predict/1": "loss-to-loss predictions (`scalinglab loss2loss predict "
    "--out`): {reader} reads a law fit",
    "scalinglab.downstream_predict/1": "accuracy predictions (`scalinglab downstream predict "
    "--out`): {reader} reads a law fit",
    "scalinglab.downstream_backtest/1": "a downstream backtest (`scalinglab downstream "
    "backtest --out`): {reader} reads a law fit",
    "scalinglab.downstream_plan/1": "an accuracy plan (`scalinglab downstream plan --out`): "
    "{reader} reads a law fit",
    "scalinglab.ingest/1": "what `scalinglab ingest --json` read into a store: {reader} reads "
    "a law fit",
    "scalinglab.ladder_plan/2": "a ladder's rungs (`scalinglab ladder plan --out`): {reader} "
    "reads a law fit",
    # /1: its notes one string, its source the recipe's name or path
    "scalinglab.ladder_plan/1": "a ladder's rungs (`scalinglab ladder plan --out`): {reader} "
    "reads a law fit",
    "scalinglab.ladder_run/1": "what a ladder trained (`scalinglab ladder run --json`): "
    "{reader} reads a law fit",
    "scalinglab.ladder_status/1": "the ladder rungs in a store (`scalinglab ladder status "
    "--json`): {reader} reads a law fit",
    "scalinglab.runs/1": "a list of stored runs (`scalinglab runs --json`): {reader} reads a "
    "law fit",
    "scalinglab.runs_rm/1": "the runs removed from a store (`scalinglab runs rm --json`): "
    "{reader} reads a law fit",
    "scalinglab.runs_rm/2": "the runs removed from a store, or with dry_run those that would "
    "be (`scalinglab runs rm --json`): {reader} reads a law fit",
    "scalinglab.report/1": "what `scalinglab report --json` wrote: {reader} reads a law fit",
    # /2: every preset's conventions a mapping, an hparams preset's fitted range; /1: an
    # hparams preset's conventions a string
    "scalinglab.laws/2": "the law catalog (`scalinglab laws --json`): {reader} reads a law fit",
    "scalinglab.laws/1": "the law catalog (`scalinglab laws --json`): {reader} reads a law fit",
    "scalinglab.law/1": "one law (`scalinglab laws NAME --json`): {reader} reads a law fit",
    "scalinglab.hparams_preset/2": "one hyperparameter preset (`scalinglab laws steplaw2025 "
    "--json`): {reader} reads a law fit",
    "scalinglab.hparams_preset/1": "one hyperparameter preset (`scalinglab laws steplaw2025 "
    "--json`): {reader} reads a law fit",
}
