"""``--decimal ,``: one option of every command that reads a table file, added in one place.

A table a spreadsheet exported in a language that writes decimal commas (``m1;0,35``) is
refused by default, since ``5,006`` may be 5.006 or 5006; ``--decimal ,`` says its commas
are decimal marks. The option is added to the click command of each command in
:data:`READS_TABLES` as it is built (:func:`add_decimal`), and sets the mark the one reader
of CSV and TSV files uses (:func:`scalinglab.data._decimal.set_decimal_mark`) for that
command line alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["READS_TABLES", "add_decimal"]

#: The commands whose files are read by the shared table reader (runs, sweeps, curves,
#: evaluation tables, a schedule file), by their words.
READS_TABLES = frozenset({
    "fit", "report", "backtest", "isoflop", "envelope", "ingest",
    "hparams fit", "hparams backtest",
    "downstream fit", "downstream backtest", "downstream report",
    "loss2loss fit", "curves fit", "curves backtest", "curves predict",
})  # fmt: skip
_HELP = (
    "The decimal mark ('.' or ',') of the numbers in a CSV or TSV file: ',' reads 0,35 as 0.35 (a "
    "spreadsheet in a language that writes decimal commas, its columns split by ';'). "
    "Default: '.', and a comma in a number is refused rather than guessed."
)


def _set(ctx: Any, param: Any, value: str) -> None:
    """Read tables with ``value`` while this command line runs (click calls it with the
    default too, so each command line starts from '.')."""
    import typer

    from scalinglab.data._decimal import DECIMAL_MARKS, set_decimal_mark

    if value not in DECIMAL_MARKS:
        raise typer.BadParameter(f"{value!r} is no decimal mark: give '.' (the default) or ','")
    ctx.call_on_close(set_decimal_mark(value))


def add_decimal(command: Any, words: tuple[str, ...] = ()) -> Any:
    """``command`` (the root's click command) with ``--decimal`` on each of its commands in
    :data:`READS_TABLES`; returns ``command``."""
    from typer.core import TyperOption  # the click Typer uses (its own copy, lately)

    subs = getattr(command, "commands", None)
    for name, sub in (subs or {}).items():
        add_decimal(sub, (*words, name))
    if " ".join(words) in READS_TABLES and not any(p.name == "decimal" for p in command.params):
        command.params.append(
            TyperOption(
                param_decls=["--decimal"],
                default=".",
                metavar="MARK",
                expose_value=False,
                callback=_set,
                help=_HELP,
            )
        )
    return command
