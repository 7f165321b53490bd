"""A folder given where a table file is read (``scalinglab fit DIR``): where it holds loss
curves (its first table file has a loss column and a step column, or a tokens column with
rows that are not one per run) the error says so and names the commands that read a folder
of curves; else it names a table file in it to pass, or says it holds none."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._format import join_first
from scalinglab._formats import format_of
from scalinglab.data._column_names import column_key
from scalinglab.data._curve_columns import CURVE_ALIASES
from scalinglab.data._files import FORMATS, file_format
from scalinglab.data._final_losses import one_row_per_run
from scalinglab.data._readers import _read_file

__all__ = ["folder_error"]

#: At most this many entries below a folder are looked at (a home folder given by mistake
#: must not be walked whole).
_LOOKED = 10_000


def _tables(folder: Path) -> list[Path]:
    """The table files below ``folder``, sorted, without scalinglab's own results."""
    found = (p for p in islice(folder.rglob("*"), _LOOKED) if p.is_file())
    tables = [p for p in found if file_format(p)[1] is not None]
    return sorted(p for p in tables if file_format(p)[1] != "json" or format_of(p) is None)


def _named(names: tuple[str, ...], target: str) -> str | None:
    """The first of ``names`` named as the curve quantity ``target`` or one of its aliases."""
    keys = {column_key(n) for n in (target, *CURVE_ALIASES[target])}
    return next((n for n in names if column_key(n) in keys), None)


def _count(tables: list[Path]) -> str:
    return f"{len(tables)} table file" + ("s" if len(tables) > 1 else "")


def folder_error(path: Path, source: str) -> DataError:
    """The error for the folder ``path`` (``source`` as given) where a table file is read."""
    tables = _tables(path)
    if not tables:
        return DataError(
            "is a folder, not a file",
            source=source,
            hint=f"pass a table file of runs ({' '.join(FORMATS)}); this folder holds none",
        )
    first = tables[0]
    try:
        raw = _read_file(first, str(first))
    except DataError:  # not readable as a table: only its name is told
        raw = None
    names = () if raw is None else raw.names
    step, tokens = _named(names, "step"), _named(names, "tokens")
    loss = _named(names, "loss")
    # a tokens column alone is no curve: final losses have one too, a row per run
    runs = raw is not None and step is None and one_row_per_run(raw, _named(names, "run"))
    if loss is None or (step is None and tokens is None) or runs:
        inside = join_first([str(p.relative_to(path)) for p in tables], 3)
        return DataError(
            "is a folder, not a file",
            source=source,
            hint=f"pass the run file inside it ({_count(tables)}: {inside})",
        )
    per_step = "" if tokens else " --tokens-per-step N"
    return DataError(
        f"is a folder, not a file: it holds loss curves ({_count(tables)}, "
        f"{first.relative_to(path)} with columns {tokens or step!r} and {loss!r})",
        source=source,
        hint=f"read a folder of curves with `scalinglab curves fit {source}`, `scalinglab "
        f"envelope {source}{per_step}` or `scalinglab fit --from-curves {source}`",
    )
