"""A report table from its header and its rows' cells, a column empty in every row left out
(the downstream backtest's "note", none on most data): the pages' shared table builder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scalinglab.report._html_parts import escape

__all__ = ["Td", "table_html"]


@dataclass(frozen=True)
class Td:
    """One cell: its HTML (escaped already), a number's (``num``, right-aligned) or text, a
    row's header (``<th scope='row'>``), and how many columns it spans."""

    html: str
    num: bool = False
    row_header: bool = False
    span: int = 1

    def markup(self, span: int) -> str:
        if self.row_header:
            return f"<th scope='row'>{self.html}</th>"
        attrs = (" class='num'" if self.num else "") + (f" colspan='{span}'" if span > 1 else "")
        return f"<td{attrs}>{self.html}</td>"


def table_html(head: Sequence[str], rows: Sequence[Sequence[Td]], *, cls: str = "") -> str:
    """The ``<table>``: ``head`` (plain text, escaped here) over ``rows``; a column whose cells
    are all empty, or spanned by a cell that says something in another column, left out
    (a spanning cell narrowed by it), never one with a value in any row."""
    filled = [False] * len(head)
    for row in rows:
        at = 0
        for cell in row:
            if cell.span == 1 and cell.html.strip():
                filled[at] = True
            at += cell.span
    for row in rows:  # a spanning cell whose columns are all empty keeps its first one
        at = 0
        for cell in row:
            if cell.span > 1 and cell.html.strip() and not any(filled[at : at + cell.span]):
                filled[at] = True
            at += cell.span
    shown = [h for h, keep in zip(head, filled, strict=True) if keep]
    body = []
    for row in rows:
        cells, at = [], 0
        for cell in row:
            span = sum(filled[at : at + cell.span])
            if span:
                cells.append(cell.markup(span))
            at += cell.span
        body.append(f"<tr>{''.join(cells)}</tr>")
    attr = f" class='{escape(cls)}'" if cls else ""
    return (
        f"<table{attr}><thead><tr>{''.join(f'<th>{escape(h)}</th>' for h in shown)}</tr>"
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )
