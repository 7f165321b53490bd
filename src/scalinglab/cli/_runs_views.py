"""``scalinglab runs``' table and ``--evals`` lines: each number as ``--where`` reads it back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from scalinglab.cli import _render as render
from scalinglab.cli._render import stdout_console

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab.store import StoredRun

__all__ = ["RUNS_ROWS", "more_runs", "print_runs", "print_scores", "run_scores", "stored_scores"]

#: Runs ``scalinglab runs`` lists on a terminal by default (``--limit``): 5,000 runs took
#: 5,007 lines and most of 10 s to draw; piped, every run is listed.
RUNS_ROWS = 50


def stored_scores(frame: pd.DataFrame, runs: list[StoredRun]) -> pd.DataFrame:
    """The stored scores of ``runs`` (task sizes left out), by task and metric."""
    from scalinglab.store._evals import EXAMPLES  # not downstream's: 3 s of SciPy

    ids = {r.run_id for r in runs}
    kept = frame[(frame["metric"] != EXAMPLES) & frame["run_id"].isin(ids)]
    return kept.sort_values(["run_id", "task", "metric"])


def run_scores(scores: pd.DataFrame, run_id: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for task, metric, value in scores.loc[
        scores["run_id"] == run_id, ["task", "metric", "value"]
    ].itertuples(index=False):
        out.setdefault(str(task), {})[str(metric)] = float(value)
    return out


def print_runs(
    runs: list[StoredRun],
    tasks: dict[str, int],
    *,
    title: str,
    statuses: dict[str, str] | None = None,
    limit: int = 0,
) -> None:
    """The runs' table; ``tasks``: how many tasks each run has scores of, by ``run_id``;
    ``statuses``: each run's status as shown, by ``run_id`` (default: the stored one);
    ``limit``: the first runs listed, and a line saying how many more (0: every run)."""
    from scalinglab.store._listing import corpus, hparam
    from scalinglab.store._sources import shown_source

    console = stdout_console()
    more = len(runs) - limit if 0 < limit < len(runs) else 0
    runs = runs[: len(runs) - more]
    hp = {name: [hparam(r, name) for r in runs] for name in ("lr", "batch")}
    shown_sources = [shown_source(r.source, r.extra) or "" for r in runs]
    sources = set(shown_sources)
    # one source for every run (a table ingested whole): said once under the table, not
    # folded into every row (none for every run: nothing said); likewise 6·N·D when every
    # run's flops are derived so
    one_source = next(iter(sources)) if len(sources) == 1 else ""
    derived = [run.flops is None and run.flops_6nd is not None for run in runs]
    shown = {
        "lr": any(v is not None for v in hp["lr"]),
        "batch": any(v is not None for v in hp["batch"]),
        "corpus": any(corpus(r) for r in runs),
        "evals": bool(tasks),
        "source": len(sources) > 1,
    }
    names = ["run", "status", "params", "tokens", "flops", "loss", "lr", "batch", "corpus"]
    names = [n for n in [*names, "evals", "source"] if shown.get(n, True)]
    table = Table()  # the title on its own line: a table's title wraps at the table's width
    for name in names:
        right = name not in ("run", "status", "corpus", "source")
        table.add_column(  # a name and a source fold, never cut: they are the text
            "evals (tasks)" if name == "evals" else name,  # runs rm and --source take
            justify="right" if right else "left",
            overflow="fold" if name in ("run", "source") else "ellipsis",
        )
    for k, run in enumerate(runs):
        lr, batch = hp["lr"][k], hp["batch"][k]
        cells: dict[str, str | Text] = {
            "run": Text(run.name), "status": Text((statuses or {}).get(run.run_id, run.status)),
            "params": _shown("params", run.params), "tokens": _shown("tokens", run.tokens),
            "flops": _flops(run, marked=not all(derived)), "loss": _shown("loss", run.loss),
            "lr": _shown("lr", lr), "batch": _shown("batch", batch),
            "corpus": Text(corpus(run)), "evals": str(tasks.get(run.run_id, 0)),
            "source": Text(shown_sources[k]),
        }  # fmt: skip
        table.add_row(*(cells[n] for n in names))
    console.print(Text(title), soft_wrap=True)
    console.print(table)
    if one_source:
        console.print(Text(f"source of every run listed: {one_source}"), soft_wrap=True)
    if all(derived) and runs:
        said = "flops: 6·N·D from params and tokens for every run listed (the source gave none)"
        console.print(Text(said), soft_wrap=True)
    elif any(derived):
        console.print(
            Text("flops marked (6ND): the source gave none; 6·N·D from params and tokens"),
            soft_wrap=True,
        )
    if more:
        console.print(Text(more_runs(len(runs), more), style="dim"), soft_wrap=True)


def more_runs(shown: int, more: int) -> str:
    """The line under a list cut at ``--limit``: how many runs it leaves out, and how to
    see them."""
    return (
        f"{shown} of {shown + more} runs listed (the first by size); {more} more: --limit 0 "
        "lists every one (--json lists them all)"
    )


def print_scores(runs: list[StoredRun], scores: pd.DataFrame) -> None:
    """``--evals``: each run's stored scores, one line per run, in the runs' order (the
    runs the table lists)."""
    console = stdout_console()
    if scores.empty:
        console.print(
            Text("no evaluations stored for these runs: `scalinglab ingest RESULTS` adds them"),
            soft_wrap=True,
        )
        return
    for run in runs:
        mine = run_scores(scores, run.run_id)
        said = ", ".join(
            f"{task} {metric} {render.number(value, 4)}"
            for task, metrics in mine.items()
            for metric, value in metrics.items()
        )
        console.print(Text(f"{run.name}: {said or 'no evaluations'}"), soft_wrap=True)


def _flops(run: StoredRun, *, marked: bool) -> str:
    """The run's FLOPs as its source gave them, else its 6·N·D, marked so where ``marked``
    (some runs listed have FLOPs given)."""
    if run.flops is not None:
        return _shown("flops", run.flops)
    if run.flops_6nd is None:
        return "—"
    return f"{_shown('flops', run.flops_6nd)}{' (6ND)' * marked}"


def _shown(column: str, value: float | None) -> str:
    """``value`` as the table shows ``column``, which ``--where`` reads back; ``—``: none."""
    from scalinglab.store._where_numbers import shown_number

    return "—" if value is None else shown_number(column, value)
