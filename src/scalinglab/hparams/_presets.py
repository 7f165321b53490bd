"""Published rules for the optimal learning rate and batch, each with its source and conventions.

Every number here was checked against the source named beside it. Kaplan et al. 2020's
critical batch size is a rule of the loss, not of (N, D), and gives no learning rate: it lives
in ``_critical.py``, and asking for it where lr* and B* at (N, D) are needed (plan, ladder,
backtest) is refused with a message saying so.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from scalinglab._errors import ConfigError, check_text, meant
from scalinglab._keywords import keywords_checked
from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, CriticalBatchPreset
from scalinglab.hparams._fitted_range import FittedRange
from scalinglab.hparams._params_count import NON_EMBEDDING
from scalinglab.hparams._preset import HparamPreset
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
                "and cosine decay to a floor (1e-5); B in tokens per step; dense LLMs (the formulas are its dense fit)"
            ),
            lr_rule=lambda n, d, c: 1.79 * n**-0.713 * d**0.307,
            batch_rule=lambda n, d, c: 0.58 * d**0.571,
            # its dense sweeps: the published grids (the shared dev set, data/steplaw/README.md)
            # start at N = 214.7M; the 1B grid is its Figure 1's; checked here no further
            fitted=FittedRange(
                "N",
                214.7e6,
                1e9,
                "Li et al. 2025's dense sweeps: published grids from N = 214.7M "
                "(step-law/steplaw, data/dense_lr_bs_loss.csv), Fig. 1's grid at 1B",
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
    hint = meant(close[0], hint=True) if close else "pick one of them"
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

    Args:
        name: A hyperparameter preset, giving lr* and B* at (N, D): ``"steplaw2025"``,
            ``"deepseek2024"`` or ``"porian2024"`` (the keys of ``HPARAM_PRESETS``).

    Returns:
        The :class:`~scalinglab.hparams.HparamPreset`; ``.predict(params=...,
        tokens=...)`` gives its lr* and B*.

    Raises:
        ConfigError: For an unknown name, listing those there are, and for a critical-batch
            preset, which gives no learning rate and no batch at (N, D).
    """
    check_text(name, what="a preset name", example=f"one of {', '.join(HPARAM_PRESETS)}")
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

    Args:
        name: A critical-batch preset, giving a batch at a loss: ``"kaplan2020"`` (the
            keys of ``CRITICAL_BATCH_PRESETS``).

    Returns:
        The :class:`~scalinglab.hparams.CriticalBatchPreset`; ``.predict(loss=...)``
        gives its critical batch.

    Raises:
        ConfigError: For any other name, listing the presets.
    """
    check_text(name, what="a preset name", example=f"'{next(iter(CRITICAL_BATCH_PRESETS))}'")
    if name in CRITICAL_BATCH_PRESETS:
        return CRITICAL_BATCH_PRESETS[name]
    if name in HPARAM_PRESETS:
        raise ConfigError(
            f"preset {name!r} gives lr* and B* at (N, D), not a critical batch at a loss",
            hint=f"read it with scalinglab.get_hparam_preset({name!r}); critical-batch "
            f"presets: {', '.join(CRITICAL_BATCH_PRESETS)}",
        )
    raise _unknown(name, critical=True)
