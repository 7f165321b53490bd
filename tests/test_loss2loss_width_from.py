"""``width_from`` is said of a point's interval: a point without one (``L_x`` at or below
``E_x``: no ``L_y``) has none (``""`` in Python, null in JSON), is not counted in the
noise floor's note, and ``loss2loss predict``'s table says which term set each row's width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_loss2loss import fitted, runs_csv  # noqa: F401  (the fixture)

from scalinglab import LossToLossFit
from scalinglab.cli import main

# its module's fixtures: 4.5 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy


@pytest.fixture(scope="module")
def l2l(runs_csv: Path) -> LossToLossFit:  # noqa: F811
    return fitted(runs_csv)  # corpus a: the noise floor sets the width near its runs


@pytest.mark.heavy
def test_a_point_without_an_interval_has_no_width_from(l2l: LossToLossFit) -> None:
    e_x = l2l.fits["a"].coefs["E_x"]
    pred = l2l.predict([0.9 * e_x, 3.0])["a"]
    assert pred.interval_kind == "backtest-calibrated"
    assert pred.width_from is not None and pred.width_from.tolist() == ["", "noise-floor"]
    assert pred.to_dict()["width_from"] == [None, "noise-floor"]
    assert pred.notes[0].startswith("the 90% interval at 1 of 2 points (L_x=3) is the run-to-run")
    # FitResult.predict, which loss2loss predicts by, says the same of a NaN prediction
    rows = l2l.fits["a"].predict(L=[0.9 * e_x, 3.0]).to_dict()["points"]
    assert [r["width_from"] for r in rows] == [None, "noise-floor"]


def test_the_table_says_which_term_set_each_rows_width(
    l2l: LossToLossFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "l2l.json"
    l2l.save(path)
    e_x = l2l.fits["a"].coefs["E_x"]
    loss = f"{0.9 * e_x:.4g},3,6"
    assert main(["loss2loss", "predict", "--fit", str(path), "--loss", loss]) == 0
    text = capsys.readouterr().out
    rows = {tuple(c.strip() for c in line.split("│")[1:3]): line.split("│")[-2].strip()
            for line in text.splitlines() if line.startswith("│")}  # fmt: skip
    assert rows[("a", f"{0.9 * e_x:.4g}")] == "—"  # no interval, no width
    assert rows[("a", "3")] == "noise-floor" and rows[("a", "6")] == "calibrated"
    assert (
        "(backtest-calibrated; width_from: the term that set each row's width, calibrated "
        "(the backtests' error q·s) or noise-floor" in " ".join(text.split())
    )
    assert main(["loss2loss", "predict", "--fit", str(path), "--loss", loss, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["predictions"]["a"]["width_from"] == [None, "noise-floor", "calibrated"]
