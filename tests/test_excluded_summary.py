"""Many runs left out by ``--drop-outliers`` are said in one note naming the first five and
how many more (600 NaN losses in 5,000 runs printed 600 note lines, 41 KB, where the same file
without the flag gets a one-line error); the fit's JSON lists every one under ``"excluded"``,
and a few are still noted one by one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab import FitResult, fit
from scalinglab.data import read_runs
from scalinglab.data._outliers import NOTED_EACH


def chinchilla_runs(path: Path, *, n: int, missing: int) -> Path:
    """``n`` runs of a Chinchilla-like law, the loss of every third ``nan`` up to ``missing``
    (a diverged run; a blank cell is no run, skipped with a note)."""
    rng = np.random.default_rng(0)
    params, tokens = 10 ** rng.uniform(7, 9.5, n), 10 ** rng.uniform(9, 11.5, n)
    loss = 1.7 + 400 * params**-0.34 + 410 * tokens**-0.28
    lines = ["run,params,tokens,loss"]
    blank = set(range(0, 3 * missing, 3))
    for i in range(n):
        cell = "nan" if i in blank else f"{loss[i] * (1 + 0.005 * rng.standard_normal()):.6f}"
        lines.append(f"r{i},{params[i]:.0f},{tokens[i]:.0f},{cell}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_many_runs_excluded_are_one_note_and_all_in_the_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = chinchilla_runs(tmp_path / "runs.csv", n=90, missing=25)
    code, out, err = cli(capsys, "fit", str(path), "--drop-outliers", "--bootstrap", "20")
    assert code == 0
    said = [line for line in (out + err).splitlines() if "excluded" in line]
    assert said == [
        "data: " + str(path) + " (65 runs, 25 excluded)",
        "note: 25 runs excluded: run 'r0' (row 2): loss is missing or NaN; run 'r3' (row 5): "
        "loss is missing or NaN; run 'r6' (row 8): loss is missing or NaN; run 'r9' (row 11): "
        "loss is missing or NaN; run 'r12' (row 14): loss is missing or NaN; and 20 more — "
        'every one is listed under "excluded" in `fit --json` (the run table\'s .excluded in '
        "Python)",
    ], said
    code, out, _ = cli(capsys, "fit", str(path), "--drop-outliers", "--bootstrap", "20", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["excluded"]) == 25
    assert data["excluded"][-1] == {"run": "r72", "reason": "loss is missing or NaN"}
    assert sum("excluded" in n for n in data["notes"]) == 1  # the summary, not 25 notes


def test_the_excluded_runs_survive_a_fit_file(tmp_path: Path) -> None:
    table = read_runs(chinchilla_runs(tmp_path / "runs.csv", n=90, missing=25), drop_outliers=True)
    assert len(table.excluded) == 25 and len(table.notes) < 5
    result = fit("chinchilla", table, bootstrap=0)
    assert result.excluded == table.excluded
    result.save(tmp_path / "fit.json")
    assert FitResult.load(tmp_path / "fit.json").excluded == table.excluded


def test_a_few_runs_excluded_are_noted_one_by_one(tmp_path: Path) -> None:
    table = read_runs(
        chinchilla_runs(tmp_path / "runs.csv", n=60, missing=NOTED_EACH), drop_outliers=True
    )
    noted = [n for n in table.notes if "excluded" in n]
    assert len(noted) == NOTED_EACH
    assert noted[1] == "run 'r3' (row 5) excluded: loss is missing or NaN"
