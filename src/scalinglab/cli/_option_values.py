"""The values of two shared options read and checked: ``--robust-loss`` (and ``--loss``, its
old spelling) and ``--seq-len`` (:mod:`._params` declares the options and re-exports these)."""

from __future__ import annotations

import math

from scalinglab._format import format_g

__all__ = ["robust_loss", "seq_len"]


def robust_loss(given: str | None, old: str | None) -> str:
    """``--robust-loss``'s value (huber when not given), or that of ``--loss``, its old
    spelling, read for one release with one line on stderr saying so (``--loss`` is a
    measured loss elsewhere).

    Raises:
        ConfigError: When both are given, with different names, or ``--loss`` names no
            robust loss (meant as the loss column: refused before any warning).
    """
    from scalinglab._errors import ConfigError
    from scalinglab.fit._losses import LOSSES, is_loss_name

    if old is None:
        return "huber" if given is None else given
    if not is_loss_name(old):
        raise ConfigError(
            f"--loss {old}: on this command --loss was the old spelling of --robust-loss, the "
            f"robust loss of the fit ({', '.join(LOSSES)}), and {old!r} is none of them",
            hint=f"the column of measured losses is --y loss={old}; the robust loss is "
            "--robust-loss NAME (default huber)",
        )
    from scalinglab.cli._old_flags import old_flag

    why = "--loss is a measured loss, as on `hparams predict`"
    return old_flag(given, old, new="--robust-loss", old="--loss", why=why)


def seq_len(text: str) -> int:
    """``--seq-len``'s value: a whole number of tokens per sequence (``2048``, ``1_024``).

    A unit suffix is refused: ``4K`` of a context is 4096 to most, 4000 on ``--compute``,
    and a 2.4% error in B* in sequences would pass unseen.

    Raises:
        ConfigError: For a suffix, a value that is not a positive number, or not a whole one.
    """
    from scalinglab._errors import ConfigError
    from scalinglab.data._units import parse_cell

    hint = "write the tokens per sequence as a number, e.g. --seq-len 2048"
    read = parse_cell(text)
    if read is None or not math.isfinite(read[0]):
        raise ConfigError(f"--seq-len {text!r} is not a number", hint=hint)
    if any(c.isalpha() for c in text.lower().replace("e", "")):
        raise ConfigError(
            f"--seq-len {text!r}: a unit suffix is ambiguous for a sequence length "
            "(4K: 4000 or 4096?)",
            hint=hint,
        )
    value = read[0]
    if value <= 0:
        raise ConfigError(f"--seq-len must be a positive, finite number, got {text!r}", hint=hint)
    if abs(value - round(value)) > 1e-9 * value:  # 2.5 tokens: no rounding of the user's
        raise ConfigError(
            f"--seq-len {text!r} is {format_g(value)} tokens, not a whole number",
            hint="write a whole number of tokens per sequence, e.g. --seq-len 2048",
        )
    return round(value)
