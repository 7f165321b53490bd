"""The checks a ladder's configs run on their values (:mod:`scalinglab.ladder._config`): each
names where the value was written (``rung 2``, ``train``), the value as TOML writes it, and
what to write instead."""

from __future__ import annotations

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.ladder._toml_value import toml_value

__all__ = ["check_choice", "check_float", "check_int"]


def check_choice(where: str, name: str, value: object, choices: tuple[str, ...]) -> None:
    """Refuse ``value`` of ``name`` (in ``where``) unless it is one of ``choices``."""
    if value not in choices:
        raise ConfigError(
            f"{where}: {name} = {toml_value(value)} is not one of {', '.join(map(toml_value, choices))}",
            hint=f"set {name} to one of {', '.join(choices)}",
        )


#: A value each integer field typically takes (the built-in recipes'), for the hint: a depth
#: of 64 or a seed of 64 is no example to follow.
_EXAMPLES = {"depth": 2, "heads": 4, "context": 128, "vocab_size": 256, "batch_size": 16,
             "eval_every": 100, "eval_tokens": 16384, "log_every": 10, "checkpoint_every": 100,
             "seed": 0, "warmup_steps": 10}  # fmt: skip


def check_int(where: str, name: str, value: object, *, minimum: int = 1) -> None:
    """Refuse ``value`` of ``name`` (in ``where``) unless it is an integer ≥ ``minimum``."""
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        example = max(minimum, _EXAMPLES.get(name, 64))
        raise ConfigError(
            f"{where}: {name} must be an integer ≥ {minimum}, got {toml_value(value)}",
            hint=f"write {name} as a whole number ≥ {minimum}, such as {example}",
        )


def check_float(where: str, name: str, value: object, *, low: float, high: float) -> None:
    """Refuse ``value`` of ``name`` (in ``where``) unless it is a number in [low, high]."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not (low <= float(value) <= high):  # type: ignore[arg-type]
        raise ConfigError(
            f"{where}: {name} must be a number in [{format_g(low)}, {format_g(high)}], got {toml_value(value)}",
            hint=f"set {name} inside that range",
        )
