"""Backtest of hyperparameter laws: hold out the largest cells, predict their optimum, score it.

Two scores per held-out cell and method: the ratio of the predicted to the located optimum (lr and
batch), and the **loss regret** — the held-out cell's own fitted surface at the predicted point over
its minimum, minus one. Methods side by side, in one call: ``scalinglab`` (located optima, robust
law fit), ``naive`` (each cell's raw argmin, then a least-squares line in log space of the same law
form) and the published presets."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._deprecated import old_fields
from scalinglab._keywords import keywords_checked
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._training_data import mixed_training_data
from scalinglab.data._where_rows import Where, as_where
from scalinglab.hparams import _repr
from scalinglab.hparams._backtest_cell import HparamBacktestCell, method_summary
from scalinglab.hparams._backtest_laws import fit_training_laws
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._choose import AUTO, resolve
from scalinglab.hparams._design import cell_design, identified_forms
from scalinglab.hparams._grid_notes import common_cells, grid_notes
from scalinglab.hparams._holdout import DEFAULT, scorable, scored_said, split_sweep
from scalinglab.hparams._loglinear import naive_fit
from scalinglab.hparams._old_names import HparamBacktestAliases
from scalinglab.hparams._optimum import locate_optima
from scalinglab.hparams._pair import law_robust_loss
from scalinglab.hparams._regret import OUTSIDE, runs_regret, surface_regret
from scalinglab.hparams._sweep import Sweep, as_sweep
from scalinglab.hparams._sweep_options import backtest_presets
from scalinglab.hparams._unidentified import interval_lines, law_warnings
from scalinglab.laws import get_law

__all__ = ["HparamBacktest", "HparamBacktestCell", "backtest_hparams"]


@old_fields(scores="held_out", train_cells="fitted_cells")
@dataclass(frozen=True)
class HparamBacktest(HparamBacktestAliases):
    """Scores of every method on every held-out cell.

    Attributes:
        holdout: The split, as given.
        holdout_description: The cells held out, in words: ``"the 2 largest model sizes: 7 cells"``.
        held_out: One row per (method, held-out cell), for the bracketed held-out cells (an
            unbracketed one has no located optimum: a note names it); ``scores``: deprecated.
        fitted_cells: Labels of the cells the laws were fitted to (``train_cells``: deprecated).
        notes: Methods or cells left out, and why; never a warning (:attr:`warnings`).
        law_choice: How the fitted methods' forms were chosen on the training cells alone
            (``law="auto"``), or ``None`` when they were named.
        where: The ``where`` conditions the runs were kept by (empty: every run).
        source: Where the sweep's runs came from, with their count, as the fit of the same
            sweep says it (``RunTable.describe_source``).
        warnings: Reasons not to trust the scores, one line each, as the fit of the same
            sweep warns them (:attr:`HparamFit.warnings`): what reading the runs warned of,
            runs breaking ``tokens = batch x steps x seq_len``, several corpora pooled, a law
            the training cells do not identify (its predictions off their design are arbitrary).
    """

    holdout: str
    held_out: tuple[HparamBacktestCell, ...]
    fitted_cells: tuple[str, ...]
    notes: tuple[str, ...] = ()
    law_choice: HparamLawChoice | None = None
    holdout_description: str = ""
    where: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)

    @property
    def methods(self) -> tuple[str, ...]:
        """Methods in the order they were scored."""
        return tuple(dict.fromkeys(s.method for s in self.held_out))

    @property
    def grid_cells(self) -> tuple[str, ...]:
        """The held-out cells where every method's grid regret was read off the runs: the
        grid-regret medians compare the methods on these alone."""
        return tuple(common_cells(self.held_out))

    def summary(self, method: str) -> dict[str, float]:
        """Median and largest (``max_``) regret on the surface and off the runs (``grid_``, over
        the :attr:`grid_cells`), median lr and batch ratios, and held-out ``cells`` of ``method``.

        Args:
            method: One of :attr:`methods` (``"scalinglab"``, a preset's name).

        Returns:
            Key -> number, the old keys beside the new for one release.

        Raises:
            ConfigError: For a method the backtest did not score.
        """
        return method_summary(self.held_out, method, self.methods)

    def to_dict(self) -> dict[str, Any]:
        """What ``hparams backtest --json`` prints and ``--out`` saves.

        Returns:
            A JSON-ready dictionary."""
        from scalinglab.hparams._backtest_json import backtest_to_dict

        return backtest_to_dict(self)

    def to_pandas(self) -> pd.DataFrame:
        """The rows (:attr:`held_out`) as a DataFrame.

        Returns:
            One row a held-out cell and method, a column a field of its score."""
        return pd.DataFrame([s.__dict__ for s in self.held_out])


@keywords_checked("scalinglab.backtest_hparams", deprecated=("loss",))
def backtest_hparams(
    runs: Sweep | RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    holdout: str = DEFAULT,
    law: str = AUTO,
    lr_law: str | None = None,
    batch_law: str | None = None,
    presets: Sequence[str] = ("steplaw2025", "deepseek2024"),
    lr: str | None = None,
    batch: str | None = None,
    batch_unit: str | None = None,
    seq_len: int | None = None,
    y: str = "loss",
    columns: Mapping[str, str] | None = None,
    where: Where | None = None,
    span: float = 4.0,
    sharpness: float = 0.005,
    diverged: float = 1.5,
    include_unbracketed: bool = False,
    weighting: str = "regret",
    robust_loss: str | None = None,
    delta: float = 0.1,
    surface: str = "cubic",
    loss: str | None = None,
    progress: Progress | bool | None = None,
) -> HparamBacktest:
    """Fit on the smaller cells, predict the held-out ones, score every method side by side.

    Args:
        runs: The sweep (see :func:`fit_hparams`).
        holdout: ``"top-scales:K"`` (the cells of the K largest model sizes), ``"size:N"``,
            or a rule on the cells' params, tokens or flops as :func:`scalinglab.backtest`
            takes it (``"params>=500M"``, ``"flops>=1e20"``, ``"top-decile"``; see
            :mod:`scalinglab.hparams._holdout`). ``"largest:K"``, this function's old name
            of ``"top-scales:K"``, reads so for one release and warns.
        law: ``"auto"`` (chosen by leave-one-size-out regret on the training cells only, as
            :func:`fit_hparams` does), ``"steplaw"`` or ``"compute"``: the law form of both
            fitted methods.
        lr_law: A formula for lr* instead (over ``N``, ``D``, ``C``), or ``"auto"``.
        batch_law: A formula for B* instead, e.g. ``"B * N**delta * D**gamma"``, or ``"auto"``.
        presets: Published rules to score too (they need the batch in tokens: ``seq_len``).
        lr: Learning-rate column, as :func:`fit_hparams` takes it.
        batch: Batch column, as :func:`fit_hparams` takes it.
        batch_unit: What the batch column counts, as :func:`fit_hparams` takes it.
        seq_len: Tokens per sequence, as :func:`fit_hparams` takes it (the presets need it
            for a batch in sequences).
        y: Loss column used to locate the optima, as :func:`fit_hparams` takes it.
        columns: The file's names for the columns, as :func:`fit_hparams` takes them.
        where: Only the runs with these text values, kept before the split, as
            :func:`fit_hparams` takes it.
        span: Each cell's window around its best run, as :func:`fit_hparams` takes it.
        sharpness: Weight of runs by closeness to the cell's best, as :func:`fit_hparams`.
        diverged: Loss ratio beyond which a run counts as diverged, as :func:`fit_hparams`.
        include_unbracketed: Fit the laws to the unbracketed training cells too, as
            :func:`fit_hparams` does to its cells (held-out ones are never scored).
        weighting: How the fitted method weights its cells, as :func:`fit_hparams`.
        robust_loss: Robust loss of the fitted method's law fits, as :func:`fit_hparams`.
        delta: Its scale, as :func:`fit_hparams` takes it.
        surface: Each cell's surface (``"cubic"`` or ``"quadratic"``), as
            :func:`fit_hparams` takes it.
        loss: Deprecated name of ``robust_loss`` (one release; warns).
        progress: Called as ``progress("cells", done, total)`` as each cell's optimum is
            located, then ``progress("held out", done, total)`` as each held-out cell is
            scored; ``True`` prints a line on stderr.

    Returns:
        An :class:`~scalinglab.hparams.HparamBacktest`: every method's regret and lr/batch
        ratios on each held-out cell (``.held_out``), summed up by ``.summary(method)``.

    Raises:
        ConfigError: A bad holdout or an unknown preset or law; a bad ``where``.
        DataError: Too few bracketed training cells for the law, or every held-out cell
            unbracketed (the unbracketed ones among others are left out of the scores, named
            in the notes).
    """
    lr_forms, b_forms = resolve(law, lr_law, batch_law)
    robust_loss = law_robust_loss(weighting, robust_loss, loss, call="scalinglab.backtest_hparams")
    chosen = backtest_presets(presets, span=span, sharpness=sharpness, diverged=diverged)
    said = resolve_progress(progress)  # before the sweep is read, as fit() checks it
    sweep = as_sweep(runs, lr=lr, batch=batch, batch_unit=batch_unit, seq_len=seq_len, y=y,
                     columns=columns, where=where)  # fmt: skip
    split = split_sweep(sweep, holdout)  # a bad rule refused before any optimum is located
    held = split.cells
    cells = locate_optima(sweep, span=span, sharpness=sharpness, diverged=diverged,
                          bootstrap=0, surface=surface, progress=said)  # fmt: skip
    train = [i for i in range(len(cells)) if i not in held]
    # an unbracketed held-out cell has no located optimum to score against: left out, named
    held, unscored = scorable(cells, held, source=sweep.table.source)
    notes = list(sweep.notes)
    # several training corpora pooled: warned as fit() warns it
    warnings = [*sweep.warnings, *mixed_training_data(sweep.table.labels, python="where=")]
    used = [i for i in train if cells[i].bracketed or include_unbracketed]
    for i in (i for i in train if not cells[i].bracketed):
        kept = "kept (include_unbracketed)" if include_unbracketed else "left out"
        notes.append(f"training cell {cells[i].label()} {kept}: {cells[i].status}")
    two_d = sweep.batch is not None and any(cells[i].two_d for i in used)

    cols = sweep.cell_columns  # C as fit_hparams reads it: the sweep's FLOPs column, if any
    common: dict[str, Any] = {"robust_loss": robust_loss, "delta": delta,
                              "source": sweep.table.source}  # fmt: skip
    # one D, one N, or N and D on one curve: "auto" picks among the laws these cells identify
    lr_forms, b_forms, design = identified_forms(
        lr_forms, b_forms, cell_design(cols(used)), two_d=two_d
    )
    notes += [design] if design else []
    fitted, fitted_b, choice = fit_training_laws(
        lr_forms, b_forms, [cells[i] for i in used], cols(used), held_out=split.description,
        two_d=two_d, weighting=weighting, **common)  # fmt: skip
    # a law the training cells cannot identify, warned as fit_hparams warns it
    warnings += law_warnings(fitted, fitted_b, cols=cols(used))
    loose, edges = interval_lines(fitted, fitted_b)
    warnings, notes = warnings + loose, notes + edges
    naive_lr = naive_fit(
        get_law(fitted.formula), cols(train), np.array([cells[i].best_lr for i in train])
    )
    naive_b = (
        naive_fit(
            get_law(fitted_b.formula), cols(train), np.array([cells[i].best_batch for i in train])
        )
        if fitted_b is not None
        else None
    )
    if chosen and sweep.batch_unit != "tokens":
        notes.append("presets scored on lr only: the batch is in sequences (give seq_len)")
    rows = []
    for n, i in enumerate(held, 1):
        c = cells[i]
        grid = runs_regret(sweep, i, c, two_d)
        point = {name: float(v[0]) for name, v in cols([i]).items()}
        # (method, lr, batch, whether the batch was predicted: else the located one is used)
        preds: list[tuple[str, float, float, bool]] = []
        lr_s = fitted.predict(**point)[0]
        b_s = fitted_b.predict(**point)[0] if fitted_b else c.batch
        preds.append(("scalinglab", lr_s, b_s, fitted_b is not None))
        b_n = float(naive_b(point)) if naive_b else c.batch
        preds.append(("naive", float(naive_lr(point)), b_n, naive_b is not None))
        for p in chosen:
            pp = p.predict(params=point["params"], tokens=point["tokens"], flops=point["flops"])
            scored = sweep.batch_unit == "tokens" and two_d
            preds.append((p.name, pp.lr, pp.batch if scored else c.batch, scored))
        for method, lr_p, b_p, b_scored in preds:
            regret, far = surface_regret(c, lr_p, b_p)
            grid_regret, why = grid(lr_p, b_p)
            rows.append(
                HparamBacktestCell(
                    method=method,
                    cell=c.label(),
                    params=point["params"],
                    tokens=point["tokens"],
                    lr=lr_p,
                    batch=b_p,
                    lr_ratio=lr_p / c.lr,
                    batch_ratio=b_p / c.batch if b_scored and c.batch == c.batch else math.nan,
                    regret=regret,
                    beyond_grid=why.startswith(OUTSIDE),
                    grid_regret=grid_regret,
                    grid_note=why,
                    beyond_window=far,
                )
            )
        if said is not None:
            said("held out", n, len(held))
    notes += unscored + grid_notes(rows)
    return HparamBacktest(
        holdout=holdout,
        holdout_description=scored_said(split.description, scored=len(held), held=len(split.cells)),
        held_out=tuple(rows),
        fitted_cells=tuple(cells[i].label() for i in used),
        notes=tuple(notes),
        law_choice=choice,
        where=dict(as_where(where)),
        source=sweep.table.describe_source(),
        warnings=tuple(dict.fromkeys(warnings)),
    )
