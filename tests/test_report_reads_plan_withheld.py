"""The report reads why the plan is withheld from the fit (``FitResult.plan_withheld``, set by
``fit`` from its runs), not from the runs again: a fit whose field is set is withheld on the
page (no plan table, no frontier) and in ``report --json``, one whose field is ``None`` is not,
whatever the runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from tests.test_fit_plan_withheld import _runs

import scalinglab as sl
from scalinglab.cli._report_loss import _shown
from scalinglab.fit._withheld import PLAN_WITHHELD
from scalinglab.report import render_report
from scalinglab.report._report_page import render_page

_FRONTIER = "compute-optimal frontier not drawn: the runs do not identify"


def _page_and_json(result: sl.FitResult, runs: Path) -> tuple[str, dict[str, object]]:
    page = render_page(
        result, runs, budgets=None, command="c", title=None, sections=(), validate=False,
        holdout="top-decile", y=None, notes=(), folder=None, fmt="svg",
    )  # fmt: skip
    assert render_report(result, runs, validate=False, command="c") == page.html
    return page.html.replace("&#x27;", "'"), _shown(page, result)


@pytest.mark.parametrize("spread", [False, True])
@pytest.mark.heavy
def test_the_field_decides_the_withheld_plan_not_the_runs(tmp_path: Path, spread: bool) -> None:
    runs = _runs(tmp_path / "r.csv", ratio_spread=spread)
    fitted = sl.fit("chinchilla", runs, bootstrap=0)
    assert (fitted.plan_withheld is None) is spread  # fit read it off the runs
    withheld = dataclasses.replace(fitted, plan_withheld=PLAN_WITHHELD)
    html, data = _page_and_json(withheld, runs)
    assert PLAN_WITHHELD in html and "class='plan'" not in html and _FRONTIER in html
    assert data["plan"] is None and data["plan_withheld"] == PLAN_WITHHELD
    planned = dataclasses.replace(fitted, plan_withheld=None)
    html, data = _page_and_json(planned, runs)
    assert PLAN_WITHHELD not in html and "class='plan'" in html and _FRONTIER not in html
    assert data["plan"] and "plan_withheld" not in data
