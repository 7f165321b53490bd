"""An option's error in the words of where it was given: Python names the keyword
(``seq_len 4096 contradicts the runs``, ``give seq_len=2048``), the command line the flag
typed (``--seq-len 4096 ...``, ``give --seq-len 2048``).

The library raises a :class:`SpelledError` in Python's words, carrying the command line's
beside them, both written where it is raised; the command line's error boundary
(:mod:`scalinglab.cli`) says the latter. The functions that read an option (``fit_hparams``,
``read_sweep``) take no argument saying who called them, and no text is rewritten after the
fact: a column named ``seq_len`` in the same message stays as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from scalinglab._errors import ConfigError

__all__ = ["Spell", "SpelledError", "spelled_error"]


class Spell(Protocol):
    """Names an option in one place's words: ``spell("seq_len")`` the option,
    ``spell("seq_len", 2048)`` it given that value, ``spell("seq_len", "")`` it given at all
    (``seq_len=``, ``--seq-len``: what to drop)."""

    def __call__(self, name: str, value: object = None, /) -> str: ...


class SpelledError(ConfigError):
    """A :class:`ConfigError` whose message and hint name options as Python spells them;
    the command line says :attr:`command_line` instead.

    Attributes:
        command_line: The message and hint with the options named by their flags.
    """

    def __init__(self, message: str, *, hint: str, command_line: tuple[str, str]) -> None:
        super().__init__(message, hint=hint)
        self.command_line = command_line


def spelled_error(words: Callable[[Spell], tuple[str, str]]) -> SpelledError:
    """The error whose message and hint ``words`` writes with a spelling of the options:
    Python's (the keyword), and the command line's (the flag) for :attr:`command_line`.

    Args:
        words: Given how to name an option, the message and the hint.

    Returns:
        The error, to raise.
    """
    message, hint = words(_python)
    return SpelledError(message, hint=hint, command_line=words(_flag))


def _python(name: str, value: object = None, /) -> str:
    """``seq_len``, ``seq_len=2048``, ``seq_len=``."""
    return name if value is None else f"{name}={value}"


def _flag(name: str, value: object = None, /) -> str:
    """``--seq-len``, ``--seq-len 2048``; ``--seq-len`` for ``""`` too."""
    flag = "--" + name.replace("_", "-")
    return flag if value is None or value == "" else f"{flag} {value}"
