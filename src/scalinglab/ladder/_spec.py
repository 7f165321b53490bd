"""A whole ladder: its rungs in training order, where it came from and its notes."""

from __future__ import annotations

from dataclasses import dataclass

from scalinglab._errors import ConfigError
from scalinglab.ladder._config import RungConfig

__all__ = ["LadderSpec"]


@dataclass(frozen=True, kw_only=True)
class LadderSpec:
    """A ladder: its rungs, in training order (smallest first)."""

    name: str
    """Name of the ladder (the recipe name or the TOML file's ``name``)."""
    rungs: tuple[RungConfig, ...]
    """The rungs, smallest first."""
    source: str = ""
    """Where it came from: a built-in recipe name or a TOML path."""
    notes: str = ""
    """Free text: the rules used and their citations."""
    max_lr: float | None = None
    """The recipe's cap on every rung's peak learning rate (its rules' ``max_lr``; ``None``:
    no cap), kept so that a rule replacing the recipe's lr (``--hparams``) is held to it."""
    lr_multipliers: tuple[float, ...] = ()
    """Each rung's multiple of its lr in an lr sweep (its rules' ``lr_sweep``), one per
    rung; ``()``: no sweep. A rule replacing the recipe's lr (``--hparams``) keeps them."""

    def __post_init__(self) -> None:
        if not self.rungs:
            raise ConfigError(f"ladder {self.name!r} has no rungs", hint="add at least one rung")
        cap = self.max_lr
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int | float)
                                or not cap > 0):  # fmt: skip
            raise ConfigError(
                f"ladder {self.name!r}: max_lr must be a positive number, got {cap!r}",
                hint="write max_lr = 0.01 under [rules], or leave it out for no cap",
            )
        if self.lr_multipliers and len(self.lr_multipliers) != len(self.rungs):
            raise ConfigError(
                f"ladder {self.name!r}: {len(self.lr_multipliers)} lr multipliers for "
                f"{len(self.rungs)} rungs",
                hint="give one multiplier per rung, or none (no lr sweep)",
            )
        names = [r.name for r in self.rungs]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ConfigError(
                f"ladder {self.name!r}: rung names repeat: {', '.join(dupes)}",
                hint="give every rung a unique name",
            )
