"""The budgets a plan table takes when none are given: 1e21-1e24 FLOPs where the runs reach
within 2 decades of 1e21, else 10x, 100x, 1000x the largest run's compute, said in one line
(a ladder of 4e11-FLOP runs was planned 9-12 decades beyond its data)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.plan._budgets import STANDARD_BUDGETS, Budgets, default_budgets
from scalinglab.report import render_report

NOTE = (
    "budgets 1e18, 1e19, 1e20 FLOPs: 10x, 100x, 1000x the largest run's compute (1e17), as "
    "it lies 4.0 decades below the default 1e21-1e24; choose with --compute (budgets= in "
    "Python)"
)
#: fit's: its table is ``optimal_allocation``'s, whose keyword is ``flops=`` (report's
#: ``write_report`` takes ``budgets=``).
FIT_NOTE = NOTE.replace("(budgets= in Python)", "(flops= in Python)")


def test_budgets_follow_the_largest_run_far_below_the_standard_ones() -> None:
    small = default_budgets([1e10, 4.04e11])
    assert small.values == (4e12, 4e13, 4e14)
    assert small.note is not None and small.note.startswith(
        "budgets 4e12, 4e13, 4e14 FLOPs: 10x, 100x, 1000x the largest run's compute "
        "(4.04e11), as it lies 9.4 decades below the default 1e21-1e24"
    )
    assert default_budgets([9e18]).values == (9e19, 9e20, 9e21)  # 2.05 decades below
    for near in ([1e19], [3e20], [1e25], None, [float("nan")]):  # the bundled data: 3e20
        assert default_budgets(near) == Budgets(STANDARD_BUDGETS)


def _small_runs(tmp_path: Path) -> str:
    """Chinchilla runs of 1e6-1e7 parameters: the largest trains 1e17 FLOPs."""
    n = np.repeat(np.geomspace(1e6, 1e7, 4), 3)
    d = n * np.tile([20.0, 100.0, 1000.0 / 6.0], 4)
    loss = 1.69 + 406.4 * n**-0.34 + 410.7 * d**-0.28
    cells = enumerate(zip(n, d, loss, strict=True))
    rows = [f"r{i},{a:.6g},{b:.6g},{y:.6g}" for i, (a, b, y) in cells]
    path = tmp_path / "small.csv"
    path.write_text("name,params,tokens,loss\n" + "\n".join(rows) + "\n")
    return str(path)


def test_fit_plans_small_runs_near_their_compute_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [_small_runs(tmp_path), "--bootstrap", "0", "--no-compare"]
    code, out, err = cli(capsys, "fit", *runs, "--json")
    assert code == 0, err
    assert [row["flops"] for row in json.loads(out)["plan"]] == [1e18, 1e19, 1e20]
    assert f"note: {FIT_NOTE}" in err.splitlines()
    code, out, _ = cli(capsys, "fit", *runs)
    assert code == 0 and f"note: {FIT_NOTE}" in out.splitlines()
    code, out, _ = cli(capsys, "fit", *runs, "--compute", "1e21", "--json")
    assert [row["flops"] for row in json.loads(out)["plan"]] == [1e21]  # given: as given


@pytest.mark.heavy
def test_report_plans_small_runs_near_their_compute_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    args = [_small_runs(tmp_path), "--bootstrap", "0", "--no-validate", "--out", str(page)]
    code, _, err = cli(capsys, "report", *args)
    assert code == 0, err
    assert f"note: {NOTE}" in err.splitlines()
    html = page.read_text()
    assert NOTE.replace("'", "&#x27;") in html
    assert "--compute 1e18,1e19,1e20" in html  # the card's command remakes the same rows
    # from Python: no budgets given takes the same default, and says it
    table = sl.read_runs(tmp_path / "small.csv")
    result = sl.fit("chinchilla", table, bootstrap=0)
    assert NOTE.replace("'", "&#x27;") in render_report(result, table)
    # said once the fit succeeded: not above the error of a fit that cannot be made
    few = tmp_path / "few.csv"
    few.write_text("\n".join((tmp_path / "small.csv").read_text().splitlines()[:6]) + "\n")
    code, _, err = cli(capsys, "report", str(few), "--out", str(page))
    assert code == 2 and "a fit needs at least 6 runs" in err and "budgets" not in err


def test_fit_and_report_help_state_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("fit", "report"):
        _, out, _ = cli(capsys, command, "--help")
        assert "1000x the largest run's compute" in " ".join(out.split())
