"""A published rule for the optimal learning rate and batch at (N, D): :class:`HparamPreset`,
the presets themselves in :mod:`._presets`.

Its ``reads`` (the quantities its rules read) replaced ``reads_flops``; the old keyword is
read for one release with a :class:`DeprecationWarning` (``reads_flops=True`` is
``reads=("flops",)``, ``False`` the rules of N and D, ``reads=("params", "tokens")``), in the
constructor and in :func:`dataclasses.replace` alike, which passes it on to ``__init__``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab._keywords import keywords_checked
from scalinglab._warn import warn_at_caller
from scalinglab.data._flops_rule import PLAIN_6ND
from scalinglab.data._quantity_args import prediction_point
from scalinglab.hparams import _repr
from scalinglab.hparams._batch_unit import check_seq_len
from scalinglab.hparams._fitted_range import FittedRange
from scalinglab.hparams._flops_convention import AS_GIVEN, flops_mismatch
from scalinglab.hparams._interval import Interval
from scalinglab.hparams._params_count import NON_EMBEDDING
from scalinglab.hparams._point import derived_point, partial_point
from scalinglab.hparams._result import HparamPrediction

__all__ = ["READS", "HparamPreset"]

#: What a preset's rules may read, as the run table names it: N, D and C.
READS = ("params", "tokens", "flops")
#: What rules of N and D read (the default, and ``reads_flops=False``).
_ND = ("params", "tokens")


@dataclass(frozen=True)
class HparamPreset:
    """A published rule: optimal peak learning rate and batch (in tokens) at (N, D).

    Attributes:
        name: Short name (``steplaw2025``).
        citation: The paper, and where in it the numbers are.
        lr_formula: The learning-rate rule as the paper writes it.
        batch_formula: The batch rule (tokens per step).
        conventions: Which N, which C, peak or final LR, optimiser, schedule.
        lr_rule: ``(params, tokens, flops) -> lr``.
        batch_rule: ``(params, tokens, flops) -> batch in tokens``.
        fitted: The sizes the source fitted the rule on (``None``: not recorded here).
        params_convention: Which parameters its N counts, in words (as
            :attr:`HparamFit.params_convention`).
        reads: The quantities its rules read (``params``, ``tokens``, ``flops``): where
            they read C (:attr:`reads_flops`), a given C more than
            :data:`~scalinglab.hparams._flops_convention.FLOPS_FACTOR` off 6·N·D is warned
            of, otherwise a given C changes no number and a note says so; where they read C
            alone, C alone predicts. ``reads_flops=`` (a keyword of the constructor and of
            :func:`dataclasses.replace`, deprecated) sets it as the module docstring says.
    """

    name: str
    citation: str
    lr_formula: str
    batch_formula: str
    conventions: str
    lr_rule: Callable[[float, float, float], float]
    batch_rule: Callable[[float, float, float], float]
    fitted: FittedRange | None = None
    params_convention: str = NON_EMBEDDING
    reads: tuple[str, ...] = _ND

    # written out (a dataclass keeps a class's own __init__) to read the old reads_flops=
    def __init__(
        self,
        name: str,
        citation: str,
        lr_formula: str,
        batch_formula: str,
        conventions: str,
        lr_rule: Callable[[float, float, float], float],
        batch_rule: Callable[[float, float, float], float],
        fitted: FittedRange | None = None,
        params_convention: str = NON_EMBEDDING,
        reads: tuple[str, ...] = _ND,
        *,
        reads_flops: bool | None = None,
    ) -> None:
        if reads_flops is not None:  # replace() passes reads too: the old keyword wins
            reads = ("flops",) if reads_flops else _ND
            warn_at_caller(
                f"HparamPreset(reads_flops={reads_flops!r}) is deprecated and goes in the next "
                f"release: use reads={reads!r} (the quantities its rules read: params, "
                "tokens, flops)",
                DeprecationWarning,
            )
        if not (isinstance(reads, tuple) and reads and set(reads) <= set(READS)):
            raise ConfigError(
                f"HparamPreset {name!r}: reads={reads!r} is not a tuple of the quantities its "
                f"rules read ({', '.join(READS)})",
                hint="e.g. reads=('params', 'tokens'), or reads=('flops',) for rules of C "
                "alone (what reads_flops=True meant)",
            )
        values: tuple[object, ...] = (name, citation, lr_formula, batch_formula, conventions)
        values += (lr_rule, batch_rule, fitted, params_convention, reads)
        for key, value in zip(self.__dataclass_fields__, values, strict=True):
            object.__setattr__(self, key, value)  # frozen: as the generated __init__ does

    def __repr__(self) -> str:  # one line: no function addresses, no conventions
        return _repr.preset(self)

    @property
    def reads_flops(self) -> bool:
        """Whether its rules read the training FLOPs C (as :attr:`HparamFit.reads_flops`)."""
        return "flops" in self.reads

    @keywords_checked("HparamPreset.predict")
    def predict(
        self,
        *,
        params: float | str | None = None,
        tokens: float | str | None = None,
        flops: float | str | None = None,
        seq_len: int | None = None,
    ) -> HparamPrediction:
        """lr* and B* at (N, D), or at what its rules read alone: C for rules of C alone
        (deepseek2024), N for rules of N alone (porian2024); at N and C, D = C/(6·N) where a
        rule reads D (as a loss fit's ``predict(params=, flops=)``); presets carry no
        interval and no flatness.

        Args:
            params: Parameters N (``7e9`` or ``"7B"``).
            tokens: Training tokens D.
            flops: Training FLOPs C.
            seq_len: Tokens per sequence, for the batch in sequences.

        Returns:
            The prediction: lr* and B* with NaN intervals, the rule, its notes and warnings.

        Raises:
            ConfigError: A non-positive N, D or FLOPs, or ``seq_len``; no N, D or C where
                its rules read them.
        """
        check_seq_len(seq_len)
        off: tuple[str, ...] = ()  # a given C's warning where it is off 6·N·D
        at = {"params": params, "tokens": tokens, "flops": flops}
        derived = derived_point([self.reads], at, rule=PLAIN_6ND)  # N and C: D = C/(6·N)
        if derived is not None:
            where, note = derived
            n, d, c = (where[k] for k in READS)
        elif params is None or tokens is None:  # C alone, or N or D: what the rules read
            rules = f"preset {self.name} ({self.lr_formula}; {self.batch_formula})"
            where, note = partial_point(
                {rules: self.reads},
                at,
                call="HparamPreset.predict",
                example="preset.predict(params='7B', tokens='2T')",
                whose=f"preset {self.name}'s rules",
            )
            n, d, c = (where.get(k, math.nan) for k in READS)  # NaN: read by no rule
        else:
            n, d, c = prediction_point(params, tokens, flops)
            # a given C labels a rule of N and D; a rule of C reads it as given
            note, off = ("", ()) if flops is None else self._given(c, n, d)
        nan2 = Interval(math.nan, math.nan)
        return HparamPrediction(
            params=n,
            tokens=d,
            flops=c,
            lr=float(self.lr_rule(n, d, c)),
            lr_interval=nan2,
            batch=float(self.batch_rule(n, d, c)),
            batch_interval=nan2,
            batch_unit="tokens",
            seq_len=seq_len,
            loss=math.nan,
            loss_interval=nan2,
            penalty={},
            level=math.nan,
            rule=f"preset {self.name}: {self.citation}",
            conventions=self.conventions,
            warnings=off + (self._outside(n) if math.isfinite(n) else ()),
            notes=tuple(x for x in (note, self._near(n)) if x),
        )

    def _given(self, flops: float, params: float, tokens: float) -> tuple[str, tuple[str, ...]]:
        """The note (a rule of N and D) or warning (a rule of C, C off 6·N·D) of a given C."""
        if not self.reads_flops:
            return (
                f"C={format_g(flops, 3)} {AS_GIVEN}: preset {self.name}'s rules do not read C, so the "
                "given C (--flops, Python: flops=) changes no number"
            ), ()
        off = flops_mismatch(
            flops,
            params,
            tokens,
            expected=6.0 * params * tokens,
            counted="C = 6·N·D, as the presets count it",
            reader=f"preset {self.name} gives",
        )
        return "", () if off is None else (off,)

    def _near(self, params: float) -> str | None:
        """The note of ``params`` just outside the sizes its source fitted (farther: a
        warning, :meth:`_outside`)."""
        if self.fitted is None or not math.isfinite(params):
            return None
        return self.fitted.note(params, self.name)

    def _outside(self, params: float) -> tuple[str, ...]:
        found = None if self.fitted is None else self.fitted.warning(params, self.name)
        return () if found is None else (found,)
