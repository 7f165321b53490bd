"""A page's coefficient table writes each value and its interval's ends as the command
line's table does (and as the page's own warnings and notes quote them): the fit page
wrote E's interval on the bundled runs as ``0.058214`` to ``1.6949`` where ``scalinglab
fit`` and the page's edge note wrote ``[0.0582, 1.6949]``, a perplexity fit's ``[0.74090,
1.0297]`` as ``0.7409``, ``1.0297``, and the curves page L0 = ``2.7920`` as ``2.792``."""

from __future__ import annotations

import re

from tests.test_curves import SPECS, _synthetic

import scalinglab


def _rows(table: str) -> list[tuple[str, ...]]:
    """Each body row's cells as text: the coefficient's name, then its number cells."""
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        (name, *re.findall(r"<td class='num'[^>]*>([^<]*)</td>", row))
        for name, row in re.findall(r"<th scope='row'>([^<]*)</th>(.*?)</tr>", body)
    ]


def _said(rows: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """A text table's rows (coef, value, ``[lower, upper]``) as the page's cells would be."""
    return [(name, value, *band[1:-1].split(", ")) for name, value, band in rows]


def test_fit_page_writes_the_coefficients_as_fit_does() -> None:
    from scalinglab.data import default_runs
    from scalinglab.fit._text import fit_text
    from scalinglab.report._html_sections import fit_section

    result = scalinglab.fit("chinchilla", default_runs(), bootstrap=50, seed=0)
    html = fit_section(result).body
    rows = _rows(html[html.index("<table class='params'>") :])
    assert rows == _said(fit_text(result).rows)  # what `scalinglab fit` and str() print


def test_curves_page_writes_the_coefficients_as_curves_fit_does() -> None:
    from scalinglab.curves import Tissue
    from scalinglab.curves._report_parts import coefs_html
    from scalinglab.curves._rows import coef_table

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3)
    result = scalinglab.fit_curves(curves, law="tissue", bootstrap=20)
    table = coef_table(result, title="")
    printed = [tuple(cell.text for cell in row) for row in table.rows]
    assert _rows(coefs_html(result)) == _said(tuple(printed))
