"""``curves fit --bootstrap 0``'s coefficient table keeps its natural width, as ``fit
--bootstrap 0``'s does: its long title (``multipower fitted to 3 curves (converged)``) is a
line above it and the table is titled ``fitted coefficients``; the table was stretched to
the long title's width (two narrow columns padded out to 41 characters)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_curves_reading import _frame

from scalinglab.cli import main


def test_the_table_keeps_its_natural_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hist.csv"
    _frame().to_csv(path, index=False)
    code = main(["curves", "fit", str(path), "--law", "tissue", "--bootstrap", "0"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    title = next(n for n in lines if "fitted to 3 curves" in n)
    assert title == "tissue fitted to 3 curves (converged)"
    k = lines.index(title)
    assert lines[k + 1].rstrip() == "fitted coefficients"  # as fit --bootstrap 0 titles it
    top, rows = lines[k + 2], [n for n in lines if n.startswith("│")]
    cells = [[c.strip() for c in n.strip("│").split("│")] for n in rows]
    # each column as wide as its widest cell or header, plus a space either side
    widths = [
        max(len(head), *(len(row[j]) for row in cells)) + 2
        for j, head in enumerate(("coef", "value"))
    ]
    assert [len(part) for part in top.strip("┏┓").split("┳")] == widths
    assert len(top) == sum(widths) + 3 < len(title)
