"""``fit_hparams(runs)``: sweeps -> located cell optima -> laws of lr* and B* across cells."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._errors import TooFewCellsError, check_level
from scalinglab._format import format_count
from scalinglab._keywords import keywords_checked
from scalinglab._names import name_list
from scalinglab._progress import Progress, resolve_progress
from scalinglab.data import RunTable
from scalinglab.data._training_data import mixed_training_data
from scalinglab.data._where_rows import Where, as_where
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.fit._losses import get_loss, unused_delta
from scalinglab.hparams._choice import label
from scalinglab.hparams._choose import AUTO, pick_laws, resolve
from scalinglab.hparams._design import cell_design, identified_forms
from scalinglab.hparams._few_cells import check_cells, with_optima
from scalinglab.hparams._fixed_batch import fit_note
from scalinglab.hparams._flops_convention import sweep_flops
from scalinglab.hparams._laws import fit_law
from scalinglab.hparams._loss_formula import loss_formula
from scalinglab.hparams._optimum import locate_optima
from scalinglab.hparams._pair import fit_pair, law_robust_loss
from scalinglab.hparams._params_count import sweep_params
from scalinglab.hparams._result import HparamFit
from scalinglab.hparams._sweep import Sweep, as_sweep
from scalinglab.hparams._sweep_options import check_sweep_options
from scalinglab.hparams._unidentified import interval_lines, law_warnings
from scalinglab.hparams._usable import usable_cells

__all__ = ["fit_hparams"]


@keywords_checked("scalinglab.fit_hparams", deprecated=("loss",))
def fit_hparams(
    runs: Sweep | RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    law: str = AUTO,
    lr_law: str | None = None,
    batch_law: str | None = None,
    lr: str | None = None,
    batch: str | None = None,
    batch_unit: str | None = None,
    seq_len: int | None = None,
    y: str = "loss",
    by: Sequence[str] = ("params", "tokens"),
    columns: Mapping[str, str] | None = None,
    where: Where | None = None,
    span: float = 4.0,
    sharpness: float = 0.005,
    diverged: float = 1.5,
    include_unbracketed: bool = False,
    bootstrap: int = HPARAMS_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    weighting: str = "regret",
    robust_loss: str | None = None,
    delta: float = 0.1,
    surface: str = "cubic",
    progress: Progress | bool | None = None,
    loss: str | None = None,
) -> HparamFit:
    """Fit laws of the optimal peak learning rate and batch to a sweep.

    Args:
        runs: A sweep, a run table, a DataFrame, or a file (one row per run).
        law: ``"auto"`` (the default: each form chosen by leave-one-size-out regret on the
            fitted cells among Step Law's, an N term in B*, and the compute forms; see
            ``_choose``; Step Law's forms when the cells have fewer than 3 model sizes;
            laws of N alone where every cell has one D or N and D lie on one curve, of D
            alone at one N, with a note: see ``_design``),
            ``"steplaw"`` (``lr* = A·N^alpha·D^beta``, ``B* = B·D^gamma``; Li et al. 2025)
            or ``"compute"`` (``lr* = A·C^alpha``, ``B* = B·C^gamma``; DeepSeek-AI 2024).
        lr_law: A formula for lr* instead (over ``N``, ``D``, ``C``), e.g. ``"A*N**alpha"``,
            or ``"auto"`` for a choice of the lr* form alone.
        batch_law: A formula for B* instead, or ``"auto"``.
        lr: Learning-rate column (default: found by name).
        batch: Batch column (default: found by name).
        batch_unit: ``"tokens"`` or ``"sequences"``: what the batch column counts (default:
            read off its name and a steps column, with a note; see :func:`read_sweep`).
        seq_len: Tokens per sequence, to convert a batch in sequences into tokens.
        y: Loss column used to locate optima.
        by: Columns defining a cell.
        columns: Name -> the file's column, for a file or DataFrame whose columns go by
            other names (``{"tokens": "train_tokens"}``; :func:`read_sweep`).
        where: ``{column: value}`` or ``(column, value)`` pairs: only the runs whose text
            column has that value (one training corpus), kept before anything else
            (:func:`read_sweep`); recorded in ``settings["where"]``.
        span: Window around each cell's best run, as a factor in lr and batch.
        sharpness: Weight of runs by how close their loss is to the cell's best.
        diverged: Loss ratio above the cell's best beyond which a run counts as diverged.
        include_unbracketed: Fit the laws to unbracketed cells too.
        bootstrap: Resamples of the runs within each cell (0 for none).
        level: Coverage of the intervals.
        seed: Seed; same seed, same result.
        weighting: ``"regret"``: each cell weighted by what a miss costs on its surface,
            and lr* fitted at the batch the B* law predicts (see ``_pair``); ``"equal"``:
            the located optima with equal weights.
        robust_loss: Robust loss of the law fits on (weighted) log residuals; by default
            ``"squared"`` with the regret weighting (the summed regret of the training cells)
            and ``"huber"`` (robust) with equal weights.
        delta: Its scale (for ``"huber"`` and ``"soft_l1"``).
        surface: Each cell's surface: ``"cubic"`` (a cubic term in log lr for the valley's
            asymmetry) or ``"quadratic"`` (the method before).
        progress: Called as ``progress("cells", done, total)`` as each cell's optimum is
            located and resampled; ``True`` prints a line on stderr.
        loss: Deprecated name of ``robust_loss`` (one release; warns).

    Returns:
        An :class:`HparamFit`: each cell's located optimum (``.cells``), the laws of lr*
        and B* fitted across them (``.lr_law``, ``.batch_law``) and how they were chosen
        (``.law_choice``); ``.predict(params=..., tokens=...)`` gives lr* and B* with intervals.

    Raises:
        DataError: A file missing, no lr or loss column, no cell with two or more lrs (a
            cell of one lr, or of no finite loss, is left out with a note), non-positive lr
            or batch, or every cell unbracketed.
        TooFewCellsError: Fewer usable cells than a law has parameters plus one (a
            :class:`DataError` whose hint names the optima located).
        ConfigError: An unknown law name (the nearest is named), an ``lr_law`` or
            ``batch_law`` that cannot be parsed, a bad option (``level=90``,
            ``weighting="eq"``, an unknown ``surface`` or ``batch_unit``); a ``where``
            column that is no text column, or a value no run has.

    Examples:
        >>> import numpy as np, pandas as pd, scalinglab
        >>> grid = [(n, 20 * n, lr, b) for n in (1e8, 2e8, 4e8, 8e8)
        ...         for lr in np.geomspace(1e-4, 1e-1, 10) for b in 2.0 ** np.arange(17, 22)]
        >>> sweep = pd.DataFrame(grid, columns=["params", "tokens", "lr", "batch"])
        >>> best_lr = 0.01 * (sweep["params"] / 1e8) ** -0.5  # lr* falls as N^-0.5
        >>> sweep["loss"] = (3 + 0.05 * np.log(sweep["lr"] / best_lr) ** 2
        ...                  + 0.02 * np.log(sweep["batch"] / 2**19) ** 2)
        >>> hp = scalinglab.fit_hparams(sweep, batch_unit="tokens", bootstrap=0)
        >>> p = hp.predict(params=7e9, tokens=1.4e11)
        >>> f"lr* = {p.lr:.2g}, B* = {p.batch:.2g} tokens"
        'lr* = 0.0012, B* = 5.2e+05 tokens'
    """
    lr_forms, b_forms = resolve(law, lr_law, batch_law)
    robust_loss = law_robust_loss(weighting, robust_loss, loss, call="scalinglab.fit_hparams")
    check_level(level)
    said = resolve_progress(progress)  # before the sweep is read, as fit() checks it
    check_sweep_options(  # a wrong type or range, before the sweep is read
        bootstrap=bootstrap, seed=seed, span=span, sharpness=sharpness, diverged=diverged
    )
    by = name_list(by, what="by", call="scalinglab.fit_hparams")  # by="params": not p, a, ...
    sweep = as_sweep(
        runs, lr=lr, batch=batch, batch_unit=batch_unit, seq_len=seq_len, y=y, by=by,
        columns=columns, where=where,
    )  # fmt: skip
    # fewer cells than any lr* law needs: refused before the optima are resampled
    check_cells(
        sweep, law=law, lr_law=lr_law, span=span, sharpness=sharpness, diverged=diverged,
        surface=surface,
    )  # fmt: skip
    cells = locate_optima(
        sweep,
        span=span,
        sharpness=sharpness,
        diverged=diverged,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
        surface=surface,
        progress=said,  # True: a text line on stderr
    )
    notes = [*sweep.notes, *unused_delta(get_loss(robust_loss, delta=delta), default=0.1)]
    # several training corpora pooled: warned as fit() warns it
    warnings = [*sweep.warnings, *mixed_training_data(sweep.table.labels, python="where=")]
    few = few_resamples_warning(bootstrap, level)  # as `fit` and `curves` warn it
    warnings += [few] if few else []
    usable, notes, warnings = usable_cells(
        sweep, cells, notes, warnings, diverged=diverged, sharpness=sharpness,
        bootstrap=bootstrap, level=level, include_unbracketed=include_unbracketed,
    )  # fmt: skip
    sel = [cells[i] for i in usable]
    cols = sweep.cell_columns(usable)  # C the sweep's FLOPs column (6·N·D only if derived)
    two_d = sweep.batch is not None and any(c.two_d for c in sel)

    def draws(k: int) -> np.ndarray | None:
        if not bootstrap:
            return None
        return np.stack([c.samples[:, k] for c in sel], axis=1)  # type: ignore[index]

    common: dict[str, Any] = {"robust_loss": robust_loss, "delta": delta, "level": level,
                              "source": sweep.table.source}  # fmt: skip
    # one D, one N, or N and D on one curve: "auto" picks among the laws these cells identify
    lr_forms, b_forms, design = identified_forms(lr_forms, b_forms, cell_design(cols), two_d=two_d)
    notes += [design] if design else []
    try:
        lr_formula, b_formula, choice = pick_laws(
            lr_forms, b_forms, sel, cols, two_d=two_d, weighting=weighting, **common
        )
        rep_lr, rep_b = draws(0), draws(1) if two_d else None
        fitted_lr, fitted_b = fit_pair(
            lr_formula,
            b_formula,
            cols,
            sel,
            lr_draws=_natural(rep_lr),
            batch_draws=_natural(rep_b),
            weighting=weighting,
            **common,
        )
    except TooFewCellsError as err:
        skipped = [c for c in cells if not c.bracketed and not include_unbracketed]
        raise with_optima(err, sel, sweep=sweep, left_out=skipped) from None
    if choice is not None and choice.left_first:
        n_lo, n_hi = min(choice.sizes), max(choice.sizes)
        notes.append(
            f"the law choice rests on cells of N = {format_count(n_lo)} to {format_count(n_hi)} "
            "alone: far outside "
            f"that range, {label(lr_formula, b_formula)} extrapolates forms these sizes chose "
            "(Step Law's forms were found over a wider range of sizes)"
        )
    if fitted_b is None:  # lr alone was swept: lr* holds at the sweep's batches
        notes.append(fit_note(sel, sweep.batch_unit))
    fitted_loss = None
    formula, why = loss_formula(cols, len(sel))
    if formula is not None:
        minima = np.array([c.loss for c in sel])
        # a cell the grid pins has no measured loss*: the loss* law no interval (_pinned)
        loss_draws = None if any(c.pinned for c in sel) else draws(2)
        fitted_loss = fit_law(formula, "loss", cols, minima, loss_draws, **common)
    else:
        notes.append(f"no law of the loss at the optimum: {why}")
    warnings += law_warnings(fitted_lr, fitted_b, fitted_loss, cols=cols)
    loose, edges = interval_lines(fitted_lr, fitted_b, fitted_loss)  # as `fit` says them
    warnings += loose
    notes += edges
    return HparamFit(
        cells=cells,
        lr_law=fitted_lr,
        batch_law=fitted_b,
        loss_law=fitted_loss,
        batch_unit=sweep.batch_unit,
        seq_len=sweep.seq_len,
        used=tuple(usable),
        notes=tuple(notes),
        warnings=tuple(dict.fromkeys(warnings)),
        law_choice=choice,
        settings={
            "law": law,
            "y": y,
            "by": list(by),
            "span": span,
            "sharpness": sharpness,
            "diverged": diverged,
            "bootstrap": bootstrap,
            "seed": seed,
            "weighting": weighting,
            "robust_loss": robust_loss,
            "delta": delta,
            "surface": surface,
            "include_unbracketed": include_unbracketed,
            "where": dict(as_where(where)),
        },
        source=sweep.table.describe_source(),
        params_convention=sweep_params(sweep.table),
        flops_convention=sweep_flops(sweep.table),
    )


def _natural(log_draws: np.ndarray | None) -> np.ndarray | None:
    """Draws of a cell's log optimum as optima: a resampled vertex that ran past e^709
    (a near-flat surface, perplexity given as the loss) has no minimum, ``NaN`` as the
    cell's draws without one are, not ``inf`` and NumPy's overflow warning."""
    if log_draws is None:
        return None
    with np.errstate(over="ignore"):
        out = np.exp(log_draws)
    return np.where(np.isfinite(out), out, np.nan)
