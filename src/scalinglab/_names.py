"""Lists of names (runs, tasks) given to a public function: a bare string is refused, since
iterating it would take each letter for a name (``"alpha"`` as runs ``a``, ``l``, ``p``...)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scalinglab._errors import ConfigError

__all__ = ["name_list"]


def name_list(given: Sequence[str], *, what: str, call: str) -> list[str]:
    """``given`` as a list, checked to be one (not a bare string).

    Args:
        given: The names as passed.
        what: The argument's name (``"runs"``), as the message names it.
        call: The function called (``"RunStore.remove_runs"``), as the message names it.

    Raises:
        ConfigError: If ``given`` is a ``str``: read by its letters it would name other
            runs, so it is refused before anything is read or removed.
    """
    if isinstance(given, str):
        raise ConfigError(
            f"{call}: {what} must be a list of names, got the one string {given!r} (a "
            "string would be read letter by letter, each letter a name)",
            hint=f"pass a list: {what}=[{given!r}]",
        )
    if not isinstance(given, Iterable):  # by=5: no names to list
        raise ConfigError(
            f"{call}: {what} must be a list of names, got {type(given).__name__} {given!r}",
            hint=f"pass a list, e.g. {what}=['name']",
        )
    return list(given)
