"""The options of :func:`~scalinglab.hparams.fit_hparams` and
:func:`~scalinglab.hparams.backtest_hparams` that locate each cell's optimum, and the
backtest's presets and hold-out rule, checked before the sweep is read: a wrong type or a
value out of range is a :class:`ConfigError` naming the option, not Python's ``TypeError``
from a comparison or NumPy's from drawing resamples."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.fit._options import check_whole
from scalinglab.hparams._presets import HparamPreset, get_hparam_preset

__all__ = ["backtest_presets", "check_sweep_options"]

#: Each option's least value (excluded) and what it is, for the message.
_ABOVE = {
    "span": (1.0, "> 1 (the window around a cell's best lr, as a factor)", 4.0),
    "sharpness": (0.0, "> 0", 0.005),
    "diverged": (1.0, "> 1 (a factor above the cell's best loss)", 1.5),
}


def check_sweep_options(
    *, bootstrap: int = 0, seed: int = 0, span: float, sharpness: float, diverged: float
) -> None:
    """Refuse ``bootstrap`` or ``seed`` unless a whole number >= 0, and ``span``,
    ``sharpness`` or ``diverged`` unless a number above its least value.

    Raises:
        ConfigError: Naming the first such option and a value to pass.
    """
    check_whole("bootstrap", bootstrap, least=0, example=1000)
    check_whole("seed", seed, least=0, example=0)
    for name, value in (("span", span), ("sharpness", sharpness), ("diverged", diverged)):
        least, rule, example = _ABOVE[name]
        given: object = value
        if isinstance(given, bool) or not isinstance(given, numbers.Real):
            raise ConfigError(
                f"{name} must be a number {rule}, got {type(given).__name__} {given!r}",
                hint=f"pass e.g. {name}={format_g(example)} (the default)",
            )
        if not float(given) > least:  # NaN too
            raise ConfigError(
                f"{name} must be {rule}, got {given!r}",
                hint=f"pass e.g. {name}={format_g(example)} (the default)",
            )


def backtest_presets(
    presets: Sequence[str] | str, *, span: float, sharpness: float, diverged: float
) -> list[HparamPreset]:
    """The presets a backtest scores beside its own fit (a string: one name, or several
    comma-separated, as ``--presets`` reads them, never its letters), once
    :func:`check_sweep_options` passes its options.

    Raises:
        ConfigError: An unknown preset, or presets that are no names (``presets=5``).
    """
    check_sweep_options(span=span, sharpness=sharpness, diverged=diverged)
    if isinstance(presets, str):
        presets = [p.strip() for p in presets.split(",") if p.strip()]
    elif not isinstance(presets, Sequence | set | frozenset):
        raise ConfigError(
            f"presets must be preset names, got {type(presets).__name__} {presets!r}",
            hint="e.g. presets=['steplaw2025', 'deepseek2024'], or presets=() for none",
        )
    return [get_hparam_preset(p) for p in presets]
