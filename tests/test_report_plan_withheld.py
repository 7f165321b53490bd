"""``report`` withholds the plan where ``fit`` does (runs that leave N and D unidentified: a
fixed tokens-per-parameter ladder): the page says the same line in the plan's place and
draws no frontier, and ``report --json`` gives ``plan: null`` with the line as
``plan_withheld``, as ``fit --json`` writes it, where both gave N*, D* rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_fit_plan_withheld import _runs

from scalinglab.fit._withheld import PLAN_WITHHELD, RATIOS

_REASON = f"{PLAN_WITHHELD} — to plan, {RATIOS}"  # runs at one tokens per parameter


@pytest.mark.parametrize("spread", [False, True])
@pytest.mark.heavy
def test_report_and_fit_json_withhold_the_plan_as_fit_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], spread: bool
) -> None:
    runs = str(_runs(tmp_path / "r.csv", ratio_spread=spread))
    page = tmp_path / "r.html"
    args = ("--law", "chinchilla", "--bootstrap", "0", "--json")
    report = ("report", runs, *args, "--no-validate", "--out", str(page))
    code, out, said = cli(capsys, *report, one_line=True)  # said: the report's stderr
    assert code == 0, said
    data = json.loads(out)
    code, out, err = cli(capsys, "fit", runs, *args, one_line=True)
    assert code == 0, err
    fitted = json.loads(out)
    html = page.read_text(encoding="utf-8").replace("&#x27;", "'")
    budgets = "choose with --compute"  # the note naming the default budgets a plan took
    if spread:  # N and D identified: a plan, as before
        assert data["plan"] and fitted["plan"]
        assert "plan_withheld" not in data and fitted["plan_withheld"] is None
        assert "class='plan'" in html and PLAN_WITHHELD not in html
        assert budgets in said and PLAN_WITHHELD not in said
        return
    assert data["plan"] is None and "plan" not in fitted
    assert data["plan_withheld"] == fitted["plan_withheld"] == _REASON
    assert PLAN_WITHHELD in html and "class='plan'" not in html
    assert "compute-optimal frontier not drawn: the runs do not identify" in html
    # the line the page has in the plan's place, on stderr as `fit --json` says it; and no
    # budgets named for a plan that is not there (the page names none)
    assert f"note: {PLAN_WITHHELD}" in said and f"note: {PLAN_WITHHELD}" in err
    assert budgets not in said and budgets not in err and budgets not in html
