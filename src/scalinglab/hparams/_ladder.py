"""Ladder rungs whose learning rate and batch come from a hyperparameter law or preset."""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import repeat
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.hparams._batch_unit import seq_len_note
from scalinglab.hparams._beyond import beyond_cells, cells_distance
from scalinglab.hparams._carried import carried_warnings
from scalinglab.hparams._fixed_batch import prediction_note
from scalinglab.hparams._params_count import counted
from scalinglab.hparams._prediction import HparamPrediction
from scalinglab.hparams._presets import HparamPreset
from scalinglab.hparams._result import HparamFit
from scalinglab.hparams._unidentified import prediction_caveats

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec
    from scalinglab.ladder._config import RungConfig

__all__ = ["with_hparams"]


def with_hparams(
    spec: LadderSpec, rule: HparamFit | HparamPreset, *, given: str | None = None
) -> LadderSpec:
    """``spec`` with every rung's peak lr and batch taken from ``rule`` at the rung's N and D.

    N is the rung's non-embedding parameter count (its total count for a fit whose sweep's N
    was recorded as total parameters), D the tokens it trains on (its budget rounded down to
    whole steps of the batch chosen, as its table shows them); the batch in tokens
    becomes sequences of the rung's context (at least one). A rule without a batch law keeps
    the recipe's batch. The recipe's ``max_lr`` (a safety limit) caps the rule's lr as it
    capped the recipe's, and its note on the recipe's lr is dropped; a rung of an lr sweep
    trains at its multiple of that lr (``spec.lr_multipliers``). The ladder's notes say
    which rule chose them, rung by rung, and what the cap cut. ``given``: how the fit was
    given (``--hparams hp.json``), named in the error of a fit it cannot use.

    Raises:
        ConfigError: A fit whose batch is in sequences of unknown length.
    """
    from scalinglab.ladder import LadderSpec, rung_counts
    from scalinglab.ladder._recipes import CAP_NOTE

    if isinstance(rule, HparamFit) and rule.batch_law is not None and rule.batch_unit != "tokens":
        fit = f"the hyperparameter fit {given}: its" if given else "the hyperparameter fit's"
        raise ConfigError(
            f"{fit} batch is in sequences of unknown length (its sweep: {rule.source}), "
            "so it cannot set the batch of rungs whose sequences have their own length",
            hint="fit it again with --seq-len TOKENS, so that its batch is in tokens"
            + (f", and write it over {given.split(' ', 1)[-1]}" if given else ""),
        )
    total = counted(rule.params_convention) == "total"  # the count the law was fitted on
    rungs = []
    lines = []
    far: list[tuple[str, float, str]] = []  # (rung, decades, warning): outside the cells
    capped: dict[str, float] = {}  # rung: the rule's lr, above the recipe's max_lr
    caveats: list[str] = []  # "rung: warning": off the cells' design, or a law undetermined
    for rung, multiplier in zip(spec.rungs, spec.lr_multipliers or repeat(1.0), strict=False):
        counts = rung_counts(rung)
        params = float(counts.params if total else counts.params_non_embedding)
        pred, batch = _at_trained_tokens(rule, rung, params)
        lr = float(pred.lr)
        if spec.max_lr is not None and lr > spec.max_lr:
            capped[rung.name], lr = lr, float(spec.max_lr)
        lr *= multiplier  # an lr sweep's rung: its multiple of the rule's lr
        rungs.append(replace(rung, train=replace(rung.train, lr=lr, batch_size=batch)))
        lines.append(f"{rung.name}: lr {format_g(lr, 3)}, batch {batch}")
        out = _outside(rule, pred)
        far += [(rung.name, *out)] if out else []
        caveats += [f"{rung.name}: {w}" for w in _caveats(rule, pred)]
    lr_only = not math.isfinite(pred.batch)  # no B* law: the recipe's batch is kept
    swept = " (the lr times each rung's multiple in the ladder's lr sweep)"
    note = (
        (
            f"lr of every rung from {pred.rule}{swept if spec.lr_multipliers else ''}, in "
            "place of the recipe's lr rule; the batch is the recipe's, as the rule has no B* law"
            if lr_only
            else f"lr and batch of every rung from {pred.rule}"
            f"{swept if spec.lr_multipliers else ''}, in place of the recipe's rules"
        )
        + f" ({'; '.join(lines)})"
        + ("; read at each rung's total parameters, as the law counts N" if total else "")
    )
    if capped:
        note += f"\n{_cap_note(capped, float(spec.max_lr or 0), len(spec.rungs))}"
    note += "".join(f"\n{n}" for n in _conditions(rule, spec, lr_only=lr_only))
    if far:
        note += f"\n{_outside_note(far, len(spec.rungs))}"
    # the fit's own reasons not to trust it (a preset has none), as a prediction carries them:
    # not its resamples' (no interval is shown) nor its laws' (each rung says its own)
    said = [*carried_warnings(rule), *caveats] if isinstance(rule, HparamFit) else []
    note += "".join(f"\nwarning: {w}" for w in said)
    # the recipe's own notes may describe the rules replaced here: say so before them; its
    # line on what max_lr capped gave the replaced rule's lr (the cap above says the rule's)
    notes = "\n".join(n for n in spec.notes.splitlines() if not n.startswith(CAP_NOTE))
    replaced = "lr rule" if lr_only else "lr and batch rules"
    recipe = f"recipe notes (its {replaced} replaced as below): {notes}\n"
    return LadderSpec(
        name=spec.name,
        rungs=tuple(rungs),
        source=spec.source,
        notes=(recipe if notes else "") + note,
        max_lr=spec.max_lr,
        lr_multipliers=spec.lr_multipliers,
    )


