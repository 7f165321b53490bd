"""What ``fit_hparams`` returns: located cells, the laws across them, predictions, JSON."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from scalinglab._deprecated import AsDictAlias
from scalinglab._errors import DataError, check_keywords, check_level
from scalinglab._formats import read_result
from scalinglab._json import dumps, json_ready
from scalinglab._keywords import methods_checked
from scalinglab._no_intervals import asked
from scalinglab._paths import as_path
from scalinglab._reader_words import FitWords, reader_words
from scalinglab._result_names import write_result
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.data._quantity_args import prediction_point
from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.hparams import _repr
from scalinglab.hparams._batch_unit import check_seq_len, seq_len_note
from scalinglab.hparams._beyond import beyond_cells
from scalinglab.hparams._carried import carried_warnings
from scalinglab.hparams._choice import HparamLawChoice
from scalinglab.hparams._fixed_batch import prediction_note
from scalinglab.hparams._interval import Interval
from scalinglab.hparams._laws import HparamLaw
from scalinglab.hparams._optimum import CellOptimum
from scalinglab.hparams._point import fit_point, flops_slip
from scalinglab.hparams._prediction import HparamPrediction
from scalinglab.hparams._refit import solvers_ran
from scalinglab.hparams._saved import FORMAT, fit_dict, fit_fields
from scalinglab.hparams._spread import loss_interval_missing, loss_note, prediction_interval
from scalinglab.hparams._unidentified import prediction_caveats
from scalinglab.laws import get_law

__all__ = ["HparamFit", "HparamPrediction", "prediction_point"]


@methods_checked()
@dataclass(frozen=True)
class HparamFit(AsDictAlias):
    """Located optima of every cell of a sweep and the laws fitted across them.

    Attributes:
        cells: Every cell's located optimum (flagged ones included).
        lr_law: The law of the optimal peak learning rate.
        batch_law: The law of the optimal batch, or ``None`` when batch was not swept.
        loss_law: The law of the loss at the optimum, or ``None`` with too few cells.
        batch_unit: ``"tokens"`` or ``"sequences"``.
        seq_len: Tokens per sequence, when known.
        used: Indices of the cells the laws were fitted to.
        notes: Cells left out and why, diverged runs, anything assumed, a coefficient at
            the edge of identified (the seed would decide a warning); warnings apart.
        settings: The options of the fit (span, sharpness, diverged, bootstrap, seed,
            robust_loss...).
        source: Where the runs came from.
        law_choice: How the lr* and B* forms were chosen (``law="auto"``): the candidates'
            leave-one-size-out regrets and the reason; ``None`` when the forms were named, or
            the cells' design left one of each (one D, one N: a note says so).
        params_convention: Which parameters the sweep's N counts, in words, from the
            column it was read from (``""``: not recorded, in older files); a plan
            compares it with its own N*'s.
        flops_convention: How the sweep counted FLOPs, and the rule ``predict`` computes C
            by when given none (``None`` in files saved before fits recorded it: 6·N·D).
        warnings: Reasons not to trust the laws, one line each (as :attr:`FitResult.warnings
            <scalinglab.FitResult.warnings>`): what reading the runs warned of (flops off
            6·N·D), runs breaking ``tokens = batch x steps x seq_len``, several corpora
            pooled, intervals from too few resamples, a law the cells do not identify.
    """

    cells: tuple[CellOptimum, ...]
    lr_law: HparamLaw
    batch_law: HparamLaw | None
    loss_law: HparamLaw | None
    batch_unit: str
    seq_len: int | None
    used: tuple[int, ...]
    notes: tuple[str, ...]
    settings: Mapping[str, object] = field(default_factory=dict)
    source: str = ""
    law_choice: HparamLawChoice | None = None
    params_convention: str = ""
    flops_convention: FlopsConvention | None = None
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.fit(self)

    def _repr_html_(self) -> str:  # a notebook: the tables `hparams fit` prints
        from scalinglab.hparams._html_view import hparams_html

        return hparams_html(self)

    @property
    def level(self) -> float:
        """Coverage of the intervals."""
        return self.lr_law.level

    @property
    def solver(self) -> str | None:
        """Which solver ran the laws' fits, each once (:attr:`HparamLaw.solver
        <scalinglab.hparams.HparamLaw.solver>`); ``None`` in files saved before it was."""
        return solvers_ran(*(f.solver for f in (self.lr_law, self.batch_law, self.loss_law) if f))

    @property
    def has_intervals(self) -> bool:
        """Whether the fit drew intervals (none with ``bootstrap=0``: each is ``(nan, nan)``)."""
        return any(math.isfinite(lo) for lo, _ in self.lr_law.intervals.values())

    def curvature(self) -> np.ndarray:
        """How sharp the optimum is, over the cells the laws used.

        Returns:
            The median of their surfaces' Hessians of loss/loss* in (ln lr, ln batch):
            ``(2, 2)``, or ``(1, 1)`` where a cell swept lr alone.
        """
        hs = [self.cells[i].curvature() for i in self.used]
        k = min(h.shape[0] for h in hs)
        return np.median(np.stack([h[:k, :k] for h in hs]), axis=0)

    def penalty(self) -> dict[str, float]:
        """Median over the used cells of the loss penalty (relative) of lr and batch x2 and /2.

        Read on each cell's surface at its optimum, one of the two off by the factor: with the
        cubic term in log lr, ``lr x2`` costs more than ``lr /2``; the batch moves alone
        (lr held at the cell's lr*).

        Returns:
            ``"lr x2"``, ``"lr /2"`` (and ``"batch x2"``, ``"batch /2"`` where every cell
            swept the batch too) -> the relative loss penalty.
        """
        moves = {"lr x2": (2.0, 1.0), "lr /2": (0.5, 1.0)}
        if all(self.cells[i].two_d for i in self.used):
            moves |= {"batch x2": (1.0, 2.0), "batch /2": (1.0, 0.5)}
        out = {}
        for name, (f_lr, f_b) in moves.items():
            values = [
                float(c.surface(c.lr * f_lr, c.batch * f_b if c.two_d else None)) / c.loss - 1.0
                for c in (self.cells[i] for i in self.used)
            ]
            out[name] = float(np.median(values))
        return out

    def predict(
        self,
        *,
        params: float | str | None = None,
        tokens: float | str | None = None,
        flops: float | str | None = None,
        seq_len: int | None = None,
        level: float | None = None,
        **unknown: object,
    ) -> HparamPrediction:
        """lr* and B* (with intervals), loss at the optimum, and how flat it is.

        Args:
            params: Parameters N, counted as the sweep counted them
                (:attr:`params_convention`; required where a law reads N).
            tokens: Training tokens D (required where a law reads D).
            flops: Training FLOPs, counted as the sweep counted them (default: by the
                sweep's :attr:`flops_convention`; 6·N·D for a fit saved without one); alone
                (no params, tokens) where the lr* and B* laws read C alone.
            seq_len: Tokens per sequence for the batch in sequences (default: the fit's).
            level: Coverage of the intervals (default: the fit's), off the fit's draws.
            **unknown: Any other keyword is refused, with the nearest one it takes.

        Returns:
            The prediction: lr*, B* and the loss at the optimum with their intervals, the
            penalties of :meth:`penalty`, its notes and warnings.

        Raises:
            ConfigError: A non-positive N, D, FLOPs or ``seq_len``; a level outside (0, 1);
                a keyword it does not take (with the nearest one it does); no params or
                tokens where the lr* and B* laws read them (the laws that read what is
                missing are named; a loss law of N and D is left out, with a note, where
                the lr* and B* laws answer without one of them); no ``flops`` for laws of C
                when the sweep's FLOPs give no rule.
        """
        check_keywords(
            unknown, ("params", "tokens", "flops", "seq_len", "level"), call="HparamFit.predict"
        )
        level = self.level if level is None else check_level(level)
        check_seq_len(seq_len)  # 0 is no length, not "the fit's"
        # (N, D) and C as the sweep counts it or as given; C alone for laws of C alone
        where, c, how, off = fit_point(self, params, tokens, flops)
        lr, lr_iv, _ = self.lr_law.predict(level=level, **where)
        batch = math.nan
        b_iv = (math.nan, math.nan)
        if self.batch_law is not None:
            batch, b_iv, _ = self.batch_law.predict(level=level, **where)
        loss = math.nan
        l_iv = (math.nan, math.nan)
        notes = flops_slip(self, where, params=params, tokens=tokens, flops=flops)  # a slip?
        if self.batch_law is None:  # lr alone was swept: say at which batch lr* holds
            notes.append(prediction_note([self.cells[i] for i in self.used], self.batch_unit))
        # off the cells' design, or a value a law does not determine there (no loss* then)
        caveats, no_loss = prediction_caveats(self, where)
        reads = get_law(self.loss_law.formula).variables.values() if self.loss_law else ()
        if self.loss_law is not None and not set(reads) <= where.keys():  # at C alone
            notes.append(f"no loss at the optimum: its law {self.loss_law.formula!r} reads N "
                         "and D, not given (params=, tokens=; --params, --tokens)")  # fmt: skip
        elif self.loss_law is not None and not no_loss:
            loss, _, drawn = self.loss_law.predict(level=level, **where)
            # the cells' minima scatter about the law more than its bootstrap says
            l_iv = prediction_interval(loss, drawn, self.loss_law.residual_scale, level)
            missing = loss_interval_missing(  # why it has none, where it has none
                l_iv, requested=asked(self.settings), drawn=self.has_intervals,
                pinned=any(self.cells[i].pinned for i in self.used))  # fmt: skip
            notes.append(loss_note(self.loss_law, missing=missing))
        notes += [how] if how else []  # after what lr* and the loss are: where C came from
        said = seq_len_note(self.batch_unit, self.seq_len, seq_len)  # another length's B*
        notes += [said] if said else []
        penalty = self.penalty()
        return HparamPrediction(
            params=where.get("params", math.nan),
            tokens=where.get("tokens", math.nan),
            flops=c,
            lr=lr,
            lr_interval=Interval(*lr_iv),
            batch=batch,
            batch_interval=Interval(*b_iv),
            batch_unit=self.batch_unit,
            seq_len=self.seq_len if seq_len is None else seq_len,
            loss=loss,
            loss_interval=Interval(*l_iv),
            penalty=penalty,
            level=level,
            rule=f"fit: {self.lr_law.formula}"
            + (f"; {self.batch_law.formula}" if self.batch_law else "")
            + (f" ({self.source})" if self.source else ""),
            warnings=self._carried(level, off + beyond_cells(self, where) + caveats),
            notes=tuple(notes),
            conventions=f"N {self.params_convention}" if self.params_convention else "",
        )

    @property
    def reads_flops(self) -> bool:
        """Whether a law of the fit reads the training FLOPs C (then C matters to predict)."""
        laws = (self.lr_law, self.batch_law, self.loss_law)
        return any("flops" in get_law(f.formula).variables.values() for f in laws if f)

    def _carried(self, level: float, own: tuple[str, ...]) -> tuple[str, ...]:
        """A prediction's warnings, each once: the fit's (as ``predict --fit`` carries a loss
        fit's) but those it says for itself (resamples at ``level``, laws), then ``own``."""
        drawn = 0 if self.lr_law.samples is None else len(self.lr_law.samples)
        few = few_resamples_warning(drawn, level)
        return tuple(w for w in dict.fromkeys([*carried_warnings(self), few, *own]) if w)

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """Everything, bootstrap draws included, as :meth:`save` writes it.

        Returns:
            A JSON-ready dictionary, the fit's format named under ``"format"``.
        """
        return fit_dict(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the fit as JSON (read it back with :meth:`load`).

        Args:
            path: The file to write.

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        write_result(path, dumps(self.to_dict(), indent=1) + "\n", what="the hyperparameter fit")

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, option: str | None = None) -> HparamFit:
        """Read a fit written by :meth:`save`.

        Args:
            path: The file :meth:`save` wrote.
            option: The command-line option that gave ``path``, named in the hint of a file
                that is not a fit; ``None`` (a Python call): ``HparamFit.load`` is named.

        Returns:
            The fit, as it was saved.

        Raises:
            DataError: The file is missing or is not a saved hyperparameter fit (a field
                missing or malformed included).
        """
        name, command = os.fspath(as_path(path)), "scalinglab hparams fit SWEEP --out hp.json"
        words = FitWords(cls="HparamFit", command=command, runs_call="scalinglab.fit_hparams({})",
                         runs_command="scalinglab hparams fit {} --out hp.json")  # fmt: skip
        data = read_result(name, what="hyperparameter fit", format=FORMAT,
                           **reader_words(option, words))  # fmt: skip
        try:
            return cls(**fit_fields(data))
        except (KeyError, TypeError, ValueError) as err:
            raise DataError(f"a hyperparameter fit with a missing or malformed field ({err})",
                            source=name, hint=f"write it again with `{command}`") from None  # fmt: skip
