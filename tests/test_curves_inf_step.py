"""A step of inf in a curve file is refused by its row (it was left out unsaid, and the fit
changed), as a fractional step is; the hint asks to fix the value, not to name another
column."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main


def test_an_infinite_step_is_refused_by_its_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = ["run,step,lr,loss"]
    lines += [f"a,{s},0.003,{4 - s / 1000:.3f}" for s in range(50, 1050, 50)]
    lines[4] = "a,inf,0.003,3.8"  # the file's line 5
    path = tmp_path / "curves.csv"
    path.write_text("\n".join(lines) + "\n")
    code = main(["curves", "fit", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}, row 5, column 'step': step inf is not a finite number" in err
    assert "fix the value, or remove the row" in err
    assert "Traceback" not in err
