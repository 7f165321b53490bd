"""One warning colour, the report page's and the notebook views' alike (the page once said
#8a5a00, the views #a66a00): defined once (``_html_table.WARNING_COLOUR``), readable on a
white page (WCAG AA, 4.5:1, computed here from the WCAG 2 formula) and on a dark notebook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scalinglab import fit, simulated_runs
from scalinglab._html_table import WARNING_COLOUR
from scalinglab.cli import main


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_colour_reads_on_light_and_dark_pages() -> None:
    assert _contrast(WARNING_COLOUR, "#ffffff") >= 4.5
    assert _contrast(WARNING_COLOUR, "#111111") >= 4.0


@pytest.mark.heavy
def test_the_report_page_and_a_notebook_view_colour_warnings_alike(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert main(["report", "--out", str(page)]) == 0  # the bundled runs
    html = page.read_text(encoding="utf-8")
    style = html.split("<style>")[1].split("</style>")[0]
    assert f"--warn: {WARNING_COLOUR};" in style
    for rule in (".status.warn, .warnings", "td.far"):
        body = re.search(re.escape(rule) + r" \{([^}]*)\}", style)
        assert body is not None and "color: var(--warn)" in body.group(1), rule
    # every colour the page's style sheet names for a warning is the views' one
    assert set(re.findall(r"#[0-9a-f]{6}", style)) & {"#8a5a00", "#a66a00"} == set()
    view = fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)._repr_html_()  # warns
    warned = re.findall(r"<div style='([^']*)'><b>warning:</b> ", view)
    assert warned and all(f"color:{WARNING_COLOUR}" in s for s in warned)
