"""The hyperparameter rule ``plan`` and ``ladder`` are given (``--hparams``, ``--hparams-preset``).

:func:`load_rule` reads a fit from ``hparams fit --out`` or names a published preset;
:func:`at_allocation` evaluates it at a plan's compute-optimal N*, D*.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.hparams._interval import Interval

__all__ = ["at_allocation", "load_rule", "plan_dict"]


def load_rule(path: Path | None, preset: str | None) -> Any:
    """The hyperparameter fit or preset ``plan`` and ``ladder`` were given, or ``None``."""
    if path is not None and preset is not None:
        raise ConfigError("give at most one of --hparams and --hparams-preset")
    if preset is not None:
        from scalinglab.hparams import get_hparam_preset

        return get_hparam_preset(preset)
    if path is not None:
        from scalinglab.hparams import HparamFit

        return HparamFit.load(path, option="--hparams")
    return None


def at_allocation(
    rule: Any,
    allocation: Any,
    seq_len: int | None,
    *,
    params: str,
    origins: tuple[str, str],
    level: float | None = None,
) -> Any:
    """lr* and B* at a plan's N*, D* (intervals: the hyperparameter law's alone).

    The sweep's own loss law is dropped here, and a note says so: the plan's loss comes from
    the plan's law, and the sweep's is of the sweep's data and loss (another corpus, another
    smoothing), so a second loss for the same N*, D* would contradict the plan's.
    ``level`` is the plan's ``--level`` (default: the hyperparameter fit's); a preset has no
    interval to set it on.
    ``params`` is which parameters the plan's N* counts (its conventions), ``origins`` the
    plan's and the rule's options (``--preset epoch2024``, ``--hparams hp.json``): a note
    says when the rule's N counts other parameters, or may.
    A fit with a law of C whose sweep counted FLOPs otherwise than 6·N·D (an exact count)
    computes C at N*, D* by the sweep's rule; without a rule it reads the law at the plan's
    C, and a note says so.
    """
    from dataclasses import replace

    from scalinglab.hparams import HparamFit
    from scalinglab.hparams._flops_convention import AS_GIVEN
    from scalinglab.hparams._params_count import params_mismatch

    fit = isinstance(rule, HparamFit)
    at = {"level": level} if level is not None and fit else {}
    convention = rule.flops_convention if fit else None
    # C as the sweep counted it, where a law reads C and the sweep's count is not the plan's
    # 6·N·D (where it is, or no law reads C, the plan's C: no note on C)
    own = (
        fit
        and rule.reads_flops
        and convention is not None
        and not convention.unclear
        and (convention.base, convention.coef) != (1.0, 0.0)
    )
    pred = rule.predict(
        params=allocation.params.value,
        tokens=allocation.tokens.value,
        flops=None if own else allocation.flops.value,
        seq_len=seq_len,
        **at,
    )
    dropped = _loss_dropped(rule, pred.loss)
    pred = replace(pred, loss=math.nan, loss_interval=Interval(math.nan, math.nan))
    # and so the note on its interval; and the note on a given C no law reads (the plan's)
    kept = [n for n in pred.notes if not n.startswith("loss at the optimum") and AS_GIVEN not in n]
    kept += [dropped] if dropped else []
    if fit and rule.reads_flops and (convention is None or convention.unclear):
        why = (
            "the fit was saved before fits recorded their sweep's FLOPs convention"
            if convention is None
            else "the sweep's FLOPs are " + convention.describe(runs="the sweep's")
        )
        kept.append(
            f"C={format_g(pred.flops, 3)} is the plan's, not counted as the sweep counted it: {why}"
        )
    differ = params_mismatch(params, origins[0], rule.params_convention, origins[1])
    # a fit's own "conventions: N ..." line says again what the note on N says
    conventions = "" if differ and isinstance(rule, HparamFit) else pred.conventions
    return replace(pred, notes=(*kept, *([differ] if differ else [])), conventions=conventions)


#: What a plan's JSON writes for the loss at the optimum it leaves out (:func:`plan_dict`).
_LOSS_KEYS = ("loss", "loss_lower", "loss_upper")


def _loss_dropped(rule: Any, loss: float) -> str:
    """The note on the loss at the optimum a plan leaves out, where the rule has a loss law
    (a preset has none: nothing is left out): why, and where the law gave one, what it was
    and where to read it."""
    law = getattr(rule, "loss_law", None)
    if law is None:
        return ""
    note = (
        "no loss at the optimum here (null in --json): the plan's loss is its own law's, "
        "in the allocation above"
    )
    if not math.isfinite(loss):  # one the cells leave free: the prediction warns of it
        return note
    return (
        f"{note}; the sweep's loss law {law.formula} is of the sweep's own data and loss, "
        f"and gives {loss:.4f} at N*, D* (hparams predict --fit)"
    )


def plan_dict(pred: Any) -> dict[str, Any]:
    """``pred.to_dict()`` as a plan writes it: the loss at the optimum it leaves out (see
    :func:`at_allocation`) is ``null``, not the ``"nan"`` of a number that came out so."""
    out: dict[str, Any] = pred.to_dict()
    out |= dict.fromkeys(_LOSS_KEYS)
    out["loss_interval"] = [None, None]
    return out
