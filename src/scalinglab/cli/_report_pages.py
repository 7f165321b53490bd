"""Which of ``scalinglab report``'s options each page reads: one given to a page that would
ignore it is refused, naming the page it belongs to (a report must not say one thing on its
card and have done another)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from scalinglab._defaults import (
    BOOTSTRAP,
    CURVE_BOOTSTRAP,
    CURVE_LAW_NAMES,
    DOWNSTREAM_BOOTSTRAP,
    DOWNSTREAM_HOLDOUT,
    HPARAMS_BOOTSTRAP,
)
from scalinglab._errors import ConfigError

__all__ = [
    "BOOTSTRAP_HELP",
    "HOLDOUT_HELP",
    "JSON_HELP",
    "DownstreamHoldout",
    "DownstreamPage",
    "HtmlOut",
    "Validate",
    "check_holdout",
    "downstream_holdout",
    "page_bootstrap",
    "refuse_downstream_only",
    "refuse_json",
    "refuse_unread",
]

_LOSS, _HPARAMS, _CURVES = "the loss-law report", "the --hparams page", "the --curves page"
_DOWNSTREAM = "--downstream"
#: The page each option is read on (first: the one a refusal names).
_OWNERS = {
    "--store": (_LOSS, _HPARAMS, _CURVES, _DOWNSTREAM),
    "--law": (_LOSS, _HPARAMS, _DOWNSTREAM),
    "--holdout": (_LOSS, _HPARAMS, _DOWNSTREAM),
    "--no-validate": (_LOSS, _DOWNSTREAM),
    "--y": (_LOSS, _HPARAMS),
    "--x": (_LOSS,),
    "--map": (_LOSS, _HPARAMS, _CURVES, _DOWNSTREAM),
    "--robust-loss": (_LOSS,),
    "--loss": (_LOSS,),  # --robust-loss's old spelling: a refusal names it as typed
    "--delta": (_LOSS,),
    "--space": (_LOSS,),
    "--drop-outliers": (_LOSS, _DOWNSTREAM),
    "--best-per-cell": (_LOSS,),
    "--compute": (_LOSS,),
    "--figures": (_LOSS,),
    "--format": (_LOSS,),
    "--data": (_LOSS,),
    # `hparams fit`'s options, which its messages' hints name: the --hparams page takes them
    **dict.fromkeys(
        (
            "--seq-len",
            "--lr",
            "--batch",
            "--batch-unit",
            "--by",
            "--include-unbracketed",
            "--lr-law",
            "--batch-law",
        ),
        (_HPARAMS,),
    ),
    "--train": (_CURVES,),
    "--curve-law": (_CURVES,),
    "--warmup": (_CURVES,),
    "--schedule": (_CURVES,),
}
_PAGES = {"": _LOSS, "--hparams": _HPARAMS, "--curves": _CURVES, "--downstream": _DOWNSTREAM}
#: How the page an option belongs to is asked for.
_HOW = {
    _LOSS: "a loss-law report (scalinglab report RUNS)",
    _HPARAMS: "scalinglab report SWEEP --hparams",
    _CURVES: "scalinglab report CURVES --curves --train RUNS",
}
#: What a page does instead, where it has its own way to what the option asks.
_INSTEAD = {
    ("--law", _CURVES): f"the page's law is --curve-law ({', '.join(CURVE_LAW_NAMES)})",
    ("--no-validate", _HPARAMS): "the page always reports the held-out regret (--holdout "
    "top-scales:K)",
    ("--no-validate", _CURVES): "the page's backtest is its predictions of the runs outside "
    "--train",
    ("--holdout", _CURVES): "the page predicts the runs outside --train",
}
#: The options the --downstream page reads (beside --out, --title, --bootstrap, --level, --seed).
_DOWNSTREAM_OPTIONS = (
    "--via, --where, --map, --drop-outliers, --task, --tasks, --chance, --percent, --metric, "
    "--task-law, --law, --max-backtest-error, --average-of, --average-law, --params, "
    "--tokens, --holdout, --no-validate and --store"
)
#: The --downstream page's options that choose its evaluations (the others: its chain).
_READS = ("--via", "--runs", "--task", "--tasks", "--chance", "--percent", "--metric")
#: What the chain's own fit is, where an option would change the loss law's fit (the robust
#: loss's two spellings first).
_CHAIN_FIT = ("--robust-loss", "--loss", "--delta", "--space")
#: How the --hparams and --curves pages fit, and where their loss column is chosen.
_OWN_FIT = {
    _HPARAMS: "the page fits the lr* and B* laws as `hparams fit` does; the sweep's loss "
    "column is --y COLUMN",
    _CURVES: "the page fits its curve law as `curves fit` does; the curves' loss column is "
    "--map loss=COLUMN",
}


#: ``--bootstrap`` by page: the default of the command whose results each shows (fit, hparams
#: fit, curves fit, downstream fit), so a page gives that command's intervals.
_BOOTSTRAP = {
    "": BOOTSTRAP,
    "--hparams": HPARAMS_BOOTSTRAP,
    "--curves": CURVE_BOOTSTRAP,
    "--downstream": DOWNSTREAM_BOOTSTRAP,
}
BOOTSTRAP_HELP = (
    "Bootstrap resamples for intervals (the card says how many were drawn) [default: as "
    f"the command whose results the page shows: fit's {BOOTSTRAP}; with --hparams, hparams "
    f"fit's {HPARAMS_BOOTSTRAP}; --curves, curves fit's {CURVE_BOOTSTRAP}; --downstream, "
    f"downstream fit's {DOWNSTREAM_BOOTSTRAP}]."
)

#: ``report --json``: the loss-law page's data only; the other pages' come from their commands.
JSON_HELP = (
    "Print the loss-law report's data as JSON only (on stdout; messages to stderr). Refused "
    "with --curves, --hparams and --downstream: their data is curves fit, hparams fit, "
    "downstream fit or downstream backtest --json."
)


#: ``--out`` of ``report`` and ``downstream report``: the page written.
HtmlOut = Annotated[Path, typer.Option(help="The HTML file to write.")]
#: ``report --downstream``: the page ``downstream report`` writes, from the same options.
DownstreamPage = Annotated[
    bool,
    typer.Option(
        "--downstream",
        help="RUNS is an evaluation table (acc_<task> columns): write the page `downstream "
        "report` writes from the same options, with its defaults: accuracy against loss per "
        "task with fit and band, the prediction at --params/--tokens, and the per-task "
        f"backtest (holding out --holdout, {DOWNSTREAM_HOLDOUT} by default; --no-validate: "
        "none); read with --via, --runs, --where, --map, --drop-outliers, --task, --tasks, "
        "--chance, --percent, --metric, --task-law, --max-backtest-error, --average-of and "
        "--average-law as `downstream report` reads them.",
    ),
]
#: ``downstream backtest|report --holdout``'s help, one text: every form the rule takes.
HOLDOUT_HELP = (
    "Models the per-task backtest holds out: a predicate ('params>=400M', 'flops>=max/8'; "
    "clauses joined by &), 'largest:K' (by compute; 'largest:K:params' by a column), "
    "'top-decile' or 'top:10%' (by compute), 'top-scales:K', 'near-best:F', as scalinglab "
    f"backtest --holdout takes them [default: {DOWNSTREAM_HOLDOUT}]."
)
#: ``downstream report --holdout``: the models its per-task backtest holds out.
DownstreamHoldout = Annotated[
    str | None, typer.Option(metavar="RULE", help=HOLDOUT_HELP, show_default=False)
]
#: ``downstream report --validate/--no-validate``, as ``report`` takes it.
Validate = Annotated[
    bool,
    typer.Option(
        "--validate/--no-validate",
        help="Add the per-task backtest (holding out --holdout), as report --downstream does.",
    ),
]


def downstream_holdout(holdout: str | None, *, validate: bool) -> str | None:
    """The rule the per-task backtest of ``downstream report`` and ``report --downstream``
    holds out by: ``--holdout``, else :data:`~scalinglab._defaults.DOWNSTREAM_HOLDOUT`;
    ``None`` with ``--no-validate`` (no backtest; a ``--holdout`` beside it is refused), so
    both commands write the same page from the same options."""
    holdout = check_holdout(_DOWNSTREAM, holdout, validate=validate)
    return (holdout or DOWNSTREAM_HOLDOUT) if validate else None


def page_bootstrap(page: str, bootstrap: int | None) -> int:
    """``bootstrap`` as given, else the default of the command whose results ``page``
    (``""``, ``"--hparams"``, ``"--curves"``, ``"--downstream"``) shows."""
    return _BOOTSTRAP[page] if bootstrap is None else bootstrap


def refuse_unread(page: str, given: Sequence[str]) -> None:
    """Refuse the first option of ``given`` (those the user set) that ``page`` (``""`` for
    the loss-law report, ``"--hparams"``, ``"--curves"``, ``"--downstream"``) does not read.

    Raises:
        ConfigError: Naming the option, the page it belongs to, and what to do instead.
    """
    name = _PAGES[page]
    for option in given:
        owners = _OWNERS[option]
        if name in owners:
            continue
        if page == "--downstream":
            hint = (
                "the loss column is --via COLUMN, the runs --where COLUMN=VALUE (and "
                "--drop-outliers)"
            )
            if option not in _CHAIN_FIT:  # no counterpart on the page: say what it takes
                hint = f"drop {option}: the --downstream page takes {_DOWNSTREAM_OPTIONS}" + (
                    "; plan the compute a task needs with scalinglab downstream plan --fit "
                    "ds.json --target-accuracy TASK=ACC"
                    if option == "--compute"
                    else ""
                )
            if option in _CHAIN_FIT:
                hint = (
                    "the chain fits its loss law by Huber on log residuals at the data's own "
                    "delta (the page's card says it) on the models kept; " + hint
                )
            raise ConfigError(
                f"{option} is an option of {owners[0]}; --downstream reads evaluations as "
                "`downstream report` does",
                hint=hint,
            )
        if option in _CHAIN_FIT[:2]:  # --hparams or --curves: no robust loss to choose
            raise ConfigError(
                f"{option} is the robust loss of the loss-law report's fit"
                + (" (--loss: the old spelling of --robust-loss)" if option == "--loss" else "")
                + f"; {name} takes no robust loss",
                hint=f"drop {option}: {_OWN_FIT[name]}",
            )
        instead = _INSTEAD.get((option, name))
        raise ConfigError(
            f"{option} is an option of {owners[0]}; {name} does not read it",
            hint=f"drop {option}: "
            + (instead if instead else f"it belongs with {_HOW[owners[0]]}"),
        )


def refuse_downstream_only(given: Sequence[str]) -> None:
    """Refuse the first of ``given``, options of the --downstream page alone that the user
    set, on a report without --downstream.

    Raises:
        ConfigError: Naming the option and how the --downstream page is asked for.
    """
    if not given:
        return
    option = given[0]
    what = "chooses the evaluations of" if option in _READS else "is an option of the chain of"
    raise ConfigError(
        f"{option} {what} a --downstream page; --downstream was not given",
        hint="scalinglab report EVALS --downstream --via loss_c4_val --where dataset=c4_original",
    )


def check_holdout(page: str, holdout: str | None, *, validate: bool = True) -> str | None:
    """Refuse a ``--holdout`` with ``--no-validate`` (no backtest to hold out for), or one
    that ``page`` cannot hold out by, before any run is read: the --hparams page holds out
    cells (``top-scales:K``, ..., as ``hparams backtest`` reads them), the loss-law report
    and the --downstream page runs (``top-decile``, ...; checked against the runs as they
    are read, before the fit). The --curves page takes none (:func:`refuse_unread`).

    Returns:
        The rule as the page reads it: an old ``largest:K`` of the --hparams page as the
        ``top-scales:K`` it meant (warned on stderr), any other as given.

    Raises:
        ConfigError: Naming the forms the page takes, or the two options in conflict.
    """
    if holdout is not None and not validate:  # a page that reads both: no backtest
        raise ConfigError(
            f"--holdout {holdout} chooses the runs the backtest holds out, and --no-validate "
            "turns the backtest off",
            hint="drop --no-validate to backtest on those runs, or drop --holdout",
        )
    if holdout is None or page != "--hparams":
        return holdout
    from scalinglab.cli._hparams_options import holdout_rule

    return holdout_rule(holdout)  # a K or N that is no number, near-best: refused


def refuse_json(page: str) -> None:
    """Refuse ``--json`` on a page other than the loss-law report (``page`` not ``""``).

    Raises:
        ConfigError: Naming the page and where its JSON comes from instead.
    """
    if page:
        raise ConfigError(
            f"--json prints a loss-law report's data; the {page} page has no JSON form",
            hint="drop --json, or take the page's data as JSON from "
            + {"--hparams": "hparams fit", "--curves": "curves fit"}.get(
                page, "downstream fit or downstream backtest"
            )
            + " --json",
        )
