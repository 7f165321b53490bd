"""Every notebook view pads its table's cells (a notebook's own style may set none, and the
columns then run together): the plan views (``Allocation``, ``Frontier``) as the views built
on :mod:`scalinglab._html_table` (a fit's, a backtest's, ...)."""

from __future__ import annotations

from html.parser import HTMLParser

from scalinglab import compute_for_loss, optimal_allocation
from scalinglab._html_table import CELL_PAD, html_table
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.plan import frontier


class _CellStyles(HTMLParser):
    """The ``style`` of every ``<td>`` and ``<th>`` of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self.styles.append(dict(attrs).get("style") or "")


def _styles(html: str) -> list[str]:
    parser = _CellStyles()
    parser.feed(html)
    return parser.styles


def test_the_padding_is_one_rule() -> None:
    assert CELL_PAD == "padding:1px 0.7em"
    table = TableRows("t", (Column("a"), Column("b", justify="right")), ((cell("1"), cell("2")),))
    styles = _styles(html_table(table))
    assert len(styles) == 4 and all(s.startswith(CELL_PAD) for s in styles)


def test_plan_views_pad_every_cell() -> None:
    views = {
        "budget": optimal_allocation("hoffmann2022", flops=1e23)._repr_html_(),
        "target": compute_for_loss("hoffmann2022", target_loss=2.2)._repr_html_(),
        "frontier": frontier("hoffmann2022", budgets=[1e21, 1e23])._repr_html_(),
    }
    for name, html in views.items():
        styles = _styles(html)
        assert len(styles) >= 6, name
        unpadded = [s for s in styles if CELL_PAD not in s]
        assert unpadded == [], name
        # the numbers stay right-aligned, as the terminal's table has them
        assert any("text-align:right" in s for s in styles), name
