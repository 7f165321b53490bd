"""The one line a command says of each file it wrote, and whether that file replaced one.

::

    wrote report: report.html
    wrote report: report.html (replaced the earlier file)
    wrote figures: figs (fit.svg, residuals.svg; replaced the earlier files)

A command may write over its own kind of file (``fit.json``, ``fit.png``, ``report.html``:
:func:`scalinglab.cli._outputs.check_target` lets those pass), so the line says so: a second
run into the same path is told apart from a first. Whether the file was there is known before
the write: every output path is noted, with the file it held, as it is checked before the
command's work (:func:`scalinglab.cli._interrupted.existed`); a folder of figures, whose files
are named as they are drawn, by the names it held before they were written
(:func:`files_in`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from scalinglab.cli._interrupted import existed

__all__ = ["REPLACED", "files_in", "wrote", "wrote_figures"]

#: What the line adds where the file written replaced one.
REPLACED = "replaced the earlier file"


def wrote(console: Any, what: str, path: Path) -> None:
    """The one line every command says a file it wrote with: ``wrote fit: fit.json``, and
    `` (replaced the earlier file)`` where ``path`` held a file before the command's work
    (on stderr when stdout holds ``--json``).

    Args:
        console: Where the line goes (a Rich console).
        what: What was written: ``fit``, ``report``, ``figure``, ``plan``.
        path: The file, as the command line gave it (and as it was checked).
    """
    replaced = f" ({REPLACED})" if existed(path) else ""
    console.print(f"wrote {what}: {path}{replaced}", markup=False, soft_wrap=True)


def files_in(folder: Path | None) -> frozenset[str]:
    """The names of the files in ``folder`` now, before figures are written there (none
    where it is not a folder yet, or cannot be listed: the line then claims no replacement)."""
    if folder is None:
        return frozenset()
    try:
        return frozenset(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return frozenset()


def wrote_figures(
    console: Any, folder: Path, figures: Sequence[Path], *, before: Collection[str]
) -> None:
    """The line for a folder of figures: ``wrote figures: figs (fit.svg, residuals.svg)``,
    with ``; replaced the earlier files`` where each was there before (``before``, from
    :func:`files_in`), or the names of those that were where only some were.

    Args:
        console: Where the line goes (a Rich console).
        folder: The folder written into (``--figures``).
        figures: The files written there, in the order drawn.
        before: The names of the files the folder held before they were written.
    """
    names = [p.name for p in figures]
    replaced = [name for name in names if name in before]
    said = ", ".join(names)
    if replaced and len(replaced) == len(names):
        said += f"; {REPLACED}" + ("s" if len(names) > 1 else "")
    elif replaced:  # some new, some over earlier ones: name those it replaced
        said += f"; replaced the earlier {', '.join(replaced)}"
    console.print(f"wrote figures: {folder} ({said})", markup=False, soft_wrap=True)
