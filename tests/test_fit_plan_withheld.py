"""``fit`` withholds its plan table when the runs leave N and D unidentified (a fixed
tokens-per-parameter ladder: every run on one power curve), keyed off the check behind the
fit's warning, where it printed N*, D* splits such as 167B params on 1 token."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scalinglab.cli import main


def _runs(path: Path, *, ratio_spread: bool) -> Path:
    n = np.array([1e6, 2e6, 4e6, 8e6, 16e6, 32e6, 64e6, 128e6])
    ratio = np.array([5, 40, 10, 80, 20, 5, 40, 10]) if ratio_spread else np.full(8, 20)
    d = n * ratio
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    points = enumerate(zip(n, d, loss, strict=True))
    rows = "\n".join(f"r{i},{a:.6g},{b:.6g},{c:.6g}" for i, (a, b, c) in points)
    path.write_text("run,params,tokens,loss\n" + rows + "\n")
    return path


@pytest.mark.parametrize("spread", [False, True])
def test_plan_table_withheld_only_when_n_and_d_move_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spread: bool
) -> None:
    runs = _runs(tmp_path / "r.csv", ratio_spread=spread)
    main(["fit", str(runs), "--law", "chinchilla", "--bootstrap", "0", "--compute", "1e21"])
    out = " ".join(capsys.readouterr().out.split())
    withheld = "plan table withheld: the runs do not identify the law's terms" in out
    assert withheld is not spread
    assert ("move together" in out) is not spread
