"""``--max-steps``, the old spelling of ``--max-iter`` (the solver's iteration cap) on
``fit`` and ``curves fit``, read for one release with one line on stderr saying so:
``steps`` means training steps everywhere else (``--steps``, a curve's steps)."""

from __future__ import annotations

from typing import Annotated, TypeVar

import typer

from scalinglab._defaults import MAX_ITER
from scalinglab._errors import ConfigError
from scalinglab.cli._streams import write_stderr

__all__ = ["OldMaxIter", "max_iter", "old_flag"]

_V = TypeVar("_V", int, str)

#: ``--max-steps N``, the old spelling of ``--max-iter`` (hidden).
OldMaxIter = Annotated[int | None, typer.Option("--max-steps", min=1, hidden=True)]


def max_iter(given: int | None, old: int | None) -> int:
    """``--max-iter``'s value (:data:`~scalinglab._defaults.MAX_ITER` when not given), or
    that of ``--max-steps``, its old spelling, read with a deprecation line on stderr.

    Raises:
        ConfigError: When both are given with different values.
    """
    if old is None:
        return MAX_ITER if given is None else given
    why = "the solver's iteration cap; --steps means training steps"
    return old_flag(given, old, new="--max-iter", old="--max-steps", why=why)


def old_flag(given: _V | None, value: _V, *, new: str, old: str, why: str) -> _V:
    """``value``, given under ``old``, the old spelling of ``new``, read with one line on
    stderr saying so (``why``: what ``new`` is, and why the rename); refused beside
    ``given`` (``new``'s value, ``None`` when not given) of another value.

    Args:
        given: The value of ``new``, or ``None`` when not given.
        value: The value of ``old``.
        new: The option's spelling (``--max-iter``).
        old: Its old spelling (``--max-steps``).
        why: What ``new`` is, and why it was renamed, for the line on stderr.

    Returns:
        ``value``.

    Raises:
        ConfigError: When ``given`` is another value.
    """
    if given is not None and given != value:
        raise ConfigError(
            f"{new} {given} and {old} {value} both given: {old} is the old spelling of {new}",
            hint=f"give one: {new} {given}",
        )
    write_stderr(  # a closed stderr: unsaid, the command goes on
        f"warning: {old} {value} is deprecated and goes in the next release: use {new} "
        f"{value} ({why})\n"
    )
    return value
