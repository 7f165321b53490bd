"""Downstream's tables (evaluations, chance levels, runs) are refused as a run table's file
is: an empty file, a missing one, one of blank lines, each with the run table's message and
hint, and a bad loss cell's hint names --via, the option that chose the loss."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models


@pytest.mark.parametrize(
    ("content", "message", "hint"),
    [
        ("", "the file is empty (0 bytes)", "write a header line, then one row per model"),
        ("\n\n", "the file holds only blank lines", "write a header line, then one row per model"),
        (None, "file not found", "check the path (relative paths start at "),
    ],
)
def test_an_evaluation_file_is_refused_as_a_run_table_is(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str | None,
    message: str,
    hint: str,
) -> None:
    path = tmp_path / "evals.csv"
    if content is not None:
        path.write_text(content)
    code, out, err = run(capsys, "downstream", "fit", str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.splitlines()[0] == f"error: {path}: {message}"
    assert err.splitlines()[1].startswith(f"hint: {hint}")


def test_an_empty_chance_file_says_what_it_holds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    evals, chance = tmp_path / "evals.csv", tmp_path / "chance.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(evals, index=False)
    chance.write_text("")
    code, _, err = run(capsys, "downstream", "fit", str(evals), "--chance", str(chance))
    assert code == 2
    assert f"error: {chance}: the file is empty (0 bytes)" in err
    assert "hint: write a header line, then one row per task (task, chance)" in err


def test_a_bad_loss_cell_hints_via(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame = frame.rename(columns={"loss": "loss_c4"}).astype({"loss_c4": object})
    frame.loc[2, "loss_c4"] = "2.9X"
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    code, _, err = run(capsys, "downstream", "fit", str(path), "--via", "loss_c4")
    assert code == 2
    assert err.splitlines()[0] == f"error: {path}, row 4, column 'loss_c4': '2.9X' is not a number"
    assert err.rstrip().endswith("or read loss from another column: --via COLUMN")
    assert "--y" not in err
