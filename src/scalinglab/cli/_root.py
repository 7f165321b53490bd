"""The Typer app's root: its settings and ``--version``, and the one-command app that
``scalinglab fit`` starts with.

Building Typer's click command for all twelve commands (every option of every command
inspected) costs about 0.1 CPU s on a small CPU, on every start; ``scalinglab fit``, whose
whole run is a speed target (issue 12), builds an app of the root and ``fit`` alone
(:func:`command_for`): the same command, options, help and errors, since it is the same
``register`` on the same root. Every other command line builds the full app
(:mod:`scalinglab.cli._app`), once per process: a process that runs many command lines
(a notebook, a test suite) reuses it, since click keeps no state in a command between runs.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from scalinglab.cli._decimal_option import add_decimal
from scalinglab.cli._metavars import name_placeholders

__all__ = ["ALONE", "command_for", "new_app", "root_option"]

#: Commands built alone when a command line starts with them: name -> module with ``register``.
ALONE = {"fit": "scalinglab.cli._cmd_fit"}


def _version(value: bool) -> None:
    if value:
        from scalinglab.cli import version_text
        from scalinglab.cli._render import stdout_console

        # the lines `scalinglab --version` alone prints, unwrapped
        stdout_console().print(version_text().rstrip("\n"), markup=False, soft_wrap=True)
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Fit, backtest and plan with neural scaling laws."""


def new_app() -> typer.Typer:
    """The root app, with ``--version`` and no commands yet."""
    app = typer.Typer(
        name="scalinglab",
        help="Fit, backtest and plan with neural scaling laws.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(_root)
    return app


def command_for(args: Sequence[str]) -> Any:
    """The click command to run ``args`` with: the root and the one command named first
    when it is in :data:`ALONE`, else the full app."""
    module = ALONE.get(args[0]) if args else None
    if module is None:
        return _full_command()
    app = new_app()
    importlib.import_module(module).register(app)
    return name_placeholders(add_decimal(typer.main.get_command(app)))


@functools.cache
def _full_command() -> Any:
    """Every command's click command, built once per process (about 0.05 CPU s a build)."""
    from scalinglab.cli._app import app

    return name_placeholders(add_decimal(typer.main.get_command(app)))


def root_option(name: str, ctx: Any) -> tuple[str, str] | None:
    """The message and hint for ``name``, an option of ``scalinglab`` itself typed after a
    command (``scalinglab fit --version``), which has no such option: where click suggests
    the command's nearest-spelled one (``--json``), it says where the option goes. ``None``
    for any other unknown option."""
    root = ctx.find_root() if ctx is not None else None
    if root is None or root is ctx:
        return None
    names = {o for p in root.command.params for o in getattr(p, "opts", ())}
    if name not in names:
        return None
    return (
        f"No such option: {name} (an option of {root.command_path} itself, not of "
        f"'{ctx.command_path}')",
        f"give it before the command: {root.command_path} {name}",
    )
