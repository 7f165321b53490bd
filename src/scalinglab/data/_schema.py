"""From raw cells to a validated :class:`RunTable`: column names, numbers, derived columns.

Readers only split a source into named columns of cells (:class:`RawTable`); everything a
scaling-law fit needs to trust the numbers happens here, once, for every format.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_columns
from scalinglab.data._column_names import (
    RUN_COLUMNS,
    alias_column,
    column_key,
    first_run_column,
    named_column,
    several_columns,
)
from scalinglab.data._covariates import read_covariates
from scalinglab.data._derived import derive_size
from scalinglab.data._flops import flops_convention
from scalinglab.data._model_run import model_run_column
from scalinglab.data._no_loss import runs_left_out
from scalinglab.data._percent import refuse_percent
from scalinglab.data._perplexity import perplexity_warning
from scalinglab.data._plain_numbers import read_numbers
from scalinglab.data._plausible import size_warnings
from scalinglab.data._raw import SIZES, RawTable, check_range, run_ids, validate
from scalinglab.data._repeated_names import unread_repeats
from scalinglab.data._repeats import repeated_rows
from scalinglab.data._run_column_hint import no_run_column_note
from scalinglab.data._table import CANONICAL, RunTable
from scalinglab.data._tracker_names import DEFAULT_NAMES, loss_hint, tracker_column
from scalinglab.data._unit_columns import by_header_unit, carries_units, header_unit, unit_column
from scalinglab.data._units import UNIT_HINT
from scalinglab.data._unread_sizes import unread_size

__all__ = [
    "ALIASES", "LOSS_OPTION", "RUN_COLUMNS", "Y_OPTION", "RawTable", "build_table", "column_option",
    "mapped_column", "names_tried",
]  # fmt: skip

Array = NDArray[np.float64]

#: Other names each canonical column goes by, compared lower-cased with spaces and hyphens
#: read as underscores. A column named exactly like the canonical one always wins; without
#: one of these, the names trackers log (:mod:`scalinglab.data._tracker_names`, as ingest
#: reads them) are tried.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "params": ("n", "n_params", "num_params", "parameters", "model_size", "nparams"),
    "tokens": ("d", "n_tokens", "num_tokens", "tokens_seen", "training_tokens"),
    "flops": ("c", "compute", "training_flop", "training_flops", "flop"),
    "loss": ("l", "final_loss", "train_loss", "eval_loss", "val_loss"),
}
#: How ``fit`` and most commands name the loss column (``loss2loss`` says ``--x COLUMN``).
LOSS_OPTION = "--y loss=COLUMN"
#: How the Python functions that take the loss column as ``y=`` (``fit``, ``backtest``)
#: name it: their callers have no ``--y`` to pass.
Y_OPTION = "y=COLUMN"


def column_option(target: str, loss_option: str) -> str:
    """The option that reads ``target`` from a column, as a hint writes it."""
    return loss_option if target == "loss" else f"--map {target}=COLUMN"


def names_tried(target: str) -> tuple[str, ...]:
    """The names a column of ``target`` (``tokens``) is found by when none is mapped: its
    own, its aliases, then the names trackers give it, in the order tried."""
    names = (target, *ALIASES.get(target, ()), *DEFAULT_NAMES.get(target, ()))
    return tuple(dict.fromkeys(names))


def _loss_flag(loss_option: str) -> str | None:
    """What an ambiguous loss column's hint says to choose with: ``--y`` for ``--y
    loss=COLUMN``, ``y=`` for Python's ``y=COLUMN``; ``None`` for an option of another
    form (``--via COLUMN``: the hint says to keep one of the columns)."""
    if "loss=" in loss_option:
        return loss_option.split()[0]
    keyword, _, rest = loss_option.partition("=")
    return f"{keyword}=" if rest == "COLUMN" and keyword.isidentifier() else None


def mapped_column(raw: RawTable, target: str, wanted: str, loss_option: str = LOSS_OPTION) -> str:
    """The column of ``raw`` that ``--map target=wanted`` names (``target`` a run key: the
    run ids'), else a :class:`DataError` that says which option names another."""
    if column_key(target) in RUN_COLUMNS:
        return named_column(raw.names, wanted, "run ids", source=raw.source,
                            hint="pass an existing column")  # fmt: skip
    hint = f"pass an existing column: {column_option(target, loss_option)}"
    return named_column(raw.names, wanted, target, source=raw.source, hint=hint)


def _resolve(
    raw: RawTable,
    mapping: Mapping[str, str],
    run_column: str | None,
    loss_option: str = LOSS_OPTION,
) -> tuple[str | None, dict[str, str], list[str]]:
    """Decide which source column supplies the run ids and each named column."""
    notes: list[str] = []
    chosen: dict[str, str] = {}  # target name -> source column
    # --map run=COL, or name=COL, run_name=COL ...: the run ids (never a value column)
    run_keys = [t for t in mapping if column_key(t) in RUN_COLUMNS]
    for target, wanted in mapping.items():
        if target in run_keys:
            continue
        src = mapped_column(raw, target, wanted, loss_option)
        if src in chosen.values():
            raise DataError(
                f"column {src!r} is mapped to more than one name",
                source=raw.source,
                column=src,
                hint="map each column once",
            )
        chosen[target] = src
        notes.append(f"column {src!r} read as {target} (as mapped)")
    wanted_run = run_column or (mapping[run_keys[0]] if run_keys else None)
    if wanted_run is not None:
        run_col: str | None = mapped_column(raw, "run", wanted_run, loss_option)
        if run_col in chosen.values():
            raise DataError(
                "the run-id column is also mapped to a value",
                source=raw.source,
                column=run_col,
                hint="choose another run column, or drop that mapping",
            )
    else:  # the first conventional name, among the columns not mapped to something else
        unmapped = [n for n in raw.names if n not in chosen.values()]
        # else a text column 'model' of distinct names (Chinchilla 70B): a table of models
        run_col = first_run_column(unmapped, RUN_COLUMNS) or model_run_column(raw, unmapped)
    if run_col is None:  # a column of distinct text (Name) named, as a guess said
        notes.append(no_run_column_note(raw, chosen.values(), RUN_COLUMNS))
    elif run_col != "run":
        notes.append(f"run ids read from column {run_col!r}")

    free = [n for n in raw.names if n != run_col and n not in chosen.values()]
    for target in CANONICAL:
        if target in chosen:
            continue
        # the loss's own option where it names a column (--y, --map; y= in Python)
        flag = _loss_flag(loss_option) if target == "loss" else "--map"
        found = alias_column(
            free, target, ALIASES[target], source=raw.source, flag=flag, example="COLUMN"
        )
        if found is None:  # a tracker's name (W&B's eval/loss, model.n_params), as ingest reads
            found = tracker_column(free, target)
        if found is None:  # a size named with its unit (Params (M)): scaled when it is read
            named = unit_column(free, target, ALIASES[target])
            if len(named) > 1:
                raise several_columns(named, target, source=raw.source, flag=flag)
            found = named[0] if named else None
        if found is not None:
            chosen[target] = found
            free.remove(found)
            if found != target and header_unit(found, target, ALIASES[target]) is None:
                notes.append(f"column {found!r} read as {target}")
    return run_col, chosen, notes


def _require(
    raw: RawTable,
    chosen: Mapping[str, str],
    *,
    size: bool,
    loss_option: str = LOSS_OPTION,
    run: str | None = None,
) -> None:
    have = format_columns(raw.names)
    if "loss" not in chosen:
        raise DataError(
            f"no loss column (looked for loss, {', '.join(ALIASES['loss'])}); "
            f"the columns are {have}",
            source=raw.source,
            hint=loss_hint(raw.names, raw.source, loss_option, run=run),
        )
    if size and not any(s in chosen for s in SIZES):
        raise DataError(
            f"no model-size column: need params, tokens or flops (or an alias such as "
            f"n_params, num_tokens, compute); the columns are {have}",
            source=raw.source,
            hint="say which column holds the size: --map params=COLUMN "
            "(read_runs(..., columns={'params': COLUMN}) in Python)",
        )


def build_table(
    raw: RawTable,
    *,
    columns: Mapping[str, str] | None = None,
    run_column: str | None = None,
    size: bool = True,
    loss_option: str = LOSS_OPTION,
    finished_only: bool = True,
    skip_no_loss: bool = False,
    reads: Collection[str] = (),
) -> RunTable:
    """Turn raw cells into a checked :class:`RunTable` (outliers are judged by the caller).

    ``size=False`` reads runs with no params, tokens or flops column: a law whose every
    variable is mapped to another column (``--x U=width``) needs none, and a law that
    does need one is refused when its columns are looked up. ``loss_option`` is how the
    command reading the table names its loss column (``--via COLUMN`` on ``downstream``),
    which the hints about a mapped loss column say. ``finished_only`` leaves out the runs a
    state column says did not finish, with a note (:func:`finished_rows`); ``False`` keeps
    them (an ingest stores each run with its state). ``skip_no_loss`` leaves out, with a
    note, the rows whose loss cell holds no value (:func:`rows_with_loss`). ``reads``
    names the columns the command reads beyond a run table's (a sweep's ``lr``,
    ``loss2loss --y``): a repeated one is refused, as a repeated loss is
    (:func:`unread_repeats`), not left out.

    Raises:
        DataError: For any column, cell or run id a fit cannot use, naming where it is.
    """
    if not raw.rows:
        raise DataError("no runs: the source has no rows", source=raw.source)
    raw, repeats = unread_repeats(  # a repeated column refused only where it is read
        raw, lambda r: _resolve(r, columns or {}, run_column, loss_option)[:2], also=reads
    )
    run_col, chosen, notes = _resolve(raw, columns or {}, run_column, loss_option=loss_option)
    notes[:0] = (*raw.notes, *repeats)  # how the file was read comes first
    _require(raw, chosen, size=size, loss_option=loss_option, run=run_col)
    # the runs read but not fitted (not finished, no loss): the notes naming them, each's why
    raw, said, skipped = runs_left_out(raw, chosen, run_col, finished=finished_only,
                                       blank=skip_no_loss, option=loss_option)  # fmt: skip
    notes += said

    numeric: dict[str, Array] = {}
    labels: dict[str, tuple[str, ...]] = {}
    read_in: dict[str, str] = {}  # each size a header's unit scaled: how, for its conventions
    for target, src in chosen.items():
        if target not in CANONICAL:
            continue
        option = column_option(target, loss_option)
        cells, where = raw.cells[src], {"source": raw.source, "column": src}
        refuse_percent(cells, raw.rows, target=target, option=option, **where)
        # a loss: a plain number, never 3.1K, 1_000 or 5,006; 5,006 elsewhere: as the file;
        # a size may end in its own word (10B tokens), never another's
        hint = f"{UNIT_HINT}; or read {target} from another column: {option}"
        loss = target == "loss"
        values, example = read_numbers(
            raw, src, loss=loss, option=option, hint=None if loss else hint, quantity=target
        )
        if example is not None:
            notes.append(f"column {src!r}: human-readable numbers read (e.g. {example})")
        unit = header_unit(src, target, ALIASES[target])
        if unit is not None:  # Params (M): scaled by it, or read as written, said so
            mapped, carried = target in (columns or {}), carries_units(cells)  # 1,000: none
            values, said, read_in[target] = by_header_unit(
                values, cells, raw, column=src, target=target, unit=unit, mapped=mapped,
                carried=carried,
            )  # fmt: skip
            notes += said
        validate(target, src, values, raw)
        numeric[target] = values
    derived = derive_size(numeric, notes)
    if derived:
        check_range(derived, derived, numeric[derived], raw, how=" (derived from the others)")
    read_from = {t: s for t, s in chosen.items() if t in SIZES}
    notes += size_warnings(numeric, read_from, raw.rows, derived=derived)
    at = chosen["loss"]
    ppl = perplexity_warning(numeric["loss"], where=f"column {at!r}", option=loss_option, column=at)
    notes += [ppl] if ppl else []

    others = {t: s for t, s in chosen.items() if t not in CANONICAL}
    for name in raw.names:
        if name == run_col or name in chosen.values():
            continue
        if name in numeric or name in others:  # e.g. 'loss' while loss is read from 'val_loss'
            origin = f"read from {chosen[name]!r}" if name in chosen else "derived"
            notes.append(f"column {name!r} ignored: {name} is {origin}")
            continue
        others[name] = name
    read_covariates(raw, others, numeric=numeric, labels=labels, notes=notes)
    notes += unread_size(derived, numeric, others)  # Paramètres unread, params derived
    canonical_first = sorted(numeric, key=lambda k: CANONICAL.index(k) if k in CANONICAL else 4)
    convention, flops_notes = flops_convention(chosen, derived, numeric, raw.rows)
    notes += flops_notes
    if run_col is None:  # with run ids a repeat is refused; without, say so
        notes += repeated_rows(raw, {k: numeric[k] for k in CANONICAL if k in numeric})
    return RunTable(
        columns={k: numeric[k] for k in canonical_first},
        runs=run_ids(raw, run_col),
        rows=raw.rows,
        source=raw.source,
        notes=tuple(notes),
        skipped=skipped,
        skipped_notes=tuple(said),
        labels=labels,
        origins={t: s for t, s in chosen.items() if t in CANONICAL and s != t},
        flops_convention=convention,
        params_convention=read_in.get("params", ""),
        tokens_convention=read_in.get("tokens", ""),
        run_column=run_col or "run",
    )