def _cap_note(capped: dict[str, float], cap: float, rungs: int) -> str:
    """The note on the rungs whose lr from the rule the recipe's ``max_lr`` capped: which,
    and the rule's lr on each, with how many times the cap it is."""
    which = "every rung" if len(capped) == rungs else f"{len(capped)} of {rungs} rungs"
    said = ", ".join(
        f"{name} {format_g(lr, 3)} ({format_g(lr / cap, 3)}x{' the cap' if not k else ''})"
        for k, (name, lr) in enumerate(capped.items())
    )
    return (
        f"lr capped at the recipe's max_lr = {format_g(cap)} on {which}, a safety limit the "
        "rule's lr "
        f"is held to as the recipe's was: the rule gives {said}"
    )


def _conditions(rule: HparamFit | HparamPreset, spec: LadderSpec, *, lr_only: bool) -> list[str]:
    """The prediction's notes on what its lr and batch hold at, as a ladder carries them: a
    fit's lr* at the batches its sweep used (no B* law), and its B* converted to sequences of
    a context other than its sweep's."""
    if not isinstance(rule, HparamFit):
        return []
    if lr_only:
        cells = [rule.cells[i] for i in rule.used]
        return [
            prediction_note(cells, rule.batch_unit) + "; the rungs train at the recipe's "
            "batches, so each rung's lr is the law's at the sweep's batch, not at the rung's"
        ]
    contexts = dict.fromkeys(r.model.context for r in spec.rungs)
    said = [seq_len_note(rule.batch_unit, rule.seq_len, c) for c in contexts]
    return [n for n in said if n]


#: Batches tried before the one closest to the law at its own trained tokens is kept: a
#: round moves D by B*'s exponent of D (about 0.57) times the last move, so a rung of a few
#: steps, some 10% short of its budget, settles in six or so.
_ROUNDS = 20


