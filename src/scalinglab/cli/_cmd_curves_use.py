"""Curves as input to other commands: ``scalinglab fit --from-curves`` (cooled-down losses
predicted at checkpoints become runs) and ``scalinglab report CURVES --curves`` (the page).

::

    scalinglab fit --from-curves lr-schedules/ --cooldown 0.2
    scalinglab report lr-schedules/25M --curves --train cosine_24000,constant_24000,wsdcon_9
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_counted, format_g, format_grouped, join_first
from scalinglab.cli import _options as opt
from scalinglab.cli._render import resamples, stage_line, stderr_console
from scalinglab.cli._step_tokens import STEP_TOKENS

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab._progress import Progress
    from scalinglab.curves import Curve, CurveBacktest
    from scalinglab.curves._where import Selection
    from scalinglab.data import RunTable
    from scalinglab.fit import Resamples

__all__ = ["NO_TOKENS", "runs_from_curves", "write_report"]

#: Why ``fit --from-curves`` without ``--tokens-per-step`` prints no compute plan.
NO_TOKENS = (
    "no compute plan: without --tokens-per-step D counts steps, not tokens, so C = 6·N·D is "
    "not in FLOPs; pass --tokens-per-step (batch size × sequence length, e.g. 0.5M) for one"
)


def runs_from_curves(
    paths: list[Path],
    *,
    cooldown: float,
    law: str = "multipower",
    tokens_per_step: float | None = None,
    warmup: int | None = None,
    schedule: str | None = None,
    columns: dict[str, str] | None = None,
    drop_outliers: bool = False,
    progress: Progress | None = None,
    keep_diverged: bool = False,
    needs_size: bool = True,
    reads_compute: bool = True,
    bootstrap: int = 0,
    seed: int = 0,
    where: Sequence[tuple[str, str]] = (),
) -> tuple[RunTable, list[str], list[str], Resamples | None]:
    """``scalinglab fit --from-curves``: fit a curve law to the curves (across sizes when
    they have several), predict the cooled-down loss at checkpoints of each constant or WSD
    run, and return those as a run table, with notes saying what was done, the warnings
    of reading the curves and of the curve fit (``"the curve fit (sized:multipower): ..."``)
    for the scaling-law fit's ``warnings`` (what makes them untrusted makes the runs they
    predict so), and the runs as each of the curve fit's ``bootstrap`` resamples (drawn with
    ``seed``) gives them, for the scaling-law fit to refit (``fit(resamples=...)``; ``None``
    without one, or with one curve, which has no interval); ``columns`` (the ``--map`` pairs) choose the columns of curve files; ``drop_outliers`` drops derived runs
    that look diverged (as ``fit --drop-outliers`` drops measured ones); ``progress`` hears
    of the curve law's fit as stage ``"curves fit"``; ``law``: the curve law (``sized:`` added
    when the curves have several sizes); ``warmup``: every curve's warm-up (default: the steps
    before its lr first peaks); ``schedule`` (``--schedule``): that of every curve that logs no
    lr, as ``curves fit`` reads it; ``keep_diverged`` keeps curves the
    readers would leave out; ``needs_size``: the law fitted to the runs has N, so every
    curve needs its model size (a law of D alone needs none); ``reads_compute``: it reads N
    or C (a law of D alone reads neither: nothing is said of the flops column); ``where`` (``--where``
    pairs) keeps the curves of those runs as they are read, before the curve law is fitted."""
    import math

    from scalinglab.cli._curves_notes import fit_notes
    from scalinglab.curves import cooldown_resamples, fit_curves
    from scalinglab.curves._caveats import cooled_past
    from scalinglab.curves._cooldown import CHECKPOINTS, check_cooldown
    from scalinglab.curves._diagnostics import is_edge_note
    from scalinglab.curves._folder import skipped_notes
    from scalinglab.curves._reading import Reading
    from scalinglab.curves._schedule_defaults import end_ratio
    from scalinglab.data import read_runs
    from scalinglab.data._noted_runs import plain_notes, reading_warnings
    from scalinglab.data._perplexity import is_perplexity_warning
    from scalinglab.data._plausible import is_tokens_warning
    from scalinglab.store._check import is_duckdb

    check_cooldown(cooldown, option="--cooldown")  # before the curve law is fitted
    # a run store among the paths (runs.duckdb, runs.db) gives its curves, as the ladder
    # records them
    stores = [p for p in paths if p.suffix.lower() == ".duckdb" or is_duckdb(p)]
    files = [p for p in paths if p not in stores]
    if columns and not files:
        from scalinglab.cli._curves_input import map_with_store

        raise map_with_store()
    items: list[Curve] = []
    read: list[str] = []  # rows skipped, runs left out as diverged
    left: dict[str, str] = {}
    sources: list[Selection] = []  # each read's: how many curves --where kept of how many
    # read as `curves fit` and fit_curves(path, ...) read (one Reading)
    reading = Reading(schedule=schedule, warmup=warmup, columns=columns,
                      keep_diverged=keep_diverged, where=tuple(where))  # fmt: skip
    if files:
        items, read, left, given = reading.read(files)
        sources.append(given)
    for store in stores:
        more, also, out, given = reading.read_store(store)
        items, read, left = items + more, read + also, left | out
        sources.append(given)
    sizes = {c.params for c in items if not math.isnan(c.params)}
    unsized = [c for c in items if math.isnan(c.params)]
    if unsized and (sizes or needs_size):
        raise _no_size(unsized, len(items))
    base = law.removeprefix("sized:")
    name = f"sized:{base}" if len(sizes) > 1 else base
    heard = None if progress is None else (lambda s, d, t: progress(f"curves {s}", d, t))
    # the curve fit's resamples run on through the scaling-law fit (cooldown_resamples)
    result = fit_curves(items, law=name, bootstrap=bootstrap, seed=seed, progress=heard,
                        left_out=left, source="; ".join(s.said for s in sources))  # fmt: skip
    frame, resamples = cooldown_resamples(
        result, items, cooldown=cooldown, tokens_per_step=tokens_per_step
    )
    curves_ = "curve" if len(items) == 1 else "curves"
    ratio = end_ratio(result.defaults)
    notes = [
        f"{len(frame)} runs predicted by {result.law} fitted to {len(items)} {curves_}: the loss "
        f"after a {cooldown:.0%} cooldown to {format_g(ratio, 3)} of each run's peak rate (the lowest "
        "end/peak of the fitted curves) at checkpoints of "
        f"{frame['source_run'].nunique()} constant or WSD runs (Hägele et al. 2024), up to "
        f"{CHECKPOINTS} per run in log steps while its rate holds its peak: runs sharing a "
        "schedule prefix each add their own along it, and one at a step another gave counts once",
        *filter(None, [cooled_past(result, frame["steps"].tolist())]),  # past the longest
        *skipped_notes(files),
        *plain_notes(read),  # its warnings (a curve left out as diverged) are the fit's
        # the warm-up each curve was read with, as curves fit says it (--warmup sets one);
        # a note on its coefficients named as its warnings are: the scaling law has a B too
        *(
            f"the curve fit ({result.law}): {n}" if is_edge_note(n) else n
            for n in fit_notes(result, specs=False)
        ),
    ]
    # what reading the curves warned of, and why the curve fit is not to be trusted: why
    # the runs it predicts are not
    warnings = [*reading_warnings(read), *(f"the curve fit ({result.law}): {w}" for w in result.warnings)]  # fmt: skip
    if bootstrap:  # what the intervals of the fit to these runs hold
        notes += [_MEASURED] if resamples is None else _paired(resamples, bootstrap)
    if tokens_per_step is None:
        notes.append(STEP_TOKENS)  # which plan --fit refuses to plan in FLOPs
    if not sizes:
        notes.append("the curves give no model size: the runs have no params column (N)")
    elif len(sizes) < 2 and needs_size:  # a law of D alone has no N-dependent parameter
        notes.append("curves of one model size: N-dependent parameters cannot be identified")
    columns_ = ["run", *(["params"] if sizes else []), "tokens", "loss"]
    # as columns: a derived run is named by its record, not a row of an unseen frame
    table = read_runs({c: frame[c].tolist() for c in columns_}, drop_outliers=drop_outliers)
    # perplexity given as the loss: the curves' warning says it, not again their predictions'
    table = replace(table, notes=tuple(n for n in table.notes if not is_perplexity_warning(n)))
    derived = "flops derived as 6·N·D (column absent)"
    if not reads_compute:  # the law reads no flops column: none claimed
        table = replace(table, notes=tuple(n for n in table.notes if n != derived))
    if tokens_per_step is None:  # the derived "flops" are 6·N·steps: say so, not "FLOPs"
        said = "flops column = 6·N·steps (no --tokens-per-step): compute in steps, not FLOPs"
        # tokens that count steps are no count of tokens in another unit (a note says so)
        kept = (said if n == derived else n for n in table.notes if not is_tokens_warning(n))
        table = replace(table, notes=tuple(kept))
    # with --where, how many curves it kept of how many (`curves fit`'s count, reworded:
    # the run table's own count follows in parentheses)
    shown = (
        " and ".join(s.of_curves for s in sources)
        if where
        else f"the curves of {join_first([str(p) for p in paths], 3)}"
    )
    source = f"cooled-down losses predicted from {shown}"
    # and its kept_where, which the fit records as its "where" ({} would claim every run)
    # and its description names (describe_source: "... where dataset = a (34 runs)")
    return replace(table, source=source, kept_where=dict(where)), notes, warnings, resamples


_MEASURED = (
    "intervals treat the points derived from the curve law as measured: the curve fit's own "
    "uncertainty is not in them (one curve: the curve fit has no resamples), so they are too "
    "narrow by it"
)


def _paired(resamples: Resamples, asked: int) -> list[str]:
    """What the intervals of a fit to runs derived from curves hold (``resamples``: the
    curve fit's, :func:`scalinglab.curves.cooldown_resamples`)."""
    from scalinglab.fit._bootstrap import left_out

    drawn = (
        "draws whole curves with replacement"
        if resamples.resample == "curves"
        else f"redraws every curve's losses ({resamples.resample} bootstrap: under 5 curves)"
    )
    notes = [
        f"intervals carry the curve fit's uncertainty: one bootstrap runs through both fits; "
        f"each of its {format_grouped(len(resamples))} resamples {drawn}, refits the curve law, predicts the "
        "cooled-down runs again and refits this law to them, each run weighted as its curve "
        "was drawn (the points of one curve move together)"
    ]
    if len(resamples) < asked:  # the curve fit's notes say which failed, which degenerated
        why = "failed or ended at a degenerate fit"
        notes.append(f"in the curve fit, {left_out(asked - len(resamples), asked, why)}")
    return notes


def _no_size(unsized: list[Curve], total: int) -> DataError:
    """The error for curves without a model size where the runs predicted need one."""
    sources = list(dict.fromkeys(c.source for c in unsized))
    runs = join_first([repr(c.run) for c in unsized], 3)
    which = "the curves give" if len(unsized) == total else f"{len(unsized)} of {total} curves give"
    return DataError(
        f"{which} no model size (N), which the runs predicted from them need: {runs}",
        source=join_first(sources, 2),
        hint="keep each size's curve files in a folder named like it (25M/cosine_24000.csv), "
        "or give a params column (--map params=COLUMN names one)",
    )


def write_report(
    path: Path | None,
    store: Path | None,
    out: Path,
    train: str | None,
    law: str,
    warmup: int | None,
    bootstrap: int,
    title: str | None,
    *,
    level: float,
    seed: int,
    columns: dict[str, str] | None = None,
    keep_diverged: bool = False,
    where: Sequence[tuple[str, str]] = (),
    schedule: str | None = None,
) -> list[str]:
    """``scalinglab report CURVES --curves --train ...``: backtest, compare, write the page
    (intervals of coverage ``level`` from ``bootstrap`` resamples drawn with ``seed``;
    ``columns``, the ``--map`` pairs, choose the file's columns; ``keep_diverged`` keeps
    the curves that look diverged; ``where``, the ``--where`` pairs, the runs read;
    ``schedule``, ``--schedule``, that of the runs that log no lr). Returns the fit's warnings, for the terminal as the
    page's status line gives them."""
    if not train:
        raise ConfigError(
            "--curves needs the runs to fit on: --train",
            hint="scalinglab report CURVES --curves --train cosine_24000,constant_24000",
        )
    import shlex

    from scalinglab.cli._curves_input import read_said
    from scalinglab.curves._report import curves_report
    from scalinglab.curves._train_split import split_train
    from scalinglab.data._compare import condition_said

    items, said, left, source = read_said(
        [path] if path is not None else None,
        store,
        schedule=schedule,
        warmup=warmup,
        columns=columns or {},
        keep_diverged=keep_diverged,
        where=where,
    )
    read = [str(path)] if path is not None else ["--store", str(store)]
    words = ["scalinglab", "report", *read, "--curves", "--train", train, "--out", str(out)]
    words += ["--curve-law", law, "--bootstrap", str(bootstrap)]
    words += ["--level", str(level), "--seed", str(seed)]
    words += [] if schedule is None else ["--schedule", schedule]
    words += [] if warmup is None else ["--warmup", str(warmup)]
    words += [] if title is None else ["--title", title]
    words += ["--keep-diverged"] if keep_diverged else []
    words += [w for column, value in where for w in ("--where", condition_said(column, value))]
    words += [
        w for target, column in (columns or {}).items() for w in ("--map", f"{target}={column}")
    ]
    names = [t.strip() for t in train.split(",") if t.strip()]
    # a name not read is refused before the line says what it fits; the curves it names counted
    fit_on, held = split_train(items, names, left_out=left, where=where)
    # the loss page's stage line, where no progress bar is drawn (a pipe, a CI log, a job)
    stage_line(stderr_console(), f"fitting {law} to {format_counted(len(fit_on), 'curve')} and "
               f"predicting {len(held)} ({resamples(bootstrap)}), then writing the "
               "report (figures, schedule comparison)...")  # fmt: skip
    made: list[CurveBacktest] = []
    opt.write(
        out,
        "--out",
        lambda: made.append(curves_report(
            items, out, train=names, law=law, bootstrap=bootstrap, level=level, seed=seed,
            title=title, command=shlex.join(words), left_out=left, source=source.said,
            where=dict(where), warmup=warmup, read=said,
        )),
    )  # fmt: skip
    from scalinglab.curves._report_parts import fit_warnings

    return [*fit_warnings(made[0].fit), *made[0].own_warnings()]
