"""A plan row below the fitted runs says so, as ``predict`` says a point below them does:
``x… below`` in ``plan``'s table, ``fit --compute``'s table and the report's plan table, and
``"below": true`` beside ``"distance"`` in ``plan --json`` and ``predict --json`` (the
attributes ``Allocation.below`` and ``Prediction.below``). The tables printed a row 13 decades
below the runs as ``x1.4e13`` under "beyond the data"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

from scalinglab import FitResult, optimal_allocation
from scalinglab.cli import main


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chinchilla fitted to 30 IsoFLOP runs at 1e18-1e20 FLOPs, with 20 resamples."""
    folder = tmp_path_factory.mktemp("below")
    isoflop_runs(seed=5).to_csv(folder / "runs.csv", index_label="run")
    path = folder / "fit.json"
    assert main(["fit", str(folder / "runs.csv"), "--no-compare", "--bootstrap", "20",
                 "--json", "--out", str(path)]) == 0  # fmt: skip
    return path


def _beyond_cells(out: str) -> list[str]:
    """Each table row's cells, joined by spaces."""
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines()]
    return [" ".join(r) for r in rows if r]


def test_a_budget_below_the_runs_reads_below_in_plan_and_its_json(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    a = optimal_allocation(str(fit_file), flops=1e5)
    b = optimal_allocation(str(fit_file), flops=1e24)
    assert a.distance > 10 and a.below is True
    assert b.distance > 1 and b.below is False
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file), "--compute", "1e5")
    assert code == 0
    factor = f"x{10**a.distance:.1e}".replace("e+", "e")
    assert f"beyond the data {factor} below N, D, N·D or tokens/param" in _beyond_cells(out)
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file), "--compute", "1e24")
    assert code == 0 and " below" not in "".join(_beyond_cells(out))
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file), "--compute", "1e5,1e24", "--json")
    assert code == 0
    plans = json.loads(out)["plans"]
    assert [(p["allocation"]["distance"], p["allocation"]["below"]) for p in plans] == [
        (a.distance, True), (b.distance, False)
    ]  # fmt: skip
    assert a.to_dict()["below"] is True


def test_the_fit_tables_plan_rows_below_the_runs_say_so(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    runs = fit_file.parent / "runs.csv"
    code, out, _ = cli(capsys, "fit", str(runs), "--no-compare", "--bootstrap", "0",
                       "--compute", "1e5,1e24")  # fmt: skip
    assert code == 0
    cells = _beyond_cells(out)
    assert any(c.startswith("1e5 ") and c.endswith(" below") for c in cells), cells
    assert any(c.startswith("1e24 ") and not c.endswith(" below") for c in cells), cells


def test_the_report_plan_table_says_below(fit_file: Path) -> None:
    from scalinglab.report._html_sections import plan_section

    html = plan_section(FitResult.load(fit_file), [1e5, 1e24], None).body
    below, above = html.split("</tbody>")[0].split("<tr>")[-2:]
    assert " below (" in below and "below" not in above


def test_predict_json_says_which_way_a_point_lies(
    capsys: pytest.CaptureFixture[str], fit_file: Path
) -> None:
    p = FitResult.load(fit_file).predict(params=[1e6, 7e9], tokens=[1e7, 1.4e12])
    assert p.below is not None and p.below.tolist() == [True, False]
    code, out, err = cli(capsys, "predict", "--fit", str(fit_file), "--params", "1M,7B",
                         "--tokens", "10M,1.4T", "--json")  # fmt: skip
    assert code == 0, err
    points = json.loads(out)["points"]
    assert [(q["distance"], q["below"]) for q in points] == list(
        zip(p.distance.tolist(), [True, False], strict=True)  # type: ignore[union-attr]
    )


def test_a_preset_plan_says_no_direction_it_did_not_measure() -> None:
    # a preset has no runs: no distance, so no "below" either (was False, read as "beyond")
    a = optimal_allocation("hoffmann2022", flops=1e24)
    assert math.isnan(a.distance) and a.below is None
    assert a.to_dict()["below"] is None
