"""A ladder's lr sweep: a rung's recorded multiple and the ladder's note
(:func:`~scalinglab.ladder._recipes.build_ladder`)."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.ladder._toml_value import toml_value


def _recorded(where: str, value: object, *, sweep: Sequence[float]) -> float | None:
    """A rung's ``lr_multiplier``: its multiple in an lr sweep spelled out rung by rung
    (``--toml`` writes it; its ``lr`` is as written), which ``--hparams`` keeps."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(
            f"{where}: lr_multiplier must be a positive number, got {toml_value(value)}"
        )
    if sweep:
        raise ConfigError(
            f"{where}: lr_multiplier records a rung's multiple in an lr sweep spelled out rung "
            "by rung, and [rules] lr_sweep makes one",
            hint="give lr_sweep under [rules], or lr_multiplier on each rung, not both",
        )
    return float(value)


def sweep_note(sweep: Sequence[float], rungs: int) -> str:
    """The ladder's note on its lr sweep: the multipliers, and what fits it."""
    said = ", ".join(format_g(m) for m in sweep)
    return (
        f"lr sweep: every shape at {len(sweep)} peak learning rates, its lr x {said} "
        f"({rungs} rungs, named -lrMx; a cap of max_lr holds the lr the sweep multiplies); "
        "`scalinglab hparams fit --store STORE` fits each shape's optimal lr, and `scalinglab "
        "fit --store STORE --best-per-cell` a loss law to each shape's best run"
    )
