"""Published rules for the optimal learning rate and batch, each with its source and conventions.

Every number here was checked against the source named beside it. Kaplan et al. 2020's
critical batch size is a rule of the loss, not of (N, D), and gives no learning rate: it lives
in ``_critical.py``, and asking for it where lr* and B* at (N, D) are needed (plan, ladder,
backtest) is refused with a message saying so.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scalinglab._errors import ConfigError, keywords_checked
from scalinglab.data._units import as_quantity, prediction_point
from scalinglab.hparams._batch_unit import check_seq_len
from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, CriticalBatchPreset
from scalinglab.hparams._fitted_range import FittedRange
from scalinglab.hparams._flops_convention import AS_GIVEN, flops_mismatch
from scalinglab.hparams._params_count import NON_EMBEDDING
from scalinglab.hparams._point import check_flops_alone
from scalinglab.hparams._result import HparamPrediction
from scalinglab.ladder._rules import batch_tokens as _porian_batch
from scalinglab.ladder._rules import learning_rate as _porian_lr

__all__ = [
    "HPARAM_PRESETS",
    "FittedRange",
    "HparamPreset",
    "get_critical_batch_preset",
    "get_hparam_preset",
    "preset_listing",
]


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
            alone, C alone predicts.
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
    reads: tuple[str, ...] = ("params", "tokens")

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
        """lr* and B* at (N, D), or at C alone for rules of C alone (deepseek2024); presets
        carry no interval and no flatness.

        Raises:
            ConfigError: A non-positive N, D or FLOPs, or ``seq_len``; no N or D where its
                rules read them.
        """
        check_seq_len(seq_len)
        off: tuple[str, ...] = ()  # a given C's warning where it is off 6·N·D
        if params is None or tokens is None:
            if flops is None:
                raise ConfigError(
                    "HparamPreset.predict needs params= and tokens=",
                    hint="e.g. preset.predict(params='7B', tokens='2T')",
                )
            rules = f"preset {self.name} ({self.lr_formula}; {self.batch_formula})"
            check_flops_alone({rules: self.reads})
            c = as_quantity(flops, "flops", example="1e23")
            n = d = math.nan  # read by no rule of C alone
            note = f"C={c:.3g} as given: preset {self.name}'s rules read C alone"
        else:
            n, d, c = prediction_point(params, tokens, flops)
            # a given C labels a rule of N and D; a rule of C reads it as given
            note, off = ("", ()) if flops is None else self._given(c, n, d)
        nan2 = (math.nan, math.nan)
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
            notes=(note,) if note else (),
        )

    def _given(self, flops: float, params: float, tokens: float) -> tuple[str, tuple[str, ...]]:
        """The note (a rule of N and D) or warning (a rule of C, C off 6·N·D) of a given C."""
        if not self.reads_flops:
            return (
                f"C={flops:.3g} {AS_GIVEN}: preset {self.name}'s rules do not read C, so the "
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

    def _outside(self, params: float) -> tuple[str, ...]:
        found = None if self.fitted is None else self.fitted.warning(params, self.name)
        return () if found is None else (found,)


HPARAM_PRESETS: Mapping[str, HparamPreset] = {
    p.name: p
    for p in (
        HparamPreset(
            name="steplaw2025",
            citation=(
                "Li et al. 2025, 'Predictable Scale: Part I, Step Law' (arXiv:2503.04715), "
                "the fitted laws of the abstract and section 3; the same numbers are in the "
                "step-law/steplaw repository's README"
            ),
            lr_formula="lr* = 1.79 * N^-0.713 * D^0.307",
            batch_formula="B* = 0.58 * D^0.571 (tokens)",
            conventions=(
                "N non-embedding parameters, D training tokens; peak LR of AdamW with warmup "
                "and cosine decay to a floor (1e-5); B in tokens per step; dense and MoE LLMs"
            ),
            lr_rule=lambda n, d, c: 1.79 * n**-0.713 * d**0.307,
            batch_rule=lambda n, d, c: 0.58 * d**0.571,
            # the two grid sizes its Figure 1 and project page show; checked here no further
            fitted=FittedRange(
                "N", 4e8, 1e9, "Li et al. 2025, Fig. 1: grids at 400M and 1B parameters"
            ),
        ),
        HparamPreset(
            name="deepseek2024",
            citation=(
                "DeepSeek-AI 2024, 'DeepSeek LLM: Scaling Open-Source Language Models with "
                "Longtermism' (arXiv:2401.02954), section 3.1, eq. (1)"
            ),
            lr_formula="lr* = 0.3118 * C^-0.1250",
            batch_formula="B* = 0.2920 * C^0.3271 (tokens)",
            conventions=(
                "C = M*D with M the non-embedding FLOPs per token (attention included); here "
                "C is the flops the sweep gives (6ND when absent), which undercounts M a little; "
                "peak LR of AdamW with a multi-step schedule; B in tokens"
            ),
            lr_rule=lambda n, d, c: 0.3118 * c**-0.1250,
            batch_rule=lambda n, d, c: 0.2920 * c**0.3271,
            params_convention=f"{NON_EMBEDDING} (C counts the non-embedding FLOPs per token)",
            reads=("flops",),
        ),
        HparamPreset(
            name="porian2024",
            citation=(
                "Porian et al. 2024 (arXiv:2406.19146) as the OLMo ladder uses it (Bhagia et "
                "al. 2024): the same rule as scalinglab.ladder's 'porian' default"
            ),
            lr_formula="lr* = 0.0047 * (N/108e6)^(-1/3)",
            batch_formula="B* = 160*2048 * (N/108e6)^(2/3) (tokens)",
            conventions=(
                "N non-embedding parameters, anchored at OLMo's 108M ladder model with "
                "2048-token sequences; D does not enter; peak LR of AdamW"
            ),
            lr_rule=lambda n, d, c: _porian_lr(n),
            batch_rule=lambda n, d, c: _porian_batch(n),
            reads=("params",),
            fitted=FittedRange(
                "N", 5e6, 901e6, "Porian et al. 2024: models of 5M to 901M parameters"
            ),
        ),
    )
}


def preset_listing() -> str:
    """Every preset by name, with what it gives (for help and error messages)."""
    return (
        f"{', '.join(HPARAM_PRESETS)} (lr* and B* at N, D) and "
        f"{', '.join(CRITICAL_BATCH_PRESETS)} (critical batch at a loss, no lr)"
    )


def _unknown(name: str, *, critical: bool) -> ConfigError:
    """An unknown name, refused with the presets of the kind asked for (``critical``: a
    critical batch at a loss, else lr* and B* at (N, D)) and, apart, the other kind with the
    function that reads it; the nearest name of either kind as the hint."""
    own, other = (
        (CRITICAL_BATCH_PRESETS, HPARAM_PRESETS)
        if critical
        else (HPARAM_PRESETS, CRITICAL_BATCH_PRESETS)
    )
    kind = "critical-batch" if critical else "hyperparameter"
    reader = "get_hparam_preset" if critical else "get_critical_batch_preset"
    gives = "lr* and B* at (N, D)" if critical else "a critical batch at a loss, no lr"
    close = difflib.get_close_matches(name, [*own, *other], n=1)
    hint = f"did you mean {close[0]!r}?" if close else "pick one of them"
    if close and close[0] in other:
        hint += f" (read it with scalinglab.{reader}({close[0]!r}))"
    return ConfigError(
        f"unknown {kind} preset {name!r}; the {kind} presets are {', '.join(own)} "
        f"({', '.join(other)}: {gives}, read with scalinglab.{reader})",
        hint=hint,
    )


@keywords_checked("scalinglab.get_hparam_preset")
def get_hparam_preset(name: str) -> HparamPreset:
    """The preset called ``name``.

    Raises:
        ConfigError: For an unknown name, listing those there are, and for a critical-batch
            preset, which gives no learning rate and no batch at (N, D).
    """
    if name in HPARAM_PRESETS:
        return HPARAM_PRESETS[name]
    if name in CRITICAL_BATCH_PRESETS:
        raise ConfigError(
            f"preset {name!r} is a critical batch size: it gives a batch at a loss and no "
            "learning rate, so it cannot choose lr and batch at (N, D) here",
            hint=f"read it with scalinglab.get_critical_batch_preset({name!r}).predict(loss=2.5) "
            f"(`scalinglab hparams predict --preset {name} --loss 2.5`), or choose one of "
            f"{', '.join(HPARAM_PRESETS)}",
        )
    raise _unknown(name, critical=False)


@keywords_checked("scalinglab.get_critical_batch_preset")
def get_critical_batch_preset(name: str) -> CriticalBatchPreset:
    """The critical-batch preset called ``name`` (``kaplan2020``).

    Raises:
        ConfigError: For any other name, listing the presets.
    """
    if name in CRITICAL_BATCH_PRESETS:
        return CRITICAL_BATCH_PRESETS[name]
    if name in HPARAM_PRESETS:
        raise ConfigError(
            f"preset {name!r} gives lr* and B* at (N, D), not a critical batch at a loss",
            hint=f"read it with scalinglab.get_hparam_preset({name!r}); critical-batch "
            f"presets: {', '.join(CRITICAL_BATCH_PRESETS)}",
        )
    raise _unknown(name, critical=True)
