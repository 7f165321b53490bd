"""``Allocation._repr_html_``: a notebook shows the table ``scalinglab plan`` prints, the
same rows (one builder, :func:`scalinglab.plan._text.allocation_text`), every word escaped."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import pytest
from rich.console import Console

from scalinglab import compute_for_loss, fit, get_preset, optimal_allocation, simulated_runs
from scalinglab.cli._views import print_allocation
from scalinglab.fit import FitResult
from scalinglab.plan import Allocation


class _Cells(HTMLParser):
    """The rows of a fragment's table (``<br>`` as a line break), and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def _html(a: Allocation) -> _Cells:
    parser = _Cells()
    parser.feed(a._repr_html_())
    return parser


def _printed(a: Allocation, source: object, query: str) -> list[list[str]]:
    """The rows ``plan`` prints (header first); a cell on two lines joined by a line break."""
    console = Console(record=True, width=200)
    print_allocation(console, a, query=query, source=source, origin="--fit fit.json")
    rows: list[list[str]] = []
    for line in console.export_text().splitlines():
        if not line.startswith(("│", "┃")):
            continue
        cells = [c.strip() for c in line.strip("│┃").replace("┃", "│").split("│")]
        if rows and not cells[0]:  # a continuation: the distance's decades
            rows[-1] = [f"{a}\n{b}" if b else a for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def result() -> FitResult:
    return fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)


def test_cells_are_the_printed_rows(result: FitResult) -> None:
    budget = optimal_allocation(result, flops=1e24)
    target = compute_for_loss(result, target_loss=2.2)
    assert (budget.query, target.query) == ("flops", "target_loss")
    for a in (budget, target):
        shown = _html(a)
        assert shown.rows == _printed(a, result, a.query)
        assert len(shown.rows) == 7  # header, N*, D*, D/N, loss, compute, beyond the data
    assert _html(budget).rows[5][2] == "(given)" and _html(target).rows[4][2] == "(given)"
    assert _html(target).rows[5][2].startswith("[")  # the compute interval, solved
    assert "\n" in _html(budget).rows[6][1]  # x..., then its decades, as printed
    preset = optimal_allocation(get_preset("hoffmann2022"), flops=5.76e23)
    assert _html(preset).rows == _printed(preset, get_preset("hoffmann2022"), "flops")
    text = " ".join(_html(budget).text)
    assert f"method: {budget.method}" in text and f"FLOPs counted as: {budget.flops_rule}" in text


def test_every_word_is_escaped(result: FitResult) -> None:
    a = replace(
        optimal_allocation(result, flops=1e24),
        notes=("<script>alert(1)</script> & more",),
        warnings=("a < b",),
        method="<i>m</i>",
    )
    fragment = a._repr_html_()
    assert "<script>" not in fragment and "<i>m</i>" not in fragment
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in fragment
    assert "a &lt; b" in fragment and "method: &lt;i&gt;m&lt;/i&gt;" in fragment
    parsed = " ".join(_html(a).text)  # the words as written, once unescaped
    assert "<script>alert(1)</script> & more" in parsed and "a < b" in parsed


def _said(a: Allocation, source: object) -> list[str]:
    """The lines ``plan`` prints on what the loss or compute interval is."""
    console = Console(record=True, width=1000)  # wide: the line does not wrap
    print_allocation(console, a, query=a.query, source=source, origin="--fit fit.json")
    heads = ("loss interval: ", "compute interval: ")
    return [line for line in console.export_text().splitlines() if line.startswith(heads)]


def test_the_line_on_what_the_interval_is_as_plan_prints_it(result: FitResult) -> None:
    budget = optimal_allocation(result, flops=1e24)
    kind = budget.loss_interval_kind
    assert kind not in ("none", "parameters")  # a prediction interval: the line is said
    loss = (f"loss interval: the fit's {kind} prediction interval for one run at (N*, D*); "
            "the other intervals: over the bootstrap fits' optima, one per resample")  # fmt: skip
    assert _said(budget, result) == [loss] and loss in _html(budget).text
    target = compute_for_loss(result, target_loss=2.2)
    compute = (
        f"compute interval: from where the lower bound of the fit's "
        f"{target.flops_interval_kind} prediction interval for one run at (N*, D*) reaches "
        "the loss (5% of runs would) to where its upper bound does (95% would); the other "
        "intervals: over the bootstrap fits' optima, one per resample"
    )
    assert _said(target, result) == [compute] and compute in _html(target).text
    assert "loss interval: " not in " ".join(_html(target).text)
    alone = fit("power-law:flops", simulated_runs(), bootstrap=20, seed=0)
    at_c = optimal_allocation(alone, flops=1e24)
    line = (
        f"loss interval: the fit's {at_c.loss_interval_kind} prediction interval for one run at C"
    )
    assert _said(at_c, alone) == [line] and line in _html(at_c).text
    preset = optimal_allocation(get_preset("hoffmann2022"), flops=5.76e23)  # none to say
    assert _said(preset, get_preset("hoffmann2022")) == []
    assert not any("interval: " in t for t in _html(preset).text)
