"""Loss on one distribution from loss on another, one law per training corpus.

::

    runs = scalinglab.read_runs("models.csv", columns={"loss": "loss_c4_val"})
    l2l = fit_loss_to_loss(runs, x="loss_c4_val", y="loss_paloma_code", group="dataset")
    l2l.predict(3.1)["rpj"]; l2l.save("l2l.json")  # L_y at L_x = 3.1, with an interval

Each group is an ordinary :func:`scalinglab.fit` of :class:`LossToLoss` (Brandfonbrener et
al. 2024) with its bootstrap, diagnostics and measured extrapolation error, so a prediction's
interval is the one :meth:`FitResult.predict` gives; this module splits the runs and keeps the
fits together.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from scalinglab._defaults import LOSS2LOSS_BOOTSTRAP
from scalinglab._errors import DataError, check_keywords, check_text
from scalinglab._keyed import Keyed
from scalinglab._keywords import keywords_checked, methods_checked
from scalinglab._progress import Progress, prefixed, resolve_progress
from scalinglab.data._repeated_names import repeat_warnings
from scalinglab.downstream import _l2l_io
from scalinglab.downstream._l2l_columns import check_columns, check_loss_names
from scalinglab.downstream._l2l_losses import judge_losses, perplexity_warnings
from scalinglab.downstream._l2l_predict import (
    LossToLossPrediction,
    fit_warnings,
    predict_group,
    x_losses,
)
from scalinglab.downstream._laws import LossToLoss
from scalinglab.fit import FitResult

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab.data import RunTable

__all__ = ["ALL", "LossToLossFit", "LossToLossPrediction", "fit_loss_to_loss"]

#: The key of the one fit made without a group.
ALL = "all"


@methods_checked()
@dataclass(frozen=True)
class LossToLossFit:
    """Loss-to-loss laws ``L_y = K·(L_x − E_x)^κ + E_y`` fitted to runs, one per group.

    Attributes:
        x: The column of the loss predicted from (``L_x``).
        y: The column of the loss predicted (``L_y``).
        group: The text column whose values split the runs (the training corpus), or
            ``None`` for one fit of every run (under the key :data:`ALL`).
        fits: Each group's fit, by its value.
        skipped: Each group too small to fit, and why.
        level: Coverage of the intervals.
        n_bootstrap: Resamples of each group's runs.
        seed: Seed of the resampling.
        source: Where the runs came from.
        warnings: Reasons not to trust the fits, every group's in one list, each said
            after its group (``"rpj: E_x is not identified: ..."``; without a group, as
            the fit says it): what the text of ``loss2loss fit`` warns.
    """

    x: str
    y: str
    group: str | None
    fits: Mapping[str, FitResult]
    skipped: Mapping[str, str] = field(default_factory=dict)
    level: float = 0.9
    n_bootstrap: int = 0
    seed: int = 0
    source: str = ""

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every group's warnings (:attr:`FitResult.warnings`, and its parameters at a bound
        that no warning explains), each after its group's name and ``": "``; then ``L_x`` or
        ``L_y`` that look like perplexity and a repeated column the file's table left out,
        said once (every group's table is the file's)."""
        where = {g: "" if self.group is None else f"{g}: " for g in self.fits}
        # the file's, once: every group's table's (a fit's warnings; an older file's notes)
        lines = [f"warning: {w}" for r in self.fits.values() for w in r.warnings]
        lines += [n for r in self.fits.values() for n in r.notes]
        file = dict.fromkeys((*perplexity_warnings(lines), *repeat_warnings(lines)))
        own = (
            where[g] + w
            for g, r in self.fits.items()
            for w in fit_warnings(r, table=False)
            if w not in file
        )
        return (*own, *file)

    def __repr__(self) -> str:  # one line: no samples
        groups = ", ".join(self.fits)
        return (
            f"LossToLossFit(x={self.x!r}, y={self.y!r}, group={self.group!r}, fits=[{groups}], "
            f"skipped={len(self.skipped)}, bootstrap={self.n_bootstrap})"
        )

    def predict(
        self, loss: ArrayLike, *, level: float | None = None, **unknown: object
    ) -> dict[str, LossToLossPrediction]:
        """``L_y`` of every group at the losses ``loss`` on ``x`` (``L_x``).

        The interval is :meth:`FitResult.predict`'s for one new run. An ``L_x`` at or below
        the group's fitted ``E_x`` (the irreducible loss of ``x``, which no model reaches)
        has no ``L_y``: NaN, and a note says why; one outside the fitted ``L_x`` has a note
        that the law is extrapolated there.

        Args:
            loss: ``L_x``: one loss or several.
            level: Coverage of the intervals; defaults to :attr:`level`.
            **unknown: Any other keyword is refused, with the nearest one it takes.

        Returns:
            Each group's prediction by name; a name it lacks raises
            :class:`~scalinglab._errors.MissingKeyError` (a ``KeyError``) naming the groups.

        Raises:
            DataError: A loss that is not positive and finite.
            ConfigError: A loss that is not a number, a keyword it does not take (with the
                nearest one it does).
        """
        check_keywords(unknown, ("loss", "level"), call="LossToLossFit.predict")
        values = x_losses(loss, x=self.x)
        preds = ((g, predict_group(r, values, level=level)) for g, r in self.fits.items())
        return Keyed(preds, what="group")  # an unknown group names those there are

    def to_dict(self) -> dict[str, Any]:
        """The fit as :meth:`save` writes it.

        Returns:
            A JSON-ready dictionary: each group's fit, resamples included.
        """
        return _l2l_io.to_dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str = "<dict>") -> LossToLossFit:
        """Rebuild a fit from :meth:`to_dict`'s form.

        Args:
            d: The dictionary :meth:`to_dict` gives.
            source: What it came from, named in errors (a file's path).

        Returns:
            The fit.
        """
        return _l2l_io.from_dict(d, source=source)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fit as JSON (``load`` reads it back, resamples included).

        Args:
            path: The file to write.

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        _l2l_io.save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LossToLossFit:
        """Read a fit written by :meth:`save`.

        Args:
            path: The file :meth:`save` wrote.

        Returns:
            The fit, as it was saved.
        """
        return _l2l_io.load(path)


