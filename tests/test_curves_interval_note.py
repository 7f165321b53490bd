"""The rate interpolated between logged steps is an assumption like the others: ``curves
fit``, ``curves backtest`` and the report print it (it was in the fit's JSON alone), once
for every curve, whatever gap each was logged at."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.test_curves_reading import SPECS, _frame

from scalinglab.cli import main

FIT = ("--law", "tissue", "--bootstrap", "0")
ONCE = "note: 3 curves: lr logged every 25 to 50 steps: interpolated linearly in between"


@pytest.fixture(scope="module")
def curves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("every") / "curves.csv"
    two = _frame({k: SPECS[k] for k in ("cos", "con")}, every=50)
    pd.concat([two, _frame({"wsd": SPECS["wsd"]}, every=25)]).to_csv(path, index=False)
    return path


def test_curves_fit_prints_the_interpolation_once(
    curves: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["curves", "fit", str(curves), *FIT]) == 0
    out = capsys.readouterr().out
    lines = [" ".join(n.split()) for n in out.split("\n") if "lr logged every" in n]
    assert lines == [ONCE]
    assert main(["curves", "fit", str(curves), *FIT, "--json"]) == 0
    assert ONCE.removeprefix("note: ") in json.loads(capsys.readouterr().out)["notes"]


def test_backtest_and_report_print_it_for_the_fitted_and_held_out_curves(
    curves: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["curves", "backtest", str(curves), "--law", "tissue", "--train", "cos,con"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "note: 2 curves: lr logged every 50 steps: interpolated linearly in between" in out
    assert "note: wsd: lr logged every 25 steps: interpolated linearly in between" in out
    page = tmp_path / "r.html"
    args = ["report", str(curves), "--curves", "--train", "cos,con", "--curve-law", "tissue"]
    assert main([*args, "--bootstrap", "0", "--out", str(page)]) == 0
    assert "wsd: lr logged every 25 steps: interpolated linearly in between" in page.read_text()
