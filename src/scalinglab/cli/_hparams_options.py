"""The options ``hparams fit`` and ``hparams backtest`` share, declared once so that both
spell and explain them alike (the options every command shares are in :mod:`._params`), and
those of them ``report SWEEP --hparams`` takes (``Page*``), spelled as ``hparams fit`` does."""

from __future__ import annotations

from typing import Annotated

import typer

from scalinglab.cli import _params as params
from scalinglab.data._column_map import SWEEP_NAMES

__all__ = [
    "BATCH",
    "BATCH_LAW",
    "INCLUDE",
    "LAW",
    "LR",
    "LR_LAW",
    "MAPPED",
    "ROBUST_LOSS",
    "SEQ",
    "STORE",
    "SURFACE",
    "SWEEP",
    "UNIT",
    "WEIGHTING",
    "WHERE",
    "PageBatch",
    "PageBatchLaw",
    "PageBy",
    "PageInclude",
    "PageLr",
    "PageLrLaw",
    "PageSeqLen",
    "PageUnit",
    "Y",
    "holdout_rule",
]

SWEEP = typer.Argument(
    metavar="SWEEP",
    help="Runs of (N, D, lr, batch) -> loss (.csv .parquet .jsonl ...). Without it: --store.",
    show_default=False,
)
#: ``--store`` as ``fit`` words it, the sweep's runs read from a store instead of SWEEP.
STORE = typer.Option(
    metavar="STORE", help="Read the finished runs of a run store (.duckdb) instead of SWEEP."
)
Y = typer.Option(
    "--y", metavar="COLUMN", help="Loss column used to locate optima (or loss=COLUMN)."
)


LR = typer.Option("--lr", metavar="COLUMN", help="Peak learning-rate column [default: by name].")
BATCH = typer.Option("--batch", metavar="COLUMN", help="Batch column [default: by name].")
SEQ = typer.Option(
    "--seq-len",
    metavar="TOKENS",
    parser=params.seq_len,
    help="Tokens per sequence: batch in tokens.",
)
UNIT = typer.Option(
    "--batch-unit",
    metavar="[tokens|sequences]",
    help="What the batch column counts [default: by its name and a steps column, with a note].",
)
INCLUDE = typer.Option(
    "--include-unbracketed",
    help="Fit the laws to unbracketed cells too (their best run at the edge of the grid).",
)
#: ``--where`` of a sweep: of a file before its cells are formed; of a --store, as
#: :data:`._params.Where` says it.
WHERE = typer.Option(
    metavar="COLUMN=VALUE",
    help="Only the sweep's runs whose text column has this value (one training corpus: "
    "dataset=c4_original), before its cells are formed; a law holds for one training "
    f"distribution. {params.WHERE_COMPARE} {params.WHERE_PERCENT} {params.WHERE_STORE} Repeat "
    "to require several.",
)
WEIGHTING = typer.Option(
    help="Cells in the law fits: regret (weighted by what a miss costs; lr* at the predicted "
    "batch; squared loss) or equal (the located optima, equal weights; Huber loss)."
)

#: ``--robust-loss`` as ``fit`` spells it; its default is the weighting's (fit_hparams')
ROBUST_LOSS = typer.Option(
    "--robust-loss",
    metavar="NAME",
    help="Robust loss of the lr* and B* law fits: huber, soft_l1 or squared [default: squared "
    "with --weighting regret, huber with equal].",
    show_default=False,
)

LAW = typer.Option(
    help="Law forms: auto (chosen by leave-one-size-out regret on the fitted cells), steplaw "
    "(lr*(N,D), B*(D)) or compute (C)."
)
LR_LAW = typer.Option(help="A formula for lr* instead ('A*N**alpha'), or auto.")
BATCH_LAW = typer.Option(help="A formula for B* instead ('B*N**delta*D**gamma'), or auto.")
SURFACE = typer.Option(
    help="Each cell's surface: cubic (a cubic term in log lr: loss rises faster above the "
    "optimal lr than below) or quadratic."
)


#: What --map reads a sweep's columns as, besides a run table's names.
MAPPED = SWEEP_NAMES


# ``report --hparams``'s own options: the page reads its sweep and fits as `hparams fit` does
PageLr = Annotated[
    str | None,
    typer.Option("--lr", metavar="COLUMN", help="--hparams: peak learning-rate column "
                 "[default: by name].", show_default=False),
]  # fmt: skip
PageBatch = Annotated[
    str | None,
    typer.Option("--batch", metavar="COLUMN", help="--hparams: batch column [default: by "
                 "name].", show_default=False),
]  # fmt: skip
PageUnit = Annotated[
    str | None,
    typer.Option("--batch-unit", metavar="[tokens|sequences]", help="--hparams: what the batch "
                 "column counts [default: by its name and a steps column, with a note].",
                 show_default=False),
]  # fmt: skip
PageSeqLen = Annotated[
    int | None,
    typer.Option(metavar="TOKENS", parser=params.seq_len, help="--hparams: tokens per sequence."),
]
PageBy = Annotated[
    list[str] | None,
    typer.Option("--by", metavar="COLUMN", help="--hparams: columns whose values make a cell "
                 "(repeat) [default: params, tokens].", show_default=False),
]  # fmt: skip
PageInclude = Annotated[
    bool,
    typer.Option("--include-unbracketed", help="--hparams: fit the laws (and the backtest's) "
                 "to unbracketed cells too."),
]  # fmt: skip
PageLrLaw = Annotated[
    str | None,
    typer.Option("--lr-law", help="--hparams: a formula for lr* instead of --law's "
                 "('A*N**alpha'), or auto.", show_default=False),
]  # fmt: skip
PageBatchLaw = Annotated[
    str | None,
    typer.Option("--batch-law", help="--hparams: a formula for B* instead of --law's "
                 "('B*N**delta*D**gamma'), or auto.", show_default=False),
]  # fmt: skip


def holdout_rule(text: str) -> str:
    """``--holdout`` of a hyperparameter backtest, checked before any work, an old
    ``largest:K`` read as the ``top-scales:K`` it meant with a warning on stderr (a Python
    caller gets a DeprecationWarning from the library instead).

    Raises:
        ConfigError: A rule no sweep could hold out by.
    """
    from scalinglab.cli._streams import write_stderr
    from scalinglab.hparams._holdout import check_holdout, renamed

    check_holdout(text)
    rule, said = renamed(text)
    if said:
        write_stderr(f"warning: {said}\n")
    return rule
