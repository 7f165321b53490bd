"""Refusals of ``scalinglab backtest`` made before any fit, in the command's words: the
Chinchilla package baseline against another law, and ``--rolling`` on runs fitted at too
few scales (each names what on the command line would change it)."""

from __future__ import annotations

from typing import Any

from scalinglab._errors import ConfigError

__all__ = ["check_chinchilla_first", "check_rolling"]


def check_chinchilla_first(law: Any, *, auto: bool = False) -> None:
    """Refuse --baseline chinchilla-pkg unless the first law is Chinchilla's, which the
    package fits (auto's first candidate, for runs with params and tokens)."""
    from scalinglab.laws import get_law

    if get_law(law).name == "chinchilla":
        return
    spec = law if isinstance(law, str) else law.spec
    first = f"'auto', whose first candidate for these runs is {spec!r}" if auto else repr(spec)
    raise ConfigError(
        f"--baseline chinchilla-pkg fits only the Chinchilla law, and the first --law is {first}",
        hint="put --law chinchilla first",
    )


def check_rolling(split: Any, table: Any, *, fit_on: bool) -> None:
    """Refuse --rolling where the runs fitted span fewer scales than its first step fits on,
    saying what their sizes are and naming only what the command line can change that
    would give it more (``rolling_backtest`` names ``min_scales=``, which has no flag:
    --rolling takes its default)."""
    import numpy as np

    from scalinglab.validate._rolling import MIN_SCALES
    from scalinglab.validate._rules import rule_said, size_design
    from scalinglab.validate._scale_words import count_scales, fitted_scales, scales_said

    found = fitted_scales(split)
    if found.count >= MIN_SCALES:
        return
    column = split.column
    ways = ["pass --no-rolling (the backtest itself does not need scales)"]
    free = ~np.isin(np.asarray(table.runs), np.asarray(split.held_out.runs))  # not held out
    design = {c: v[free] for c, v in size_design(table, column).items()}
    if fit_on and count_scales(table[column][free], column, design) >= MIN_SCALES:
        ways.append(f"fit on runs at more scales with {rule_said('--fit-on')}")
    both = np.concatenate([split.fitted[column], split.held_out[column]])
    design = {
        c: np.concatenate([split.fitted[c], split.held_out[c]])
        for c in size_design(split.fitted, column)
    }
    if len(split.held_out) > 1 and count_scales(both, column, design) >= MIN_SCALES:
        ways.append(f"hold out fewer runs with {rule_said('--holdout')}")  # gives some back
    raise ConfigError(
        f"--rolling (the default) fits its first step on the smallest {MIN_SCALES} scales "
        f"(min_scales={MIN_SCALES} in Python), and the {len(split.fitted)} runs fitted (held "
        f"out: {split.description}) {scales_said(split, found)}",
        hint=", or ".join(ways),
    )
