"""Scaling rules for a ladder: learning rate and batch size as functions of model size.

The cited default is the rule OLMo's model ladder uses (Bhagia et al. 2024, "Establishing Task
Scaling Laws via Compute-Efficient Model Ladders"), which takes its learning rate from Porian
et al. 2024, "Resolving Discrepancies in Compute-Optimal Scaling of Language Models"
(arXiv:2406.19146): with ``N`` the non-embedding parameters,

- learning rate ``η(N) = 0.0047 · (N / 108e6)^(-1/3)``;
- batch ``B(N) = 160 · (N / 108e6)^(2/3)`` sequences of 2048 tokens, i.e. ``327,680 ·
  (N / 108e6)^(2/3)`` tokens per step, here divided by the ladder's context.

The anchor is OLMo's 108M-parameter (non-embedding) ladder model trained with 2048-token
sequences. Both rules were fitted on BPE-tokenised web text, far above the byte-level,
sub-million-parameter models a CPU ladder trains; ``lr_scale`` and ``max_lr`` exist so a recipe
can say how it departs from them. ``"constant"`` rules (a fixed LR and batch) are the option.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.ladder._toml_value import toml_value

__all__ = ["ANCHOR_PARAMS", "Rules", "batch_tokens", "learning_rate"]

ANCHOR_PARAMS = 108e6  # OLMo ladder anchor, non-embedding parameters
ANCHOR_LR = 0.0047
ANCHOR_BATCH_TOKENS = 160 * 2048


def learning_rate(params: float) -> float:
    """Porian et al. 2024 / OLMo ladder: ``0.0047 · (N/108e6)^(-1/3)``.

    Args:
        params: Model parameters ``N``.

    Returns:
        The peak learning rate.
    """
    return float(ANCHOR_LR * (params / ANCHOR_PARAMS) ** (-1.0 / 3.0))


def batch_tokens(params: float) -> float:
    """OLMo ladder: ``160·2048 · (N/108e6)^(2/3)`` tokens per optimiser step.

    Args:
        params: Model parameters ``N``.

    Returns:
        Tokens per optimiser step.
    """
    return float(ANCHOR_BATCH_TOKENS * (params / ANCHOR_PARAMS) ** (2.0 / 3.0))


#: A value each number of the rules typically takes (the built-in recipes'), for the hint.
_EXAMPLES = {"tokens_per_param": 20, "lr_scale": 0.1, "max_lr": 0.01}


@dataclass(frozen=True, kw_only=True)
class Rules:
    """How a recipe sets each rung's budget, learning rate and batch size."""

    tokens_per_param: float | None = 20.0
    """Training tokens per non-embedding parameter (Hoffmann et al. 2022's about 20 counts
    total parameters; Pearce & Song 2024, arXiv:2406.12907); ignored
    when ``flops`` is given."""
    flops: tuple[float, ...] = ()
    """IsoFLOP budgets (exact training FLOPs); every shape is trained at every budget."""
    lr: Literal["porian"] | float = "porian"
    """``"porian"`` (:func:`learning_rate`) or a constant learning rate."""
    lr_scale: float = 1.0
    """Multiplier on the rule's learning rate."""
    max_lr: float | None = None
    """Cap on the learning rate after scaling (``None``: no cap)."""
    batch: Literal["porian"] | int = "porian"
    """``"porian"`` (:func:`batch_tokens` / context) or a constant number of sequences."""
    min_batch: int = 1
    """Smallest batch (sequences) the rule may give."""
    lr_sweep: tuple[float, ...] = ()
    """Multipliers of each rung's peak learning rate (the rule's after ``lr_scale`` and
    ``max_lr``, or a rung's own ``lr``): every shape is trained at each, a learning-rate
    sweep whose cells ``scalinglab hparams fit --store`` fits (``()``: no sweep)."""

    def __post_init__(self) -> None:
        for name in ("tokens_per_param", "lr_scale", "max_lr"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool) or value <= 0
            ):
                raise ConfigError(
                    f"[rules]: {name} must be a positive number, got {toml_value(value)}",
                    hint=f"write {name} as a number > 0, such as {_EXAMPLES[name]}"
                    + ("" if name == "tokens_per_param" else ", or leave it out"),
                )
        if not isinstance(self.min_batch, int) or self.min_batch < 1:
            raise ConfigError(
                f"[rules]: min_batch must be a positive integer, got {toml_value(self.min_batch)}",
                hint="write min_batch as a whole number ≥ 1, such as 8",
            )
        if not isinstance(self.flops, tuple | list):
            raise ConfigError(
                f"[rules]: flops must be a list of budgets, got {toml_value(self.flops)}"
            )
        number = isinstance(self.lr, int | float) and not isinstance(self.lr, bool)
        if self.lr != "porian" and not (number and self.lr > 0):
            raise ConfigError(
                f"[rules]: lr must be 'porian' or a positive number, got {toml_value(self.lr)}",
                hint='write lr = "porian" (the cited rule) or a number > 0, such as 0.003',
            )
        if self.batch != "porian" and not (isinstance(self.batch, int) and self.batch > 0):
            raise ConfigError(
                f"[rules]: batch must be 'porian' or a positive integer, got "
                f"{toml_value(self.batch)}",
                hint='write batch = "porian" (the cited rule) or a whole number ≥ 1 of '
                "sequences, such as 16",
            )
        if not self.flops and not (self.tokens_per_param and self.tokens_per_param > 0):
            raise ConfigError(
                "[rules]: give tokens_per_param > 0 or a list of flops budgets",
                hint="for example tokens_per_param = 20",
            )
        object.__setattr__(self, "flops", _budgets(self.flops))
        object.__setattr__(self, "lr_sweep", _multipliers(self.lr_sweep))

    def lr_for(self, params: int) -> float:
        """Peak learning rate for a model.

        Args:
            params: The model's non-embedding parameters.

        Returns:
            The rule's rate times ``lr_scale``, at most ``max_lr``.
        """
        lr = learning_rate(params) if self.lr == "porian" else float(self.lr)
        lr *= self.lr_scale
        return min(lr, self.max_lr) if self.max_lr is not None else lr

    def capped_lr(self, params: int) -> float | None:
        """The rule's learning rate (after ``lr_scale``) where ``max_lr`` caps it below
        that, else ``None``: a plan says where its rule was overridden.

        Args:
            params: The model's non-embedding parameters.

        Returns:
            The uncapped rate, or ``None``.
        """
        lr = (learning_rate(params) if self.lr == "porian" else float(self.lr)) * self.lr_scale
        return lr if self.max_lr is not None and lr > self.max_lr else None

    def batch_for(self, params: int, context: int) -> int:
        """Batch size in sequences for a model.

        Args:
            params: The model's non-embedding parameters.
            context: Tokens per sequence.

        Returns:
            The fixed batch, or Porian et al.'s batch in tokens over ``context`` (at least
            ``min_batch``).
        """
        if self.batch != "porian":
            return int(self.batch)
        return max(self.min_batch, round(batch_tokens(params) / context))


