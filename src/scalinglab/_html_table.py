"""The HTML a notebook shows of a result (its ``_repr_html_``): a table from the rows its
command prints (:class:`scalinglab._table_rows.TableRows`), and the lines around it,
``warning:`` lines marked; every string escaped, no script, styles inline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from scalinglab._table_rows import Cell, Column, TableRows

__all__ = ["CELL_PAD", "WARNING_COLOUR", "html_block", "html_lines", "html_table"]

_WARNING = "warning: "
#: The colour of a warning, a notebook view's and the report page's alike (the report's style
#: sheet imports it): 4.5:1 on white (WCAG AA) and 4.2:1 on a dark notebook's #111.
WARNING_COLOUR = "#a56900"
#: Rich's styles, as CSS (the colours readable on a light and a dark notebook page).
_CSS = {
    "bold": "font-weight:bold",
    "dim": "opacity:0.65",
    "red": "color:#c62828",
    "yellow": f"color:{WARNING_COLOUR}",
    "green": "color:#2e7d32",
    "cyan": "color:#00838f",
}


#: Room between a table's columns (a notebook's own style may set none): every view's cells.
CELL_PAD = "padding:1px 0.7em"


#: A table wider than the notebook's cell scrolls inside it rather than run past its edge.
_SCROLL = "overflow-x:auto;max-width:100%"


def _flow(c: Column) -> str:
    """How a column's cells sit and wrap, as Rich draws them: at the top of a row of several
    lines; a ``no_wrap`` column's never wrap, a ``fold`` column's fold anywhere, any other
    breaks at a space alone (a long name that does not fit scrolls, :data:`_SCROLL`)."""
    if c.no_wrap:
        wrap = ";white-space:nowrap"
    elif c.fold:
        wrap = ";overflow-wrap:anywhere"
    else:
        wrap = ""
    return f"vertical-align:top{wrap}"


def _css(style: str) -> str:
    """A Rich style (``"bold red"``) as inline CSS; words it does not know are left out."""
    return ";".join(_CSS[w] for w in style.split() if w in _CSS)


def _cell_html(c: Cell) -> str:
    """A cell's parts, each in its style; a line break kept (a value over its interval)."""
    out = []
    for text, style in c.parts:
        css = _css(style)
        words = "<br>".join(escape(line) for line in text.split("\n"))
        out.append(f"<span style='{css}'>{words}</span>" if css else words)
    return "".join(out)


def html_table(table: TableRows) -> str:
    """The table, its title as a caption, each column aligned and styled as the CLI's."""
    caption = (
        f"<caption style='text-align:left;font-weight:bold'>{escape(table.title)}</caption>"
        if table.title
        else ""
    )
    head = "".join(
        f"<th style='{CELL_PAD};text-align:{c.justify}'>{escape(c.header)}</th>"
        for c in table.columns
    )
    cols = [f"{CELL_PAD};text-align:{c.justify};{_flow(c)}" + (f";{_css(c.style)}" if _css(c.style) else "")
            for c in table.columns]  # fmt: skip
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='{css}'>{_cell_html(c)}</td>" for css, c in zip(cols, row, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    table_html = f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f"<div style='{_SCROLL}'>{table_html}</div>"


def html_lines(lines: Iterable[str], *, style: str = "") -> str:
    """Lines, one ``<div>`` each, in a Rich ``style``; a ``warning: ...`` line marked, an
    empty one left out."""
    css = _css(style)
    out = []
    for line in lines:
        if not line:
            continue
        if line.startswith(_WARNING):
            rest = escape(line.removeprefix(_WARNING))
            out.append(f"<div style='{_css('yellow')}'><b>warning:</b> {rest}</div>")
        else:
            out.append(
                f"<div style='{css}'>{escape(line)}</div>" if css else f"<div>{escape(line)}</div>"
            )
    return "".join(out)


def html_block(kind: str, title: str, parts: Sequence[str]) -> str:
    """The whole view: a ``<div class='scalinglab-{kind}'>``, the title in bold, then the
    ``parts`` (HTML already escaped: :func:`html_table`, :func:`html_lines`) in order."""
    head = f"<p><b>{escape(title)}</b></p>" if title else ""
    return f"<div class='scalinglab-{escape(kind)}'>{head}{''.join(parts)}</div>"
