"""A table as words, built once for both views of a result: the command line draws it with
Rich (:func:`scalinglab.cli._rows_table.rich_table`), a notebook as escaped HTML
(:func:`scalinglab._html_table.html_table`), so the two show the same cells.

A cell is a run of text parts, each with the Rich style it is drawn in (``""``: none;
``"red"``, ``"yellow"``, ``"dim"``, ``"bold"``...): a law's name, then ``(2 model sizes)``
in yellow. Nothing here imports Rich or NumPy (``--help`` loads neither).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

__all__ = ["Cell", "Column", "Justify", "TableRows", "cell"]

Justify = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Cell:
    """One cell: its text in parts, each with a style.

    Attributes:
        parts: ``(text, style)`` pairs, in order (style ``""``: plain).
    """

    parts: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The cell's words, without styles."""
        return "".join(text for text, _ in self.parts)

    def plus(self, text: str, style: str = "") -> Cell:
        """This cell with ``text`` added at its end, in ``style``."""
        return Cell((*self.parts, (text, style)))


def cell(text: str, style: str = "") -> Cell:
    """A cell of one part."""
    return Cell(((text, style),))


@dataclass(frozen=True)
class Column:
    """A column's header and how its cells sit.

    Attributes:
        header: The header's words.
        justify: ``"left"``, ``"right"`` or ``"center"``.
        style: The style of every cell of the column (``"bold"``: a name column).
        fold: Long cells fold onto more lines rather than end in ``…`` (run names that share
            a prefix stay apart).
        no_wrap: The cells never wrap.
    """

    header: str
    justify: Justify = "left"
    style: str = ""
    fold: bool = False
    no_wrap: bool = False


@dataclass(frozen=True)
class TableRows:
    """A table: its title, columns and rows.

    Attributes:
        title: The title over it (``""``: none).
        columns: The columns, in order.
        rows: The rows, each one cell per column.
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def only(self, headers: Collection[str]) -> TableRows:
        """This table with only its columns headed in ``headers`` (in its own order): a
        narrow terminal's (:func:`scalinglab.cli._narrow.narrowed`)."""
        keep = [i for i, c in enumerate(self.columns) if c.header in headers]
        rows = tuple(tuple(row[i] for i in keep) for row in self.rows)
        return TableRows(self.title, tuple(self.columns[i] for i in keep), rows)

    def texts(self) -> list[list[str]]:
        """Every row's cells as their words, the header's row not among them."""
        return [[c.text for c in row] for row in self.rows]
