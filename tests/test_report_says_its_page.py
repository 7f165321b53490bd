"""``scalinglab report``'s loss-law page: the terminal says every warning the page shows,
``--json`` holds what the page shows (plan, backtest, isoFLOP analysis, by the serializers
``plan``/``backtest``/``isoflop --json`` use), and the figures listed are the ones written."""

from __future__ import annotations

import contextlib
import html
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from scalinglab.cli import main

# its module's fixtures: 8.2 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The default report (bundled runs) with --json, into a figures folder that already
    holds a stray .svg."""
    folder = tmp_path_factory.mktemp("report")
    figs = folder / "figs"
    figs.mkdir()
    (figs / "holiday_photo.svg").write_text("<svg/>", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    args = ["report", "--bootstrap", "20", "--out", str(folder / "p.html"), "--json"]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--figures", str(figs)])
    assert code == 0, err.getvalue()
    page = (folder / "p.html").read_text(encoding="utf-8")
    return {"page": page, "err": err.getvalue(), "data": json.loads(out.getvalue()), "figs": figs}


def _page_warnings(page: str) -> list[str]:
    found = re.findall(r"<li><strong>warning:</strong> (.*?)</li>", page, flags=re.DOTALL)
    return [html.unescape(w) for w in found]


@pytest.mark.heavy
def test_stderr_says_every_warning_the_page_shows_once_in_its_order(
    made: dict[str, Any],
) -> None:
    """Was the fit's warnings alone (none here): not the plan's "do not pin down the
    allocation" (one line for its three budgets, was one each) nor the isoFLOP analysis'
    "the exponent rests on 9 of the 31 runs"."""
    shown = _page_warnings(made["page"])
    said = [line.removeprefix("warning: ") for line in made["err"].splitlines()
            if line.startswith("warning: ")]  # fmt: skip
    assert said == list(dict.fromkeys(shown)) and len(said) == 2
    rows = made["data"]["plan"][1:]  # 1e22 to 1e24: tokens per parameter spans 2+ decades
    spans = [math.log10(r["tokens_per_param_upper"] / r["tokens_per_param_lower"]) for r in rows]
    assert all(d >= 2 for d in spans)
    assert said[0] == (
        "the runs do not pin down the allocation at 1e22, 1e23 and 1e24: tokens/param spans "
        f"{spans[0]:.1f}, {spans[1]:.1f} and {spans[2]:.1f} decades (the plan's intervals); "
        "runs at more model sizes per budget, and at larger budgets, narrow it"
    )
    assert said[1].startswith("the exponent rests on 9 of the 31 runs read (3 budgets used)")


def test_the_page_gives_fits_note_on_coarse_intervals(made: dict[str, Any]) -> None:
    """Was on neither page nor stderr, where `fit --bootstrap 20` prints it among its notes."""
    fitted = made["page"].split("<section id='fit'>")[1].split("</section>")[0]
    assert (
        "<li>intervals from 20 resamples: their ends at 90% move from seed to seed (use 100 "
        "or more; 1,000 for final numbers)</li>" in fitted
    )


def test_json_holds_the_plan_backtest_and_isoflop_the_page_shows(made: dict[str, Any]) -> None:
    """Was format, report, figures, command, fit and law_choice alone."""
    data = made["data"]
    assert [p["flops"] for p in data["plan"]] == [1e21, 1e22, 1e23, 1e24]
    assert any("do not pin down the allocation at 1e23" in w for w in data["plan"][2]["warnings"])
    assert data["backtest"]["summary"]["n"] == 4  # the page's "over 4 held-out runs"
    assert data["isoflop"]["params_law"]["exponent"] == pytest.approx(0.322, abs=5e-4)


def test_figures_are_the_ones_this_report_wrote(made: dict[str, Any]) -> None:
    """Was every *.svg in the folder, a stray holiday_photo.svg among them."""
    figs: Path = made["figs"]
    names = ["loss-scaling", "residuals", "frontier", "backtest", "isoflop"]
    assert sorted(made["data"]["figures"]) == sorted(str(figs / f"{n}.svg") for n in names)
    assert "holiday_photo" not in made["err"]  # the "wrote figures:" line (on stderr: --json)
    assert f"wrote figures: {figs} (" in " ".join(made["err"].split())
