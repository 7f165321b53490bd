"""The report's style sheet, inlined in the page (system fonts only: nothing to download)."""

from __future__ import annotations

from scalinglab._html_table import WARNING_COLOUR

__all__ = ["STYLE"]

#: The most columns a report table has (the data table: run, row, its variables, fitted,
#: residual and the run's labels).
_MOST_COLUMNS = 24

#: The page's colours; a warning's is the notebook views' (:data:`WARNING_COLOUR`).
_ROOT = (
    ":root { color-scheme: light; --ink: #1d2430; --muted: #5b6577; --rule: #d9dee7; "
    f"--warn: {WARNING_COLOUR}; }}"
)

#: A header sits as its column's cells do: right over a column of numbers (a ``num`` cell in
#: any row), left over text; no table here spans its head's cells or its rows' (``:has``:
#: a browser without it leaves every header left, as before).
_NUM_HEADS = (
    ",\n".join(
        f"table:has(> tbody > tr > td.num:nth-child({n})) > thead > tr > th:nth-child({n})"
        for n in range(1, _MOST_COLUMNS + 1)
    )
    + " { text-align: right; }"
)

#: Printed, a table's text cell may wrap anywhere (a long run name), but a number and a
#: header's word stay whole, wrapping at their spaces alone (an interval after its comma);
#: they broke anywhere too, ``2.6881`` printed as ``2.688`` over ``1``.
STYLE = (
    "\n"
    + _ROOT
    + "\n"
    + _NUM_HEADS
    + """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--ink); background: #fff; }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 1.5em; margin: 0 0 6px; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 32px 0 10px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05em; margin: 18px 0 6px; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 28px; padding-left: 18px; margin: 8px 0 14px;
         list-style-position: inside; }
.meta, .cite, figcaption, .notes { color: var(--muted); font-size: 0.92em; }
.simulated { color: #8b0000; font-weight: 600; }
.banner { background: #fdecec; border: 1px solid #e7a5a5; padding: 8px 12px; border-radius: 4px; }
.formula code { font-size: 1.08em; background: #f3f5f9; padding: 3px 8px; border-radius: 3px;
                overflow-wrap: anywhere; }
.status.ok { color: #1f6b35; } .status.bad { color: #8b0000; font-weight: 600; }
.status.warn, .warnings { color: var(--warn); } .status.warn { font-weight: 600; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.92em; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ci { color: var(--muted); }
td.far { font-weight: 600; color: var(--warn); }
table.card { width: 100%; }
table.card th { width: 16em; font-weight: 600; }
table.card td { overflow-wrap: anywhere; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid var(--rule); }
.scroll table { margin: 0; }
.scroll thead th { position: sticky; top: 0; background: #fff; }
@media print { .scroll { max-height: none; overflow: visible; border: 0; }
               header, main { padding: 0; }
               table { font-size: 0.8em; }
               th, td { padding: 3px 6px; overflow-wrap: anywhere; }
               th, td.num { overflow-wrap: normal; }
               td.num { white-space: normal; }
               figure, tr, .formula, .status { break-inside: avoid; }
               h2, h3, p:has(+ table), p:has(+ figure) { break-after: avoid; } }
figure { margin: 14px 0 22px; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
"""
)
