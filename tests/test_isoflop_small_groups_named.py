"""Where budgets found in the data have too few runs for a parabola, isoflop's note names
them as ``--compute`` (``budgets=``) does: it said only "4 runs in 2 groups of fewer
than 3 runs left out" while the same runs with ``--compute`` named "budget 3e18 FLOPs"."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import isoflop
from scalinglab.cli import main

GRID = {
    1e18: [1e8, 2e8, 4e8, 8e8],
    3e18: [2e8, 4e8],
    1e19: [4e8, 8e8],
    3e19: [2e8, 5e8, 1e9, 2e9],
    1e20: [5e8, 1e9, 2e9, 4e9],
}


def _write(path: Path) -> Path:
    lines = ["params,tokens,flops,loss"]
    for flops, sizes in GRID.items():
        for n in sizes:
            d = flops / (6 * n)
            lines.append(f"{n:g},{d:g},{flops:g},{1.7 + 400 / n**0.34 + 410 / d**0.28:.6f}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_note_names_the_budgets_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = _write(tmp_path / "iso.csv")
    note = (
        "4 runs in 2 groups of fewer than 3 runs left out, at 3e18, 1e19 FLOPs (too few "
        "within 0.05 decades of each other)"
    )
    assert note in isoflop(csv, bootstrap=0).notes
    assert main(["isoflop", str(csv), "--bootstrap", "0"]) == 0
    assert f"note: {note}" in " ".join(capsys.readouterr().out.split())
