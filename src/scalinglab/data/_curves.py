"""Loss curves: many points per run (``run``, ``tokens`` or ``step``, ``loss``), and the run's size.

::

    curves = read_curves("curves.parquet")                       # params as a column
    curves = read_curves("curves.csv", runs=read_runs("runs.csv"))  # params from a run table
    curves = read_curves(frame, columns={"loss": "eval_loss"}, tokens_per_step=2**19)

Files are split into cells by the same readers as :func:`read_runs` (CSV, TSV, Parquet,
JSONL, JSON, DataFrame), so every error names the file, row and column.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scalinglab import _repr
from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_counted, format_g
from scalinglab.data._curve_columns import (
    CURVE_ALIASES,
    MAP_LOSS,
    curve_tokens,
    flops_column,
    resolve_columns,
    text_columns,
)
from scalinglab.data._curve_ids import run_ids
from scalinglab.data._curve_points import no_points
from scalinglab.data._curve_sizes import curve_params, split_columns
from scalinglab.data._final_losses import final_losses
from scalinglab.data._frame_cells import frame_cells
from scalinglab.data._perplexity import perplexity_warning
from scalinglab.data._plain_numbers import read_numbers
from scalinglab.data._quantity_args import step_tokens
from scalinglab.data._readers import _read_file
from scalinglab.data._repeated_names import unread_repeats
from scalinglab.data._schema import RawTable
from scalinglab.data._sweep_looks import raw_sweep
from scalinglab.data._table import RunTable

__all__ = ["CURVE_ALIASES", "Curves", "curves_of_raw", "read_curves"]

Array = NDArray[np.float64]
_T = TypeVar("_T")


@dataclass(frozen=True)
class Curves:
    """Loss curves of training runs, one entry per logged point, grouped by run.

    Attributes:
        runs: Run id of each point.
        params: Parameters ``N`` of each point's run.
        tokens: Tokens seen at each point.
        loss: Loss at each point.
        rows: Row of each point in the source.
        source: The path as given, ``"<DataFrame>"``, or ``"simulated: ..."``.
        notes: Everything derived, renamed or skipped while reading.
        simulated: True for made-up curves.
        labels: The source's text columns (a run's ``dataset``, say), one value per point,
            as :attr:`RunTable.labels <scalinglab.RunTable.labels>`.
    """

    runs: tuple[str, ...]
    params: Array
    tokens: Array
    loss: Array
    rows: tuple[int, ...]
    source: str
    notes: tuple[str, ...] = ()
    simulated: bool = False
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.curves_data(self)

    def __post_init__(self) -> None:
        n = len(self.runs)
        for name in ("params", "tokens", "loss"):
            array = np.array(getattr(self, name), dtype=np.float64)
            if array.shape != (n,):
                raise DataError(
                    f"{name} has shape {array.shape}, expected ({n},)", source=self.source
                )
            array.flags.writeable = False
            object.__setattr__(self, name, array)
        labels = {k: tuple(v) for k, v in self.labels.items()}
        if any(len(v) != n for v in labels.values()):
            raise DataError(f"a label column has not {n} values", source=self.source)
        object.__setattr__(self, "labels", MappingProxyType(labels))

    def __len__(self) -> int:
        return len(self.runs)

    @property
    def flops(self) -> Array:
        """Compute at each point, ``C = 6·N·D``."""
        return 6.0 * self.params * self.tokens

    @property
    def run_ids(self) -> tuple[str, ...]:
        """Distinct runs, in order of first appearance."""
        return tuple(dict.fromkeys(self.runs))

    def where(
        self, column: str | None = None, value: str | None = None, /, **named: object
    ) -> Curves:
        """The points whose text column ``column`` is ``value`` (one training corpus, say;
        ``run``: one run), or of the runs whose ``params`` meets a comparison
        (``where("params>=2e7")``), as :meth:`RunTable.where <scalinglab.RunTable.where>`
        takes runs, keywords included (``where(dataset="c4")``, any column name: ``column``
        and ``value`` are positional only).

        Args:
            column: The text column (or ``run``), with ``value``.
            value: The value the points kept have in ``column``.
            **named: More conditions, ``column=value`` each.

        Returns:
            New curves of the points that meet every condition.

        Raises:
            ConfigError: No such text column, or no point with that value (the hint lists
                the columns, or the values there are); a comparison on what is logged at
                each point (tokens, loss: it would cut points out of curves); arguments
                ``RunTable.where`` refuses.
        """
        from scalinglab.data._curves_where import points_where
        from scalinglab.data._where_rows import where_conditions

        curves = self
        for col, val in where_conditions(column, value, named, text_columns=self.labels):
            keep = points_where(curves, col, val)  # params>=2e7 too: a run's, never a point's
            curves = replace(
                curves,
                runs=tuple(curves.runs[i] for i in keep),
                params=curves.params[keep],
                tokens=curves.tokens[keep],
                loss=curves.loss[keep],
                rows=tuple(curves.rows[i] for i in keep),
                labels={k: tuple(v[i] for i in keep) for k, v in curves.labels.items()},
            )
        return curves


def _picked(values: Sequence[_T], kept: list[int]) -> tuple[_T, ...]:
    """``values`` at the points ``kept`` (all of them, usually: as they are, no copy by index)."""
    return tuple(values) if len(kept) == len(values) else tuple(map(values.__getitem__, kept))


def _first(mask: NDArray[np.bool_], raw: RawTable) -> int:
    return raw.rows[int(np.flatnonzero(mask)[0])]


def read_curves(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str] | None = None,
    tokens_per_step: float | str | None = None,
    loss_option: str = MAP_LOSS,
) -> Curves:
    """Read loss curves: one row per logged point of a run.

    Args:
        source: A file (``.csv .tsv .parquet .jsonl .json``) or a DataFrame.
        columns: Curve name -> source column, e.g. ``{"loss": "eval_loss"}``; names are
            ``run``, ``tokens``, ``step``, ``loss``, ``params``, ``tokens_per_step``. With
            ``runs`` a file, ``run`` and ``params`` name its columns too where it has them
            (``{"params": "n_params"}`` for its sizes, when the curves lack that column).
        runs: Parameters of each run, when the curves have no params column: a run table,
            ``{run id: params}``, or a file of one, of which only the run and params columns
            are read (no loss needed).
        tokens_per_step: Turns a ``step`` column into tokens when there is no tokens column:
            a number, or text as ``--tokens-per-step`` reads it (``"0.5M tokens/step"``).
        loss_option: The option a missing loss column's hint names: ``--map loss=COLUMN``,
            or ``--y loss=COLUMN`` where the loss column was given by ``--y``.

    Returns:
        The points with a loss and positive tokens; the others are skipped with a note.

    Raises:
        DataError: Naming file, row and column for anything the envelope cannot use.
        ConfigError: For an option of the wrong kind.
    """
    if tokens_per_step is not None:  # "0.5M tokens" read as --tokens-per-step reads it
        tokens_per_step = step_tokens(tokens_per_step)
    if isinstance(source, pd.DataFrame):
        raw = frame_cells(source, "<DataFrame>")
    elif isinstance(source, str | os.PathLike):
        raw = _read_file(Path(os.fspath(source)), os.fspath(source))
    else:
        raise ConfigError(
            f"cannot read curves from a {type(source).__name__}; pass a path or a DataFrame"
        )
    return curves_of_raw(
        raw, columns=columns, runs=runs, tokens_per_step=tokens_per_step, loss_option=loss_option
    )


def curves_of_raw(
    raw: RawTable,
    *,
    columns: Mapping[str, str] | None,
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str] | None,
    tokens_per_step: float | None,
    loss_option: str = MAP_LOSS,
) -> Curves:
    """:func:`read_curves` of a table read already (each file of a folder, for the envelope)."""
    if not raw.rows:
        raise DataError("no points: the source has no rows", source=raw.source)
    own, theirs = split_columns(raw.names, columns or {}, runs)  # --map params= of --runs
    # a repeated name: refused where it is read, else left out, as a run table's (one rule)
    raw, repeats = unread_repeats(
        raw, lambda r: (None, resolve_columns(r, own, loss_option=loss_option))
    )
    chosen = resolve_columns(raw, own, loss_option=loss_option)
    if {"step", "tokens"} & set(chosen) and raw_sweep(raw) is not None:  # --map tokens=D
        final = final_losses(raw, chosen["run"], missing="no run has 2+ points")
        if final is not None:  # a sweep's runs, one row each: which command fits them
            raise final
    ids = run_ids(list(raw.cells[chosen["run"]]), raw.rows)
    tokens = curve_tokens(raw, chosen, tokens_per_step)
    loss = read_numbers(raw, chosen["loss"], loss=True, option=loss_option)[0]
    params, params_note = curve_params(raw, chosen, ids, runs, columns=theirs)
    tok_col = chosen.get("tokens", chosen.get("step", ""))
    for name, values, column in (("tokens", tokens, tok_col), ("loss", loss, chosen["loss"])):
        bad = np.isinf(values) | (values < 0) | ((values == 0) & (name == "loss"))
        if name == "tokens":
            bad |= np.isnan(values)
        if bad.any():
            value = values[np.flatnonzero(bad)[0]]
            raise DataError(
                f"{name} is {format_g(value)}; {name} must be a positive, finite number",
                source=raw.source,
                row=_first(bad, raw),
                column=column,
                hint="fix the value, or remove the row",
            )
    bad = ~(np.isfinite(params) & (params > 0))
    if bad.any():
        raise DataError(
            f"run {ids[int(np.flatnonzero(bad)[0])]!r} has params {format_g(params[bad][0])}; "
            "a run's size must be positive",
            source=raw.source,
            row=_first(bad, raw),
            column=chosen.get("params"),
            hint="fix the parameter count",
        )
    notes = [
        *raw.notes,
        *repeats,
        *(f"column {src!r} read as {t}" for t, src in chosen.items() if src != t),
    ]
    if params_note:
        notes.append(params_note)
    if "tokens" not in chosen:
        notes.append("tokens = step × tokens per step")
    elif tokens_per_step is not None:
        notes.append(
            f"tokens per step not used: the curves' tokens are read from column "
            f"{chosen['tokens']!r} (it turns steps into tokens when there are none)"
        )
    flops = flops_column(raw, chosen)
    if flops:
        notes.append(
            f"column {flops!r} not read: the envelope puts each point at C = 6·N·D of its "
            "params and tokens"
        )
    keep = np.isfinite(loss) & (tokens > 0)
    said = perplexity_warning(
        loss[keep], where=f"column {chosen['loss']!r}", option=loss_option, column=chosen["loss"]
    )
    notes += [said] if said else []
    if skipped := int((~keep).sum()):
        notes.append(f"{format_counted(skipped, 'point')} without a loss or at 0 tokens skipped")
    if not keep.any():
        raise no_points(raw, loss, tokens, loss_column=chosen["loss"], tokens_column=tok_col)
    k = np.flatnonzero(keep)
    kept = k.tolist()
    return Curves(
        runs=_picked(ids, kept),
        params=params[k],
        tokens=tokens[k],
        loss=loss[k],
        rows=_picked(raw.rows, kept),
        source=raw.source,
        notes=tuple(notes),
        labels={c: _picked(v, kept) for c, v in text_columns(raw, chosen).items()},
    )
