"""Which cells a hyperparameter backtest holds out: ``largest:K``, ``size:N``, ``params>=N``."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from scalinglab._errors import ConfigError
from scalinglab.data import parse_quantity
from scalinglab.hparams._optimum import CellOptimum

__all__ = ["split"]


def split(cells: Sequence[CellOptimum], holdout: str) -> list[int]:
    """Indices of the cells ``holdout`` holds out.

    Raises:
        ConfigError: A malformed rule, or one that holds out no cell or every cell.
    """
    sizes = sorted({c.keys.get("params", math.nan) for c in cells})
    kind, _, arg = holdout.partition(":")
    if kind == "largest":
        try:
            k = int(arg or 1)
        except ValueError:
            k = 0
        if not 1 <= k < len(sizes):
            raise ConfigError(
                f"holdout {holdout!r}: k must be between 1 and {len(sizes) - 1} "
                f"(there are {len(sizes)} model sizes)"
            )
        cut = sizes[-k]
        return [i for i, c in enumerate(cells) if c.keys["params"] >= cut]
    if kind == "size":
        n = parse_quantity(arg)
        near = [s for s in sizes if abs(s / n - 1) < 0.01]
        if not near:
            have = ", ".join(f"{s:.4g}" for s in sizes)
            raise ConfigError(f"holdout {holdout!r}: no cells with params near {n:g} ({have})")
        return [i for i, c in enumerate(cells) if c.keys["params"] == near[0]]
    at = re.fullmatch(r"\s*(params|tokens)\s*(>=|>)\s*(\S+)\s*", holdout)
    if at is None:
        raise ConfigError(
            f"holdout must be 'largest:K', 'size:N' or 'params>=N' (also tokens, >), got "
            f"{holdout!r}",
            hint="e.g. --holdout largest:1, --holdout size:537M or --holdout 'params>=500M'",
        )
    key, op, cut = at.group(1), at.group(2), parse_quantity(at.group(3))
    values = [c.keys.get(key, math.nan) for c in cells]
    held = [i for i, v in enumerate(values) if v > cut or (op == ">=" and v == cut)]
    if not held or len(held) == len(cells):
        have = ", ".join(f"{v:.4g}" for v in sorted(set(values)))
        raise ConfigError(
            f"holdout {holdout!r} holds out {len(held)} of {len(cells)} cells ({key}: {have})",
            hint="choose a cut that leaves cells on both sides",
        )
    return held
