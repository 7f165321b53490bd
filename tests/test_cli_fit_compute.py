"""``fit --compute`` with a law that gives no allocation: the loss at that compute for a
law of compute alone, a note saying why for a law of neither, never silence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scalinglab.cli import main


def _runs(tmp_path: Path) -> str:
    path = tmp_path / "runs.csv"
    flops = np.geomspace(1e15, 1e18, 6)
    params = np.sqrt(flops / 120.0)
    loss = 1.7 + 30.0 * flops**-0.1
    rows = ["params,tokens,flops,loss"] + [
        f"{n:.6g},{c / (6 * n):.6g},{c:.6g},{l:.6g}"
        for n, c, l in zip(params, flops, loss, strict=True)
    ]
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_a_law_of_compute_gives_the_loss_at_the_asked_compute(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = _runs(tmp_path)
    law = ["--law", "power-law-plus-constant:flops", "--bootstrap", "50"]
    assert main(["fit", runs, *law, "--compute", "1e19", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)["plan"]
    assert len(plan) == 1 and plan[0]["flops"] == 1e19
    assert plan[0]["loss"] == pytest.approx(1.7 + 30.0 * 1e19**-0.1, rel=1e-3)
    assert plan[0]["loss_lower"] <= plan[0]["loss"] <= plan[0]["loss_upper"]
    assert main(["fit", runs, *law, "--compute", "1e19"]) == 0
    out = capsys.readouterr().out
    assert "loss at each budget (the fitted runs' flops column" in out
    # no N*, D* columns, and the interval line says what plan --compute says of L(C)
    assert "params N*" not in out and "tokens D*" not in out
    assert "prediction interval for one run at C\n" in out
    assert "(N*, D*)" not in out and "the other intervals" not in out
    assert main(["fit", runs, *law]) == 0  # no --compute: no table for such a law
    assert "loss at each budget" not in capsys.readouterr().out


def test_a_law_of_neither_says_compute_was_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fit", _runs(tmp_path), "--law", "power-law:params", "--compute", "1e19"]) == 0
    assert "note: --compute ignored: law power-law has neither N and D nor compute C alone" in (
        capsys.readouterr().out.replace("\n", " ")
    )
