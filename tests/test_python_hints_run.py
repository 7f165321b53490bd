"""A hint that names a Python spelling names one that works: isoflop's said
``(columns={'flops': COLUMN} in Python)``, and ``isoflop(..., columns=...)`` refuses
columns=. Each hint's Python call is run here, COLUMN made the table's own column."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import scalinglab
from scalinglab import DataError
from scalinglab.cli import main


def _grid(path: Path, flops: str, params: str) -> Path:
    """An IsoFLOP grid of a known optimum: loss 2 + (log10 N - log10 N*)^2 per budget."""
    lines = [f"{params},{flops},loss"]
    for c in (1e18, 1e19, 1e20):
        best = 0.09 * c**0.5
        for k in (-0.6, -0.3, 0.0, 0.3, 0.6):
            lines.append(f"{best * 10**k:g},{c:g},{2 + k * k:.6f}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _python_call(hint: str) -> str:
    found = re.search(r"\((read_runs\(\.\.\., columns=\{'\w+': COLUMN\}\)) in Python\)", hint)
    assert found is not None, hint
    return found.group(1)


@pytest.mark.parametrize(
    ("flops", "params", "missing", "column"),
    [("budget_c", "model_size", "flops", "budget_c"), ("compute", "size", "params", "size")],
)
def test_the_hinted_python_call_reads_the_column(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flops: str,
    params: str,
    missing: str,
    column: str,
) -> None:
    path = _grid(tmp_path / "iso.csv", flops, params)
    with pytest.raises(DataError) as err:
        scalinglab.isoflop(path, bootstrap=0)
    assert err.value.hint is not None
    call = _python_call(err.value.hint)
    assert main(["isoflop", str(path), "--bootstrap", "0"]) == 2
    assert _python_call(" ".join(capsys.readouterr().err.split())) == call
    assert f"'{missing}'" in call
    code = call.replace("...", repr(str(path))).replace("COLUMN", repr(column))
    table = eval(code, {"read_runs": scalinglab.read_runs})
    found = scalinglab.isoflop(table, bootstrap=0)
    # each vertex is the grid's optimum N* = 0.09 C^0.5 (to the CSV's 6 digits): a = 0.5
    assert float(found.a) == pytest.approx(0.5, abs=1e-6)
    vertices = [float(b.params_opt) for b in found.budgets]
    assert np.allclose(vertices, 0.09 * np.array([1e18, 1e19, 1e20]) ** 0.5, rtol=1e-5)
