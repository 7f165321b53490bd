"""``curves fit --bootstrap 0``'s coefficient table keeps its natural width, as ``fit
--bootstrap 0``'s does: its long title (``multipower fitted to 3 curves (converged)``) is a
line above it and the table is titled ``fitted coefficients``; the table was stretched to
the long title's width (two narrow columns padded out to 41 characters). ``curves predict``
and ``curves compare`` without a bootstrap, the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE
from tests.test_curves_reading import _frame

from scalinglab import fit_curves
from scalinglab.cli import main
from scalinglab.curves import Tissue


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


def _natural(lines: list[str], title: str, heads: tuple[str, ...], *, narrower: bool) -> None:
    """``title`` alone on its line, then the table's short title, then a table each of
    whose columns is as wide as its widest cell or header plus a space either side;
    ``narrower``: than the title, which stretched it."""
    k = lines.index(title)
    top = lines[k + 2]
    assert top.startswith("┏")
    end = next(j for j in range(k + 2, len(lines)) if lines[j].startswith("└"))
    rows = [n.replace("┃", "│") for n in lines[k + 2 : end] if n[:1] in "│┃"]
    cells = [[c.strip() for c in n.strip("│").split("│")] for n in rows]
    assert cells[0] == list(heads)
    widths = [max(len(row[j]) for row in cells) + 2 for j in range(len(heads))]
    assert [len(part) for part in top.strip("┏┓").split("┳")] == widths
    assert len(top) == sum(widths) + len(heads) + 1
    assert (len(top) < len(title)) is narrower


def test_predict_and_compare_keep_their_natural_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "point.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=0).save(path)
    spec = "cosine:steps=3000"
    assert main(["curves", "predict", "--fit", str(path), "--schedule", spec]) == 0
    lines = capsys.readouterr().out.splitlines()
    title = next(n for n in lines if ": predicted loss under " in n)
    assert title.startswith("tissue: predicted loss under cosine")
    assert lines[lines.index(title) + 1].rstrip() == "predicted loss"
    _natural(lines, title, ("step", "lr", "loss"), narrower=True)
    args = ["--steps", "3000", "--schedules", "wsd:0.2"]
    assert main(["curves", "compare", "--fit", str(path), *args]) == 0
    lines = capsys.readouterr().out.splitlines()
    title = "tissue: final loss after 3,000 steps"
    assert lines[lines.index(title) + 1].rstrip() == "final loss by schedule"
    _natural(lines, title, ("schedule", "final loss", "gain over cosine"), narrower=False)
