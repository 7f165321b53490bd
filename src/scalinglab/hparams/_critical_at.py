"""The critical batch of a preset at a loss given, or predicted at (N, D) by a loss fit or
a loss-law preset: what ``hparams predict --preset kaplan2020 --loss ...`` computes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._format import format_count

if TYPE_CHECKING:  # the fit package loads NumPy: imported where a loss fit is read
    from scalinglab.fit import FitResult
    from scalinglab.hparams._critical import CriticalBatch

__all__ = ["critical_batch_at", "loss_at"]


def loss_at(source: object, *, params: float, tokens: float) -> float:
    """The loss a loss-law fit or preset (``law`` and ``coefs``) predicts at (N, D).

    Raises:
        ConfigError: When the law reads a column other than params, tokens and flops.
    """
    from scalinglab.laws._scale import scale_inputs

    law = source.law  # type: ignore[attr-defined]
    values = source.coefs  # type: ignore[attr-defined]
    data = scale_inputs(
        law, [params], [tokens], role="the loss law", hint="give the loss itself: --loss 2.5"
    )
    return float(law.evaluate(dict(values), data)[0])


def critical_batch_at(
    name: str,
    *,
    loss: str,
    params: float | None = None,
    tokens: float | None = None,
    seq_len: int | None = None,
) -> CriticalBatch:
    """The critical batch of preset ``name`` at ``loss``: a number (nats per token), or the
    path of a loss fit (``scalinglab fit --out``) or the name of a loss-law preset
    (``hoffmann2022``), either predicting the loss at ``params``, ``tokens``.

    Raises:
        ConfigError: For an unknown preset, a non-positive loss, or a predicted loss without
            ``params`` and ``tokens``.
    """
    from scalinglab.hparams._presets import get_critical_batch_preset

    rule = get_critical_batch_preset(name)
    try:
        value = float(loss)
    except ValueError:
        pass  # not a number: a loss fit or a loss-law preset
    else:
        if params is not None or tokens is not None:  # they would place nothing
            raise ConfigError(
                f"--loss {loss} is the loss itself, and B_crit depends on the model only "
                "through it: --params and --tokens place a predicted loss (--loss FIT.json or "
                "a loss-law preset), not a given one",
                hint="drop --params and --tokens, or predict the loss there: --loss "
                f"hoffmann2022 --params {'7B' if params is None else format_count(params)} "
                f"--tokens {'1.4T' if tokens is None else format_count(tokens)}",
            )
        return rule.predict(loss=value, loss_source=f"--loss {loss}", seq_len=seq_len)
    from scalinglab.laws import PRESETS, get_preset

    named = loss.strip().lower() in PRESETS
    if not named and not os.path.exists(loss) and _path_like(loss):
        raise ConfigError(
            f"--loss {loss}: no such loss fit file",
            hint="give the path of a fit from `scalinglab fit --out` (--loss fit.json), the "
            f"loss itself (--loss 2.5), or a loss-law preset ({', '.join(PRESETS)})",
        )
    if not named and not os.path.exists(loss):  # a typo of a number reads as a missing file
        raise ConfigError(
            f"--loss {loss!r} is neither a number, a loss fit file nor a loss-law preset",
            hint=f"give the loss itself (--loss 2.5), a fit from `scalinglab fit --out` "
            f"(--loss fit.json), or a preset ({', '.join(PRESETS)})",
        )
    if params is None or tokens is None:
        raise ConfigError(
            f"--loss {loss}: a predicted loss needs --params and --tokens",
            hint="e.g. --params 1.5B --tokens 23B, or give the loss itself: --loss 2.5",
        )
    source: object
    warnings: tuple[str, ...] = ()
    if named:
        source, origin = get_preset(loss), f"loss-law preset {loss.strip().lower()}"
    else:
        from scalinglab.fit import FitResult
        from scalinglab.fit._result_json import load

        # a file that is not a loss fit: the hint names --loss, the option it came with
        fitted = load(FitResult, loss, reader="`hparams predict --loss`", option="--loss")
        source, origin = fitted, f"loss fit {loss}"
        warnings = tuple(f"{origin}: {w}" for w in _loss_fit_warnings(fitted))
    value = loss_at(source, params=params, tokens=tokens)
    note = rule.other_data_note(origin, source.conventions.loss)
    return rule.predict(
        loss=value, loss_source=origin, seq_len=seq_len, params=params, tokens=tokens,
        notes=(note,) if note else (), warnings=warnings,
    )  # fmt: skip


def _path_like(given: str) -> bool:
    """Whether ``--loss`` was meant as a file: a ``.json`` name or one with a folder."""
    return given.strip().lower().endswith(".json") or "/" in given or os.sep in given


def _loss_fit_warnings(result: FitResult) -> tuple[str, ...]:
    """Why not to trust ``result``'s loss: its warnings, led by its not converging where
    they do not say so already (``fit --out`` saves a fit that failed)."""
    from scalinglab.fit._implausible import unconverged_warning

    failed = unconverged_warning(result.status, result.message)
    if failed is None or failed in result.warnings:
        return tuple(result.warnings)
    return (failed, *result.warnings)
