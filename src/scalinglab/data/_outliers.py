"""Diverged runs: a loss that is not a number, or one far above the trend of the rest.

The trend is a Theil–Sen line (the median of pairwise slopes; Sen 1968) of log-loss against
log-size — log flops if present, else log params, else log tokens — which up to ~29% of
outliers cannot pull. A run is flagged when its log-loss residual exceeds

    max(SIGMAS · σ, MIN_EXCESS),   σ = 1.4826 · MAD of the residuals (a robust std. dev.),

with ``SIGMAS = 8`` and ``MIN_EXCESS = 0.1`` (10% in loss). Why these numbers:

- an IsoFLOP ladder spreads losses around any one-variable trend (runs far from the
  optimal size at a budget are worse); on the simulated default ladder with 1–2% noise
  σ ≈ 0.04 and the largest residual stays below 4σ, so 8σ never fires on clean data;
- on the Chinchilla runs (Hoffmann et al. 2022, as extracted by Besiroglu et al. 2024)
  σ ≈ 0.016: the 5 highest-loss runs, which the replication drops, lie 9.9σ–33σ above the
  trend; so do 2 more runs from the same smallest budget (8.8σ and 8.7σ), so 7 are flagged.
  No rule with an untuned threshold separates 9.9σ from 8.8σ, so we flag the superset;
- the 0.1 floor keeps tiny, near-perfect tables (σ → 0) from flagging ordinary noise.

Fewer than :data:`MIN_RUNS` runs with a finite loss are too few to call any of them "far
above the rest"; then only non-finite losses are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g, join_more
from scalinglab._looks import is_store_source
from scalinglab._quantiles import median
from scalinglab.data._copies import with_copies_note
from scalinglab.data._noted_runs import KEPT as _KEPT
from scalinglab.data._noted_runs import LOOKS as _LOOKS
from scalinglab.data._noted_runs import NOTED_EACH
from scalinglab.data._raw import NO_ROW
from scalinglab.data._table import RunTable

__all__ = [
    "MIN_EXCESS",
    "MIN_RUNS",
    "NOTED_EACH",
    "READERS",
    "SIGMAS",
    "Outlier",
    "detect",
    "excluded_notes",
    "find_outliers",
    "kept_warning",
    "screen",
]

Array = NDArray[np.float64]

SIGMAS = 8.0
MIN_EXCESS = 0.1
MIN_RUNS = 6
_MAX_PAIRS = 2_000_000  # Theil–Sen on all pairs up to ~2,000 runs, a fixed sample beyond
#: Who takes ``drop_outliers=True`` in Python, as the messages say (a table of evaluations
#: says its own reader).
READERS = "read_runs() or fit()"


@dataclass(frozen=True)
class Outlier:
    """One suspicious run.

    Attributes:
        index: Position in the table.
        run: Run id.
        row: Row in the source.
        reason: Why, in words.
        invalid: True if the loss is not a positive finite number (a fit cannot use it).
    """

    index: int
    run: str
    row: int
    reason: str
    invalid: bool

    @property
    def named(self) -> str:
        """``run 'x' (row k)``; ``run 'x'`` from a source without rows (a run store)."""
        return f"run {self.run!r}" + ("" if self.row == NO_ROW else f" (row {self.row})")


def _theil_sen(x: Array, y: Array) -> tuple[float, float]:
    """Intercept and slope of the Theil–Sen line through ``(x, y)``."""
    n = len(x)
    if n * (n - 1) // 2 <= _MAX_PAIRS:
        i, j = np.triu_indices(n, k=1)
    else:  # deterministic sample of pairs: same data, same answer
        rng = np.random.Generator(np.random.PCG64(0))
        i, j = rng.integers(0, n, _MAX_PAIRS), rng.integers(0, n, _MAX_PAIRS)
    dx = x[j] - x[i]
    ok = dx != 0
    slope = median((y[j] - y[i])[ok] / dx[ok]) if ok.any() else 0.0
    return median(y - slope * x), slope


def _size(table: RunTable) -> tuple[str, Array] | None:
    for name in ("flops", "params", "tokens"):
        if table.has(name):
            return name, table[name]
    return None


def detect(
    table: RunTable, *, sigmas: float = SIGMAS, min_excess: float = MIN_EXCESS
) -> list[Outlier]:
    """Every run whose loss is unusable or far above the trend, in table order."""
    if not table.has("loss"):
        return []
    loss = table["loss"]
    found: dict[int, Outlier] = {}
    for i in np.flatnonzero(~(np.isfinite(loss) & (loss > 0))).tolist():
        what = "missing or NaN" if np.isnan(loss[i]) else format_g(loss[i])
        reason = f"loss is {what}" + " (diverged)" * bool(np.isinf(loss[i]))
        found[i] = Outlier(i, table.runs[i], table.rows[i], reason, invalid=True)
    size = _size(table)
    if size is not None:
        name, x = size
        usable = np.flatnonzero(np.isfinite(loss) & (loss > 0) & np.isfinite(x) & (x > 0))
        if len(usable) >= MIN_RUNS:
            logx, logy = np.log(x[usable]), np.log(loss[usable])
            intercept, slope = _theil_sen(logx, logy)
            resid = logy - (intercept + slope * logx)
            sigma = 1.4826 * median(np.abs(resid - median(resid)))
            limit = max(sigmas * sigma, min_excess)
            for k in np.flatnonzero(resid > limit).tolist():
                i = int(usable[k])
                reason = (
                    f"loss {format_g(loss[i], 4)} is {np.expm1(resid[k]):.0%} above the trend of "
                    f"loss against {name} (at most {np.expm1(limit):.0%} expected)"
                )
                found[i] = Outlier(i, table.runs[i], table.rows[i], reason, invalid=False)
    return [found[i] for i in sorted(found)]


def find_outliers(
    table: RunTable, *, sigmas: float = SIGMAS, min_excess: float = MIN_EXCESS
) -> tuple[tuple[str, str], ...]:
    """Runs that look diverged: non-finite loss, or loss far above the trend of the rest.

    Args:
        table: The runs.
        sigmas: How many robust standard deviations above the trend flag a run.
        min_excess: Smallest log-loss excess that flags a run, whatever the spread.

    Returns:
        ``(run id, reason)`` of each suspicious run, in table order.
    """
    return tuple((o.run, o.reason) for o in detect(table, sigmas=sigmas, min_excess=min_excess))


def _listing(outliers: list[Outlier], limit: int = 5) -> str:
    text = "; ".join(f"{o.named}: {o.reason}" for o in outliers[:limit])
    return text + (f"; and {len(outliers) - limit} more" if len(outliers) > limit else "")


def excluded_notes(outliers: list[Outlier]) -> tuple[str, ...]:
    """A note per run excluded, or one for them all past :data:`NOTED_EACH`, saying where
    every one is listed: that one names the first few (a table of 5,000 runs with 600 NaN
    losses printed 600 lines), and ``excluded`` keeps them all."""
    if len(outliers) <= NOTED_EACH:
        return tuple(f"{o.named} excluded: {o.reason}" for o in outliers)
    return (
        f"{len(outliers)} runs excluded: {_listing(outliers)} — every one is listed under "
        '"excluded" in `fit --json` (the run table\'s .excluded in Python)',
    )


#: The note of an outlier check asked for that excluded nothing.
NONE_FOUND = "outlier check: no run looks diverged, none excluded"


def screen(
    table: RunTable, *, drop: bool, readers: str = READERS, unusable_hint: str = ""
) -> RunTable:
    """Apply the outlier policy of :func:`read_runs`; never silently.

    Unusable losses raise unless ``drop``; high ones are kept with a note unless ``drop``;
    with ``drop`` every flagged run is removed and recorded in ``excluded`` and the notes.
    The error names the loss column as the source does, and says what to do: pass
    ``--drop-outliers``, or ``drop_outliers=True`` to one of ``readers`` in Python (a
    command without ``--drop-outliers`` says its own ``unusable_hint``). The runs
    kept that copy another under another name are noted (:func:`with_copies_note`).

    Raises:
        DataError: For runs with a non-finite loss (without ``drop``), or if none are left.
    """
    return with_copies_note(_screen(table, drop=drop, readers=readers, hint=unusable_hint))


def _screen(table: RunTable, *, drop: bool, readers: str, hint: str) -> RunTable:
    found = detect(table)
    if not found:
        if drop and NONE_FOUND not in table.notes:  # asked for: say the check ran
            return replace(table, notes=(*table.notes, NONE_FOUND))
        return table
    invalid = [o for o in found if o.invalid]
    if invalid and not drop:
        runs = "run" if len(invalid) == 1 else f"{len(invalid)} runs"
        raise DataError(
            f"{runs} without a usable loss (diverged?): {_listing(invalid)}",
            source=table.source,
            row=None if invalid[0].row == NO_ROW else invalid[0].row,
            column=table.origins.get("loss", "loss"),  # the user's name for it
            hint=hint
            or f"pass --drop-outliers ({_in_python(table.source, readers)}) to exclude them",
        )
    if not drop:
        python = _in_python(table.source, readers)
        notes = tuple(f"{o.named}{_LOOKS}{o.reason}{_KEPT}({python}) to exclude" for o in found)
        known = {run for run, _ in table.flagged}  # screened again (--where on a store)
        flagged = tuple((o.run, o.reason) for o in found if o.run not in known)
        return replace(table, notes=table.notes + notes, flagged=table.flagged + flagged)
    if len(found) == len(table):
        raise DataError(f"every run looks diverged: {_listing(found)}", source=table.source)
    keep = np.ones(len(table), dtype=np.bool_)
    keep[[o.index for o in found]] = False
    kept = table.select(keep)
    return replace(
        kept,
        excluded=table.excluded + tuple((o.run, o.reason) for o in found),
        selected_from=table.selected_from,  # the excluded runs are counted as excluded
        notes=table.notes + excluded_notes(found),
    )


def _in_python(source: str, readers: str) -> str:
    """How Python asks to drop the runs read from ``source``: ``drop_outliers=True`` to one
    of ``readers``; for a run store's, the call that reads it again so, since ``read_runs``
    refuses a store and ``fit`` a table read already."""
    if is_store_source(source):
        return f"scalinglab.RunStore({source!r}).to_run_table(drop_outliers=True) in Python"
    return f"drop_outliers=True to {readers}"


def kept_warning(table: RunTable, *, readers: str = READERS) -> tuple[str, ...]:
    """The one warning of a fit to ``table`` that keeps runs the screen flagged
    (:attr:`RunTable.flagged`; each is named in a note, with why): the fit is not to be
    trusted as it stands, since a run far above the trend can move its coefficients and
    plans a lot. It names the first few runs itself: ``report`` shows its notes only on the
    page, and the terminal said "named in the notes" of runs it never named."""
    n = len(table.flagged)
    if not n:
        return ()
    runs = "1 run that looks diverged is" if n == 1 else f"{n} runs that look diverged are"
    named = join_more([run for run, _ in table.flagged], 8)
    return (
        f"{runs} kept in the fit ({named}; why, in the notes): a loss far above the trend of the "
        "rest can move the coefficients and the plans made from them — pass "
        f"--drop-outliers ({_in_python(table.source, readers)}) to exclude them, or check "
        "them and keep them knowingly",
    )
