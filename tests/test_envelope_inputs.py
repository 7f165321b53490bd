"""What ``envelope`` refuses or says about its input: final losses instead of curves, columns
it does not read, and a run table that contradicts the curves' own sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import DataError, envelope

#: Final losses, one row per run: what fit and isoflop read, not curves.
FINAL = """run,params,tokens,loss
a,1e7,2e8,3.9
b,3e7,6e8,3.5
c,1e8,2e9,3.1
d,3e8,6e9,2.8
"""


def test_one_point_per_run_is_refused_naming_what_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "final.csv"
    path.write_text(FINAL)
    with pytest.raises(DataError, match="no run has 2\\+ points") as err:
        envelope(path, bootstrap=20)
    assert "use isoflop or fit" in err.value.hint
    code, _, stderr = cli(capsys, "envelope", str(path), "--bootstrap", "20")
    assert code == 2
    assert "no run has 2+ points (all 4 have one)" in stderr and "isoflop or fit" in stderr
