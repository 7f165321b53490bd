"""The downstream page says what ``downstream fit`` and ``downstream backtest`` print: each
task's fitted law, its backtest on the fitted sizes and the notes (one source for both);
a backtest's verdict names the refit that made it (the full fit's reads alike with other
numbers); and coverage over a few held-out models is a count with the loss page's caution."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from tests._pages import page_text
from tests.test_downstream_screen import CHANCE, ladder

from scalinglab.cli._cmd_downstream_report import write_downstream_report
from scalinglab.cli._downstream_views import print_backtest
from scalinglab.downstream import (
    DownstreamBacktest,
    DownstreamFit,
    Evals,
    backtest_downstream,
    fit_downstream,
    read_evals,
)
from scalinglab.downstream._task_table import task_notes, task_rows

# its module's fixtures: 6.0 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy

HOLDOUT = "largest:2"  # two of the five 300M models: the refit still has three at 300M
OPTIONS = {"law": "chinchilla", "bootstrap": 20, "seed": 0}  # a backtest takes 20 or more
CAUTION = (
    "coverage over 2 held-out models cannot judge calibration: each model moves it 50 "
    "points, and its standard error at 90%, √(p(1−p)/n), is ±21 points; hold out 10 or more "
    "models to judge it (counts shown: 'k of n' models inside)"
)


@pytest.fixture(scope="module")
def evals() -> Evals:
    return read_evals(ladder(np.random.default_rng(3)), chance=CHANCE)


@pytest.fixture(scope="module")
def chain(evals: Evals) -> DownstreamFit:
    """``fit_downstream`` with OPTIONS, fitted once for the tests that read it (frozen)."""
    return fit_downstream(evals, **OPTIONS)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def result(evals: Evals) -> DownstreamBacktest:
    return backtest_downstream(evals, holdout=HOLDOUT, **OPTIONS)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def page(evals: Evals, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("page") / "ds.html"
    write_downstream_report(evals, out, holdout=HOLDOUT, **OPTIONS)  # type: ignore[arg-type]
    return page_text(out.read_text(encoding="utf-8"))


@pytest.mark.heavy
def test_the_backtest_verdict_names_its_own_fit(result: DownstreamBacktest, page: str) -> None:
    breaks = result.tasks["breaks"]
    refit = result.chain.tasks["breaks"].reason
    assert refit.startswith("the backtest on the fitted sizes misses the 300M models by ")
    assert breaks.reason == f"in the refit without the held-out models, {refit}"
    assert result.to_dict()["tasks"]["breaks"]["reason"] == breaks.reason
    said = f"not predictable from these runs: {refit}"  # `downstream fit`'s words
    assert said in page and "not predictable: " not in page
    section = page[page.index("Downstream: backtest per task") :]
    verdicts = section.count("not predictable from these runs: ")
    assert verdicts >= 2  # breaks and the average: the refit named once, under the table
    assert page.count("in the refit without the held-out models") == 1
    assert (
        "verdicts: in the refit without the held-out models (the chain fitted on the kept "
        "models alone)" in section
    )
    console = Console(record=True, width=1000)
    print_backtest(console, result, result.rows(), 0.9)  # `downstream backtest`: its rows
    text = console.export_text()  # short, the refit said once under the table
    assert f"not predictable from these runs: {refit}" in text
    assert text.count("in the refit without the held-out models") == 1
    assert (
        "verdicts: in the refit without the held-out models (the chain fitted on the kept " in text
    )
    assert not result.tasks["steady"].reason  # a task it predicts has no verdict to name


def test_coverage_over_few_models_is_a_count_with_a_caution(
    result: DownstreamBacktest, page: str
) -> None:
    steady = result.tasks["steady"]
    inside = int(np.sum((steady.lower <= steady.actual) & (steady.actual <= steady.upper)))
    assert steady.coverage_scored == 2 and steady.coverage_text == f"{inside} of 2"
    assert result.coverage_note == CAUTION
    assert CAUTION in result.to_dict()["notes"]
    console = Console(record=True, width=300)
    print_backtest(console, result, result.rows(), 0.9)
    text = console.export_text()
    row = next(line for line in text.splitlines() if "│ steady " in line)
    assert row.split("│")[4].strip() == f"{inside} of 2"  # was "100%" of two models
    assert f"note: {CAUTION}" in text
    assert f"{steady.coverage_text}" in page and f"note: {CAUTION}" in page


def test_the_page_shows_the_task_table_downstream_fit_prints(
    chain: DownstreamFit, page: str
) -> None:
    rows = task_rows(chain)
    steady = next(r for r in rows if r.task == "steady")
    assert steady.fit.startswith("a=") and "k=" in steady.fit and "L0=" in steady.fit
    assert steady.backtest.endswith(" pts") and steady.verdict == "predictable"
    for r in rows:  # every cell, as the page's text reads the row
        assert " ".join(r.cells()) in page
    assert (
        "note: backtest on the fitted sizes: 15 models below 300M parameters fitted, the 5 "
        "at 300M predicted" in page
    )
    for note in task_notes(chain):
        assert f"note: {note}" in page
    section = page[page.index("Downstream: accuracy against loss Accuracy against ") :]
    assert "note: flops derived as 6·N·D" not in section[: section.index("Downstream: backtest")]


def test_downstream_fit_prints_the_same_rows(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli import main

    path = tmp_path / "evals.csv"
    ladder(np.random.default_rng(3)).to_csv(path, index=False)
    chance = tmp_path / "chance.csv"
    chance.write_text("task,chance\n" + "".join(f"{t},{c}\n" for t, c in CHANCE.items()))
    args = ["downstream", "fit", str(path), "--chance", str(chance), "--law", "chinchilla"]
    assert main([*args, "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    for r in task_rows(chain):
        line = next(x for x in out.splitlines() if x.startswith(f"│ {r.task} "))
        assert r.fit in line and r.backtest in line


def test_the_accuracy_figure_has_its_caption_above_it(evals: Evals, chain: DownstreamFit) -> None:
    """As every figure of the pages: titled and captioned above its drawing, with an id to
    link to (its caption below read as the task table's)."""
    from scalinglab.report._downstream import _figure_section

    body = html.unescape(_figure_section(chain, evals).body)
    assert body.startswith(
        "<figure id='fig-downstream-accuracy'><figcaption><strong>Accuracy against "
        f"{chain.via}, task by task.</strong> Each predictable task's accuracy against "
    )
    assert body.index("</figcaption>") < body.index("<svg") < body.index("</figure>")