def _at_trained_tokens(
    rule: HparamFit | HparamPreset, rung: RungConfig, params: float
) -> tuple[HparamPrediction, int]:
    """The rule's prediction at the tokens ``rung`` trains on, and its batch in sequences.

    The rung trains on whole steps of the batch, fewer tokens than its budget, and the batch
    depends on D: each batch tried is the rule's at the tokens the one before trains, until
    one is the rule's at its own (B* moves as D^0.6 or less, the batch is whole sequences).
    Where the step count flips between batches, none may be: the one closest to the rule's
    at its own tokens is kept (a few percent off), with lr read at those tokens.
    """
    context, budget = rung.model.context, rung.train.tokens
    pred = rule.predict(params=params, tokens=float(budget), seq_len=context)
    batch = _sequences(pred, context, rung.train.batch_size)
    tried: dict[int, tuple[float, HparamPrediction]] = {}  # batch: (how far off, prediction)
    while batch not in tried and len(tried) < _ROUNDS:  # a batch tried again: a cycle
        steps = budget // (batch * context)
        if steps < 1:  # the rung refuses it, saying so
            return pred, batch
        pred = rule.predict(params=params, tokens=float(steps * batch * context), seq_len=context)
        again = _sequences(pred, context, batch)
        if again == batch:  # the rule's batch at the tokens it trains
            return pred, batch
        tried[batch] = (abs(math.log(again / batch)), pred)
        batch = again
    batch = min(tried, key=lambda b: tried[b][0])
    return tried[batch][1], batch


def _caveats(rule: HparamFit | HparamPreset, pred: HparamPrediction) -> tuple[str, ...]:
    """What a fit's prediction at the rung says its cells do not measure or its laws do not
    determine there (the fit's identification lines, said at each rung as ``predict`` says
    them at its point); a preset has none."""
    if not isinstance(rule, HparamFit):
        return ()
    where = {"params": pred.params, "tokens": pred.tokens}
    where |= {"flops": pred.flops} if math.isfinite(pred.flops) else {}
    return prediction_caveats(rule, where)[0]


def _sequences(pred: HparamPrediction, context: int, recipe: int) -> int:
    """The predicted batch in sequences of ``context`` (the recipe's where none is)."""
    if not math.isfinite(pred.batch):
        return recipe
    seqs = pred.batch if pred.batch_unit == "sequences" else pred.batch / context
    return max(1, round(seqs))


#: Decades of D/N off the fitted cells' that a rung lies within them (10%, 0.041): a
#: recipe's rungs share one D/N and train a hair below it (the budget rounded down to whole
#: steps of the batch: under 10% for ten steps or more), so on a sweep run at that D/N every
#: rung would be outside; lr* and B* move by a few percent over 10% of D (D^0.3 to D^0.6).
_RATIO_SLACK = math.log10(1.1)


def _outside(rule: HparamFit | HparamPreset, pred: HparamPrediction) -> tuple[float, str] | None:
    """How far a rung lies outside what the rule was fitted to, in decades, and in words (a
    fit's cells, without the words on intervals a ladder does not show; a preset's sizes),
    at any distance (in D/N, past :data:`_RATIO_SLACK`): ``None`` inside."""
    if isinstance(rule, HparamPreset):
        fitted = rule.fitted
        if fitted is None or not math.isfinite(pred.params):
            return None
        said = fitted.warning(pred.params, rule.name, within=0.0)
        return None if said is None else (fitted.distance(pred.params), said)
    where = {"params": pred.params, "tokens": pred.tokens}
    where |= {"flops": pred.flops} if math.isfinite(pred.flops) else {}
    said_fit = beyond_cells(rule, where, intervals=False, within=0.0, ratio_slack=_RATIO_SLACK)
    return (
        (cells_distance(rule, where, ratio_slack=_RATIO_SLACK), said_fit[0]) if said_fit else None
    )


def _outside_note(far: list[tuple[str, float, str]], rungs: int) -> str:
    """The ladder's warning on its rungs outside what the rule was fitted to: how many,
    the nearest and the farthest, and the farthest's distance in words."""
    near = min(far, key=lambda f: f[1])
    top = max(far, key=lambda f: f[1])
    how = (
        f"by {top[1]:.2f} decades"
        if len(far) == 1
        else f"from {near[1]:.2f} decades ({near[0]}) to {top[1]:.2f} ({top[0]})"
    )
    verb = "lie" if len(far) > 1 else "lies"
    return (
        f"warning: {len(far)} of {rungs} rungs {verb} outside what the rule was fitted to, "
        f"{how}; {top[0]}: {top[2]}"
    )
