"""Fits whose D counts optimizer steps, not tokens (``fit --from-curves`` without
``--tokens-per-step``): their compute 6·N·D is in steps, so no plan in FLOPs is made from
them, by ``fit`` or by ``plan --fit``."""

from __future__ import annotations

from pathlib import Path

from scalinglab._errors import ConfigError

__all__ = ["STEP_TOKENS", "refuse_step_tokens"]

#: The note a fit whose D counts steps records (in its ``notes``, saved with ``--out``).
STEP_TOKENS = "tokens count steps (no --tokens-per-step): D and its coefficients are in steps"


def refuse_step_tokens(source: object, *, fit_path: Path) -> None:
    """Refuse to plan from ``source`` (read from ``fit_path``) where its D counts steps: a
    budget in FLOPs, the compute of a target loss, and the default budgets alike would be
    6·N·steps labelled FLOPs.

    Raises:
        ConfigError: Where the fit records that its tokens count steps.
    """
    if STEP_TOKENS not in getattr(source, "notes", ()):
        return
    raise ConfigError(
        f"--fit {fit_path} cannot be planned: its D counts optimizer steps, not tokens (fit "
        "--from-curves without --tokens-per-step), so its compute 6·N·D is not in FLOPs",
        hint="refit with the tokens per step (batch size × sequence length): scalinglab fit "
        f"--from-curves CURVES --tokens-per-step 0.5M --out {fit_path}",
    )
