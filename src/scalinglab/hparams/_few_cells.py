"""A sweep of too few cells for any law of lr*, refused before its optima are resampled,
and the optima a sweep too small for a law still answers for (in the refusal's hint)."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import TooFewCellsError
from scalinglab._format import format_g, format_loss
from scalinglab._hparams_numbers import si
from scalinglab.hparams._bracket import shown_status
from scalinglab.hparams._choose import AUTO, resolve
from scalinglab.hparams._optimum import CellOptimum, locate_optima
from scalinglab.hparams._skip_cells import check_locatable, skipped_clause
from scalinglab.hparams._sweep import Sweep
from scalinglab.laws import get_law

__all__ = ["check_cells", "with_optima"]

#: The hint of a fit short of cells (fit_law's), before the optima located are added to it.
_FEWER = "add sweeps at more (N, D), or fit a law with fewer parameters"


def check_cells(
    sweep: Sweep,
    *,
    law: str = AUTO,
    lr_law: str | None = None,
    span: float = 4.0,
    sharpness: float = 0.005,
    diverged: float = 1.5,
    surface: str = "cubic",
) -> None:
    """Refuse ``sweep`` when it has fewer cells than the smallest lr* law that ``law`` and
    ``lr_law`` may fit needs (every fit fits one), before any optimum is resampled: its
    usable cells can only be fewer. The other options are :func:`fit_hparams`'s, to locate
    the point optima named in the hint.

    Raises:
        DataError: No cell an optimum can be located in (``_skip_cells``).
        TooFewCellsError: As the fit raises it for too few usable cells, its hint naming
            each cell's located optimum (no resamples: a sweep of one model still answers).
    """
    check_locatable(sweep)  # no cell of two lrs with a finite loss: said before the count
    forms = resolve(law, lr_law, None)[0]
    smallest = min(forms, key=lambda f: len(get_law(f).params))
    k, n = len(get_law(smallest).params), sweep.n_cells
    if n > k:
        return
    tried = f" (the smallest of the {len(forms)} forms tried)" if len(forms) > 1 else ""
    err = TooFewCellsError(
        f"{n} cell{'s' if n != 1 else ''} for the lr law {smallest!r}{tried}, which has {k} "
        f"parameters: a fit needs at least {k + 1}{skipped_clause(sweep)}",
        source=sweep.table.source,
        hint=_FEWER,
    )
    # the point optima alone: no resamples spent on a sweep no law can be fitted to
    cells = locate_optima(
        sweep, span=span, sharpness=sharpness, diverged=diverged, bootstrap=0, surface=surface
    )
    raise with_optima(err, cells, batch_unit=sweep.batch_unit)


def with_optima(
    err: TooFewCellsError,
    cells: Sequence[CellOptimum],
    *,
    sweep: Sweep | None = None,
    batch_unit: str | None = None,
    left_out: Sequence[CellOptimum] = (),
) -> TooFewCellsError:
    """``err`` with the optima located in its hint, when a few cells were too few for a law:
    a sweep of one or two models still answers for them, B* in ``batch_unit`` (``sweep``'s
    where it is given) and written as the cells' table writes it; with the cells ``sweep``
    left out (a single lr, no finite loss) said in its message; and with the unbracketed
    cells ``left_out`` of the laws named in the hint, with how to keep them: they are why a
    sweep of enough cells can still have too few. Each optimum not plainly ``ok`` carries
    its status as the cells' table gives it (unbracketed: the best run at the grid's edge)."""
    if sweep is not None and skipped_clause(sweep):
        err.message += skipped_clause(sweep)
        err.args = (err.message,)
    unit = batch_unit or (sweep.batch_unit if sweep is not None else "")
    if left_out:
        named = "; ".join(f"{c.label()}: {c.status}" for c in left_out)
        one = len(left_out) == 1
        more = (
            f"{len(left_out)} unbracketed cell{'' if one else 's'} left out of the laws "
            f"({named}): extend {'its grid' if one else 'their grids'} past the best run, or "
            f"keep {'it' if one else 'them'} with --include-unbracketed (include_unbracketed=True)"
        )
        err.hint = f"{err.hint}; {more}" if err.hint else more
    if len(cells) > 4:
        return err
    found = "; ".join(
        f"{c.label()}: lr* {format_g(c.lr, 3)}"
        + (f", B* {si(c.batch)}{f' {unit}' if unit else ''}" if c.two_d else "")
        + f" (loss {format_loss(c.loss)}{_marked(c)})"
        for c in cells
    )  # fmt: skip
    more = f"the optima located: {found} (Python: hparams.locate_optima)"
    err.hint = f"{err.hint}; {more}" if err.hint else more
    return err


def _marked(cell: CellOptimum) -> str:
    """``; STATUS`` for an optimum the cells' table does not mark ``ok`` (an unbracketed
    one's lr or batch at the grid's edge, one bounded by divergence, one the grid pins),
    in full: the hint has no notes to point to; ``""`` for an ``ok`` one."""
    said = shown_status(cell)
    return "" if said == "ok" else f"; {said}"
