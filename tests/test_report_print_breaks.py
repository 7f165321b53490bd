"""A printed page (the browser's "Save as PDF") keeps each figure whole, its caption with
its drawing, a table row on one page, and a heading with what follows it: the default
report printed "Residuals." at the foot of page 1 and its figure on page 2."""

from __future__ import annotations

import re

from scalinglab.report._html_style import STYLE


def _print_rules() -> dict[str, set[str]]:
    start = STYLE.index("@media print {") + len("@media print {")
    rules: dict[str, set[str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", STYLE[start:]):
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), set()).update(
                d.strip() for d in body.split(";") if d.strip()
            )
    return rules


def test_print_keeps_figures_rows_and_headings_together() -> None:
    rules = _print_rules()
    for kept_whole in ("figure", "tr"):
        assert "break-inside: avoid" in rules[kept_whole], kept_whole
    for heading in ("h2", "h3"):
        assert "break-after: avoid" in rules[heading], heading
    assert "max-height: none" in rules[".scroll"]  # the data table prints whole, as before