def _budgets(values: Sequence[object]) -> tuple[float, ...]:
    """``flops`` as floats: numbers, or strings as a budget is written (``"1e11"``,
    ``"3e11 FLOPs"``, ``"400G"``); a ConfigError naming the first that is not a positive
    number of FLOPs (a string was refused as "must be positive", which it may be)."""
    from scalinglab.data._unit_words import refuse_other_word
    from scalinglab.data._units import parse_flops  # numpy: only where a budget is given

    hint = 'write the budgets as numbers of FLOPs: flops = [1e11, 3e11] (or "3e11 FLOPs")'
    out = []
    for value in values:  # "3e11 tokens": refused as every budget, naming the word
        refuse_other_word(value, "flops", given=f"[rules]: flops budget {toml_value(value)}")
        read = None if isinstance(value, bool) else parse_flops(value)
        if read is None:
            raise ConfigError(
                f"[rules]: flops budget {toml_value(value)} is not a number of FLOPs", hint=hint
            )
        if not (math.isfinite(read) and read > 0):
            raise ConfigError(
                f"[rules]: flops budgets must be positive, got {toml_value(value)}", hint=hint
            )
        out.append(read)
    return tuple(out)


def _multipliers(values: object) -> tuple[float, ...]:
    """``lr_sweep`` as a tuple of distinct positive floats; a ConfigError saying what to
    write for anything else."""
    hint = "write lr_sweep = [0.25, 0.5, 1, 2, 4] under [rules]: multipliers of each rung's lr"
    if not isinstance(values, tuple | list):
        raise ConfigError(
            f"[rules]: lr_sweep must be a list of multipliers, got {toml_value(values)}", hint=hint
        )
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, int | float) or not v > 0]
    if bad:
        raise ConfigError(
            f"[rules]: lr_sweep multipliers must be positive numbers, got {toml_value(bad[0])}",
            hint=hint,
        )
    out = tuple(float(v) for v in values)
    if len(set(out)) < len(out):
        again = sorted({v for v in out if out.count(v) > 1})
        raise ConfigError(
            f"[rules]: lr_sweep repeats {', '.join(format_g(v) for v in again)}: each multiplier "
            "is a rung of its own",
            hint="give each multiplier once",
        )
    return out
