"""Ladder rungs whose learning rate and batch come from a hyperparameter law or preset."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab.hparams._params_count import counted
from scalinglab.hparams._presets import HparamPreset
from scalinglab.hparams._result import HparamFit

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec

__all__ = ["with_hparams"]


def with_hparams(spec: LadderSpec, rule: HparamFit | HparamPreset) -> LadderSpec:
    """``spec`` with every rung's peak lr and batch taken from ``rule`` at the rung's N and D.

    N is the rung's non-embedding parameter count (its total count for a fit whose sweep's N
    was recorded as total parameters), D its training tokens; the batch in tokens
    becomes sequences of the rung's context (at least one). A rule without a batch law keeps
    the recipe's batch. The ladder's notes say which rule chose them, rung by rung.

    Raises:
        ConfigError: A fit whose batch is in sequences of unknown length.
    """
    from scalinglab.ladder import LadderSpec, rung_counts

    if isinstance(rule, HparamFit) and rule.batch_law is not None and rule.batch_unit != "tokens":
        raise ConfigError(
            f"the hyperparameter fit's batch is in sequences of unknown length ({rule.source}), "
            "so it cannot set the batch of rungs whose sequences have their own length",
            hint="fit it again with --seq-len TOKENS, so that its batch is in tokens",
        )
    total = counted(rule.params_convention) == "total"  # the count the law was fitted on
    rungs = []
    lines = []
    far: list[tuple[str, str]] = []  # (rung, warning): rungs outside the fitted cells
    for rung in spec.rungs:
        counts = rung_counts(rung)
        context = rung.model.context
        pred = rule.predict(
            params=float(counts.params if total else counts.params_non_embedding),
            tokens=float(rung.train.tokens),
            seq_len=context,
        )
        batch = rung.train.batch_size
        if math.isfinite(pred.batch):
            seqs = pred.batch if pred.batch_unit == "sequences" else pred.batch / context
            batch = max(1, round(seqs))
        rungs.append(replace(rung, train=replace(rung.train, lr=float(pred.lr), batch_size=batch)))
        lines.append(f"{rung.name}: lr {pred.lr:.3g}, batch {batch}")
        far += [(rung.name, w) for w in pred.warnings]
    note = (
        f"lr and batch of every rung from {pred.rule}, in place of the recipe's rules "
        f"({'; '.join(lines)})"
        + ("; read at each rung's total parameters, as the law counts N" if total else "")
    )
    if far:
        names = sorted({name for name, _ in far}, key=[r.name for r in spec.rungs].index)
        note += (
            f"\nwarning: {len(names)} of {len(spec.rungs)} rungs lie outside what the rule "
            f"was fitted to; {far[0][0]}: {far[0][1]}"
        )
    # the recipe's own notes may describe the rules replaced here: say so before them
    recipe = f"recipe notes (its lr and batch rules replaced as below): {spec.notes}\n"
    return LadderSpec(
        name=spec.name,
        rungs=tuple(rungs),
        source=spec.source,
        notes=(recipe if spec.notes else "") + note,
    )
