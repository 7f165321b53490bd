"""``--max-steps``, the old spelling of ``--max-iter`` (the solver's iteration cap) on
``fit`` and ``curves fit``, read for one release with one line on stderr saying so:
``steps`` means training steps everywhere else (``--steps``, a curve's steps)."""

from __future__ import annotations

from typing import Annotated

import typer

from scalinglab._defaults import MAX_ITER
from scalinglab._errors import ConfigError
from scalinglab.cli._streams import write_stderr

__all__ = ["OldMaxIter", "max_iter"]

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
    if given is not None and given != old:
        raise ConfigError(
            f"--max-iter {given} and --max-steps {old} both given: --max-steps is the old "
            "spelling of --max-iter",
            hint=f"give one: --max-iter {given}",
        )
    write_stderr(  # a closed stderr: unsaid, the fit goes on
        f"warning: --max-steps {old} is deprecated and goes in the next release: use "
        f"--max-iter {old} (the solver's iteration cap; --steps means training steps)\n"
    )
    return old
