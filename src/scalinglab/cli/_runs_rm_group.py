"""The options of ``scalinglab runs`` given before ``rm`` (``runs --where x=1 rm NAME``),
which click parses for the listing and ``rm`` never read: ``--store`` and ``--json`` mean
there what they mean after ``rm`` and are passed on (they choose no run); a selection
(``--where``, ``--status``) is refused, lest the user read a filter on their command line
that the delete did not apply, and ``--evals`` and ``--limit``, which shape the listing
alone, are refused too."""

from __future__ import annotations

import shlex
from typing import Any

from scalinglab._errors import ConfigError

__all__ = ["check_group_options", "group_json"]


def _given(ctx: Any, name: str) -> bool:
    """Whether the ``runs`` group's option ``name`` was typed on the command line."""
    parent = ctx.parent
    if parent is None:
        return False
    source = parent.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def group_json(ctx: Any) -> bool:
    """Whether ``--json`` was given to ``runs`` before ``rm`` (``runs --json rm NAME``): it
    asks ``rm`` for JSON as it asks the listing (given on both, it is refused as given
    twice)."""
    return _given(ctx, "as_json")


def check_group_options(ctx: Any) -> None:
    """Refuse a listing option of ``runs`` given before ``rm``.

    Raises:
        ConfigError: For ``--where`` or ``--status`` (give it after ``rm``: ``--where`` as
            it is, ``--status S`` as ``--where status=S``), or for ``--evals`` or ``--limit``
            (``rm`` takes neither: leave it out).
    """
    if ctx.parent is None:
        return
    values = ctx.parent.params
    if _given(ctx, "where"):
        shown = " ".join(f"--where {shlex.quote(w)}" for w in values["where"])
        raise _refused(shown, shown)
    if _given(ctx, "status"):
        status = f"--where status={shlex.quote(str(values['status']))}"
        raise _refused(f"--status {values['status']}", status)
    for name, option in (("evals", "--evals"), ("limit", "--limit")):
        if _given(ctx, name):
            raise ConfigError(
                f"{option} given before rm: it shapes the runs listing only, and runs rm takes "
                f"no {option}; leave it out",
                hint="runs rm lists every run it removes; `scalinglab runs` lists the store",
            )


def _refused(given: str, after: str) -> ConfigError:
    """The refusal of the selection ``given`` before ``rm``, written ``after`` it."""
    return ConfigError(
        f"{given} given before rm selects the runs listed, not those removed; give it after "
        f"rm ({after})",
        hint=f"scalinglab runs rm {after} --dry-run lists the runs it would remove",
    )
