"""What the report pages say, read as a reader reads them (tags stripped): the loss report on
the bundled runs and on the Chinchilla points with --drop-outliers, and the hparams page on
the shared Step Law sweep. Each fact once, in its section; numbers in the units the command
line prints; every interval says its level and kind, or why there is none."""

from __future__ import annotations

import re

import pytest
from tests._pages import page_text
from tests.conftest import CHINCHILLA_CSV, SHARED

from scalinglab._format import format_beyond
from scalinglab.cli import main

# its module's fixtures: 5.9 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def _write(tmp_path_factory: pytest.TempPathFactory, *args: str) -> str:
    out = tmp_path_factory.mktemp("page") / "page.html"
    assert main(["report", *args, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def default_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _write(tmp_path_factory)  # the bundled real runs, every default


@pytest.mark.heavy
def test_plan_table_says_its_intervals_and_distance_beyond_the_data(default_page: str) -> None:
    plan = page_text(default_page, "plan")
    assert "bootstrap intervals in brackets" not in plan
    assert (
        "for N*, D* and tokens/param the 90% interval over the 200 bootstrap fits' optima; for the loss "
        "the fit's 90% backtest-calibrated prediction interval for one run at (N*, D*)" in plan
    )
    assert "with 90% intervals over 200 bootstrap fits&#x27; optima; grey points" in default_page
    assert "8.96B [2.15B, 20.8B]" in plan and "e+09" not in plan  # as `plan` prints N*
    # the loss to `plan`'s digits too (2.3671 [2.1719, 2.5799]; the last may vary by build)
    assert re.search(r"2\.36\d\d \[2\.17\d\d, 2\.5[78]\d\d\]", plan), plan
    table = default_page[default_page.index("<table class='plan'>") :]
    cells = re.findall(r"<td class='num[^']*' data-value='([^']*)'>([^<]*)</td></tr>", table)[:4]
    distances = [float(d) for d, _ in cells]
    # the shown factor and decades are the allocation's distance: x22 ... x3,074 as the CLI
    assert [shown for _, shown in cells] == ["{} ({})".format(*format_beyond(d)) for d in distances]
    assert cells[0][1] == "x22 (1.34 dec)" and cells[-1][1] == "x3,074 (3.49 dec)"
    assert 10 ** distances[0] == pytest.approx(22, abs=0.5)
    assert "rows more than 1 decade beyond the fitted runs" in plan  # the plan's notes
    assert "past 2.06 decades beyond the fitted runs" in plan


def test_isoflop_without_interval_says_why(default_page: str) -> None:
    iso = page_text(default_page, "isoflop")
    assert "90% intervals, 200 resamples" not in iso  # every budget holds exactly 3 runs
    why = "no intervals: every budget used holds exactly 3 runs"
    assert f"N_opt ∝ C^0.322, D_opt ∝ C^0.678 ({why}" in iso
    assert iso.count("ok; no interval: exactly 3 runs") == 3  # one per budget
    assert "5.56e18" in iso and "162M" in iso and "5.71B" in iso  # CLI units, not 1.62e+08
    card = page_text(default_page, "card")
    assert f"exponent a = 0.322 for N_opt ∝ C^a ({why}" in card


def test_every_figure_has_a_caption_that_says_its_intervals(default_page: str) -> None:
    figures = re.findall(
        r"<figure id='fig-([a-z-]+)'>(<figcaption>.*?</figcaption>)?", default_page
    )
    assert [key for key, _ in figures] == [
        "loss-scaling", "residuals", "frontier", "backtest", "isoflop",
    ]  # fmt: skip
    assert all(caption for _, caption in figures)
    backtest = dict(figures)["backtest"]
    assert "90% backtest-calibrated prediction interval" in backtest
    assert "<th>90% backtest-calibrated interval</th>" in default_page


def test_card_ranges_in_units_and_each_reading_note_once(default_page: str) -> None:
    card = page_text(default_page, "card")
    assert "N: 10.6M to 412M, D: 52.8M to 132B" in card
    text = page_text(default_page)
    assert text.count("bundled real runs; flops = 6·params·tokens") == 1
    assert "bundled real runs; flops = 6·params·tokens" in page_text(default_page, "data")


@pytest.mark.skipif(not CHINCHILLA_CSV.exists(), reason=f"{CHINCHILLA_CSV} not found")
@pytest.mark.heavy
def test_runs_left_out_are_listed_once_with_the_data(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = _write(tmp_path_factory, str(CHINCHILLA_CSV), "--drop-outliers", "--no-validate")
    text = page_text(page)
    for run in ("row2", "row3", "row4", "row5", "row6", "row7", "row12"):
        assert len(re.findall(rf"\b{run}\b", text)) == 1, run
        assert f"run '{run}' (row " in page_text(page, "data")
    assert text.count("column 'Model Size' read as params") == 1
    assert "<a href='#data'>7 runs, listed with the data</a>" in page  # the card counts


@pytest.mark.skipif(not STEPLAW.exists(), reason=f"{STEPLAW} not found")
@pytest.mark.heavy
def test_hparams_page_has_no_nan_and_batch_in_units(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = _write(
        tmp_path_factory, str(STEPLAW), "--hparams", "--seq-len", "2048", "--y", "smooth loss"
    )
    text = page_text(page)
    assert "nan" not in text.lower()
    # the held-out cell's prediction lies next to a grid point never run: no regret read
    rows = re.findall(r"<tr><td>([a-z0-9]+)</td><td>N=537M D=10B</td>(.*?)</tr>", page)
    runs = {method: re.findall(r"<td[^>]*>(.*?)</td>", cells)[-1] for method, cells in rows}
    assert runs["scalinglab"] == "—" and runs["deepseek2024"].endswith("%")
    assert "— where it cannot be read; the notes below say why" in text
    assert (
        "N=537M D=10B (scalinglab, naive, steplaw2025): next to a grid point never run "
        "(lr 0.00138, batch 262K)"
    ) in text
    assert "191K" in text and "1.912e+05" not in text  # B* as the CLI prints it
