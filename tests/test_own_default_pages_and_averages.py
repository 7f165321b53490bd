"""Follow-ups on the no-intervals lines, the average row and the cells' exponents: a
``report --downstream`` page asks for the chain's 1000 resamples in its loss law's status
line, plan and card, as its other lines do (the loss law is the chain's first step, fitted
with the chain's resamples); a fit's ``interval_note`` names fit's 200, not a placeholder N;
a curve fit whose resamples all failed says so, not that it has no bootstrap; a downstream
backtest that predicted one task of several has no average row; ``number`` writes an
exponent as every message does (``1.235e4``, never ``1.235e+04``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests._pages import page_text, write_evals
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab._cells import estimate, number
from scalinglab.cli import main
from scalinglab.curves import Tissue, fit_curves
from scalinglab.downstream import backtest_downstream, read_evals


@pytest.mark.heavy
def test_the_downstream_page_asks_for_the_chains_resamples_everywhere(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    evals = write_evals(tmp_path)
    assert main(["report", str(evals), "--downstream", "--bootstrap", "0",
                 "--out", str(out)]) == 0  # fmt: skip
    text = page_text(out.read_text(encoding="utf-8"))
    said = "no intervals: no bootstrap was asked (--bootstrap 0); run with --bootstrap 1000"
    # the loss law's status line and the plan, from the loss page's sections
    assert f"; {said}." in text
    assert f"(golden-section search in log N)), {said}." in text
    # the card: the chain's default, as fit_downstream and --bootstrap spell it
    assert "none: the fit has no bootstrap (bootstrap=1000; --bootstrap 1000)" in text
    assert "--bootstrap 200" not in text and "bootstrap=N" not in text


def test_a_fits_interval_note_names_fits_default_and_resamples_that_failed() -> None:
    point = sl.fit("chinchilla", sl.default_runs(), bootstrap=0)
    assert point.interval_note == "none: the fit has no bootstrap (bootstrap=200; --bootstrap 200)"
    # every resample failed: the fit had a bootstrap; more runs, then fit's default
    failed = replace(point, n_bootstrap=50)
    assert failed.interval_note == (
        "none: 50 of 50 bootstrap resamples failed (add runs, then bootstrap=200; --bootstrap 200)"
    )
    assert replace(point, n_bootstrap=200).interval_note == (
        "none: 200 of 200 bootstrap resamples failed (add runs)"
    )


def test_a_curve_fit_whose_resamples_all_failed_says_so() -> None:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=2e-3, seed=3)
    point = fit_curves(curves, law="tissue", bootstrap=0)
    said = " ".join(point.predict(SPECS[0]).notes)
    assert "no interval: the fit has no bootstrap (curves fit --bootstrap 100;" in said
    failed = replace(point, n_bootstrap=20)  # its 20 resamples failed: none drew samples
    said = " ".join(failed.predict(SPECS[0]).notes)
    assert "the fit has no bootstrap" not in said
    assert (
        "no interval: 20 of 20 bootstrap resamples failed (add runs, then curves fit "
        "--bootstrap 100; fit_curves(..., bootstrap=100))" in said
    )


@pytest.fixture(scope="module")
def two_tasks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chain's synthetic models: 'task' leaves chance, 'hellaswag' never does."""
    path = tmp_path_factory.mktemp("two") / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    path.with_name("chance.csv").write_text("task,chance\ntask,0.25\nhellaswag,0.25\n")
    return path


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_a_backtest_that_predicted_one_task_of_two_has_no_average(
    two_tasks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.report._downstream import _backtest_section

    evals = read_evals(two_tasks, chance={"task": 0.25, "hellaswag": 0.25})
    result = backtest_downstream(evals, holdout="params>=200M", tasks=["task", "hellaswag"],
                                 law="chinchilla", bootstrap=20, max_backtest_error=None)  # fmt: skip
    assert [k for k, t in result.tasks.items() if not t.reason] == ["task"]
    assert list(result.rows()) == ["task", "hellaswag"]  # no average of the one task
    section = _backtest_section(result)
    assert "<th scope='row'>average</th>" not in section.body
    # the summary line is the predicted task's error, not the unpredictable one's reason
    assert "mean error" in section.validation and "on task" in section.validation
    args = ["downstream", "backtest", str(two_tasks), "--holdout", "params>=200M", "--tasks",
            "task,hellaswag", "--chance", str(two_tasks.with_name("chance.csv")),
            "--bootstrap", "20", "--law", "chinchilla", "--max-backtest-error", "inf"]  # fmt: skip
    assert main(args) == 0
    rows = [line.split("│")[1].strip() for line in capsys.readouterr().out.splitlines()
            if line.startswith("│")]  # fmt: skip
    assert "average" not in rows and "task" in rows and "hellaswag" in rows
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert "average" not in payload and set(payload["tasks"]) == {"task", "hellaswag"}


def test_number_writes_an_exponent_as_every_message_does() -> None:
    assert number(12345.6, 4) == "1.235e4"  # was Python's 1.235e+04
    assert number(-12345.6, 4) == "-1.235e4"
    assert number(99999.5) == "1e5"  # rounds up to 1e+05 at 5 figures
    assert number(12345.6) == "12346" and number(123456.7, 4) == "1.235e5"  # as before
    assert estimate(12345.6, 12000.0, 13000.0, 4) == "1.235e4 [1.2e4, 1.3e4]"
