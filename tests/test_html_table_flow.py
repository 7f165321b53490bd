"""A notebook view's table sits and wraps as the terminal's does (Rich's): every cell at
the top of its row, a ``no_wrap`` column never wrapped, a ``fold`` column folded anywhere,
and a table wider than the notebook's cell (an 80-character task name) scrolls inside it
rather than run past its edge."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from scalinglab._html_table import html_table
from scalinglab._table_rows import Column, TableRows, cell


class _Tags(HTMLParser):
    """Every start tag of a fragment with its ``style``, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs).get("style") or ""))


def _tags(html: str) -> list[tuple[str, str]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


_LONG = "very_long_task_name_" * 4  # 80 characters, no space to break at


def _table() -> TableRows:
    columns = (
        Column("task"),
        Column("run", fold=True),
        Column("cell", no_wrap=True),
        Column("value", justify="right"),
    )
    rows = ((cell(_LONG), cell("r" * 40), cell("N=215M D=4B"), cell("0.5\n[0.4, 0.6]")),)
    return TableRows("", columns, rows)


def test_the_table_scrolls_inside_the_cell() -> None:
    tags = _tags(html_table(_table()))
    assert tags[0][0] == "div" and tags[1][0] == "table"
    assert "overflow-x:auto" in tags[0][1] and "max-width:100%" in tags[0][1]


def test_cells_sit_at_the_top_and_wrap_as_their_column_says() -> None:
    tds = [style for tag, style in _tags(html_table(_table())) if tag == "td"]
    assert len(tds) == 4 and all("vertical-align:top" in s for s in tds)
    task, run, cell_, value = tds
    assert "white-space:nowrap" in cell_ and "overflow-wrap" not in cell_
    assert "overflow-wrap:anywhere" in run and "white-space" not in run
    # a plain column and a number column break at a space alone, never within a word
    for style in (task, value):
        assert "overflow-wrap" not in style and "white-space" not in style


def test_the_cells_words_are_unchanged() -> None:
    html = html_table(_table())
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells == [_LONG, "r" * 40, "N=215M D=4B", "0.5<br>[0.4, 0.6]"]