@keywords_checked("scalinglab.fit_loss_to_loss")
def fit_loss_to_loss(
    runs: RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    x: str,
    y: str,
    group: str | None = None,
    bootstrap: int = LOSS2LOSS_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    progress: Progress | bool | None = None,
) -> LossToLossFit:
    """Fit ``L_y = K·(L_x − E_x)^κ + E_y`` between two loss columns, per group.

    Args:
        runs: The runs: a :class:`RunTable` (``x`` one of its columns, or the column its
            loss was read from), or a file or DataFrame, read with ``x`` as the loss.
            Select runs first with :meth:`RunTable.where`. A run store's runs:
            ``RunStore(path).to_run_table()``, its stored loss ``loss``, its other losses
            the columns of the runs' extra (``loss2loss fit --store``).
        x: The loss predicted from (``L_x``).
        y: The loss predicted (``L_y``).
        group: A text column: one fit per value (the law holds for one training
            distribution); a group too small to fit is skipped, with why.
        bootstrap: Resamples of each group's runs (0 for none).
        level: Coverage of the intervals.
        seed: Seed of the resampling.
        progress: Called as ``progress(stage, done, total)`` with :func:`scalinglab.fit`'s
            stages (``"fit"``, ``"bootstrap"``), each after its group with ``group``
            (``"rpj: bootstrap"``); ``True`` prints a line on stderr.

    Returns:
        A :class:`LossToLossFit`: one fitted law per group (``.fits``, keyed ``"all"``
        without ``group``), the groups skipped and why; ``.predict(L_x)`` gives ``L_y`` per group.

    Raises:
        ConfigError: ``x`` equal to ``y``, a column that is no loss (``acc_<task>``,
            ``params``), or one that is not there.
        DataError: No group with runs enough to fit (without ``group``: too few runs).
    """
    from scalinglab import fit
    from scalinglab.data import RunTable
    from scalinglab.data._readers import to_table

    examples = {"x": "loss_c4", "y": "loss_code", "group": "dataset"}  # x=5: "x", not "y"
    for name, column in (("x", x), ("y", y), ("group", "" if group is None else group)):
        check_text(column, what=f"{name} (a column's name)", example=f"{name}={examples[name]!r}")
    check_loss_names(x, y)  # x == y, or a column that is no loss (acc_hellaswag)
    said = resolve_progress(progress)  # True: a text line on stderr
    reads = (y, *([group] if group else []))  # a repeated y: refused, not left out
    table = (
        runs
        if isinstance(runs, RunTable)
        # x is the loss read and the law's one variable L: no size column needed
        else to_table(runs, x={"L": x}, y=x, loss_option="x=COLUMN", reads=reads)
    )
    check_columns(table, x=x, y=y, group=group)
    table = judge_losses(table, x=x, y=y)  # kept as said where the caller judged them
    keys = np.array(table.labels[group]) if group is not None else np.full(len(table), ALL)
    fits: dict[str, FitResult] = {}
    skipped: dict[str, str] = {}  # a group too small to fit does not stop the others
    for key in dict.fromkeys(keys.tolist()):
        part = table.select(keys == key)
        law = LossToLoss(column=x, floor=0.999 * float(np.min(part[x])))
        try:
            heard = said if group is None else prefixed(said, key)  # "rpj: bootstrap"
            fits[key] = fit(law, part, y=y, bootstrap=bootstrap, level=level, seed=seed,
                            progress=heard, compare=False)  # fmt: skip
        except DataError as err:
            if len(part) <= len(law.params):  # fit's hint offers laws of fewer
                # parameters (power-law:flops); loss-to-loss has this one law
                err.hint = "loss-to-loss fits this one law: add runs" + (
                    f" of that {group}" if group is not None else ""
                )
            if group is None:
                raise
            skipped[key] = str(err).split(": ", 1)[-1]
    if not fits:
        raise DataError(
            f"no {group} value has runs enough to fit: "
            + "; ".join(f"{g}: {why}" for g, why in skipped.items()),
            source=table.source,
        )
    if group is None:  # pooled corpora: --group fits one law per value, offered too
        fits = {k: _per_value(r, table) for k, r in fits.items()}
    return LossToLossFit(
        x, y, group, fits, skipped, level, bootstrap, seed, table.describe_source()
    )


def _per_value(result: FitResult, table: RunTable) -> FitResult:
    """``result`` whose warning of runs of several corpora fitted as one (``fit``'s, which
    offers ``--where`` alone) offers ``--group`` too, which fits one law per corpus."""
    from dataclasses import replace

    from scalinglab.data._training_data import mixed_training_data

    offered = dict(zip(mixed_training_data(table.labels),
                       mixed_training_data(table.labels, group=True), strict=True))  # fmt: skip
    return replace(result, warnings=tuple(offered.get(w, w) for w in result.warnings))
