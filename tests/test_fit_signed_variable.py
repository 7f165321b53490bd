"""A law variable the runs took to 0 or below (``U`` from -1 to 4 in ``exp(-k*U)``): its
fit says why its intervals are not calibrated (the backtests measure growth per decade),
its distances count spans of the fitted range, not decades (no log of a negative value,
no RuntimeWarning), and ``predict`` takes values of U at or below 0 where the fit had them.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import DataError, fit


def _runs(path: Path, *, shift: float = 0.0) -> Path:
    u = np.linspace(-1.0, 4.0, 20)
    wiggle = 1.0 + 0.002 * np.sin(7.0 * u)  # a little noise, deterministic
    frame = pd.DataFrame({"x": u + shift, "loss": (1.0 + 3.0 * np.exp(-0.7 * u)) * wiggle})
    frame.to_csv(path, index=False)
    return path


LAW = "Linf + A*exp(-k*U)"


@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_a_fit_of_a_variable_at_or_below_zero_says_why_it_is_not_calibrated(
    tmp_path: Path,
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no log of a negative U anywhere
        result = fit(LAW, _runs(tmp_path / "u3.csv"), x={"U": "x"}, bootstrap=20)
        pred = result.predict(U=[6.0, -3.0, 2.0, 9.5])
    assert result.interval_kind == "bootstrap" and result.interval_note == (
        "bootstrap (U takes values <= 0 (-1 to 4): backtests calibrate the error's growth "
        "per decade of each variable, which U does not have; a column of positive values "
        "(U shifted above 0) calibrates intervals)"
    )
    # spans of the fitted range, 5: (6 - 4) / 5 above, (-1 - -3) / 5 below
    assert pred.distance == pytest.approx([0.4, 0.4, 0.0, 1.1])
    assert list(pred.below) == [False, True, False, False]
    assert (
        "distances beyond the runs of a variable they took to 0 or below count spans of its "
        "fitted range, not decades: U (-1 to 4, a span of 5)"
    ) in pred.notes
    assert (
        "rows more than 1 span of the fitted range beyond the fitted runs (in U) extrapolate "
        "the law far past what its data test"
    ) in pred.notes
    # the same runs shifted above 0 are calibrated, in decades
    shifted = fit(LAW, _runs(tmp_path / "u4.csv", shift=2.0), x={"U": "x"}, bootstrap=20)
    assert shifted.interval_note.startswith("backtest-calibrated (")
    assert shifted.interval_kind == "backtest-calibrated"
    assert not any("span" in n for n in shifted.predict(U=8.0).notes)


def test_predict_takes_a_value_at_or_below_zero_where_the_fit_had_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path / "u3.csv")
    out = tmp_path / "fu3.json"
    args = ("--law", LAW, "--x", "U=x", "--bootstrap", "20", "--out", str(out))
    code, _, err = cli(capsys, "fit", str(runs), *args)
    assert code == 0 and "RuntimeWarning" not in err
    code, text, err = cli(capsys, "predict", "--fit", str(out), "--at", "U=6,-3")
    assert code == 0 and "RuntimeWarning" not in err
    assert "0.40 span below" in text
    assert not re.search(r"\d\.\d\d dec|x2\.5", text)  # no decades, no factor of U
    code, text, _ = cli(capsys, "predict", "--fit", str(out), "--at", "U=-3", "--json")
    data = json.loads(text)
    assert data["distance"] == pytest.approx(0.4) and data["below"] is True


@pytest.mark.heavy  # 3.1 s in the suite on a 2-core AMD EPYC
def test_predict_refuses_a_value_at_or_below_zero_where_the_runs_were_above(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path / "u4.csv", shift=2.0)
    out = tmp_path / "fu4.json"
    args = ("--law", LAW, "--x", "U=x", "--bootstrap", "20", "--out", str(out))
    assert cli(capsys, "fit", str(runs), *args)[0] == 0
    code, _, err = cli(capsys, "predict", "--fit", str(out), "--at", "U=-3", one_line=True)
    assert code == 2
    assert (
        "error: --at U must be a positive, finite number, got -3: the fit's runs held U "
        "above 0 (from 1 to 6)"
    ) in err
    with pytest.raises(DataError, match="U must be positive and finite to predict"):
        fit(LAW, runs, x={"U": "x"}, bootstrap=0).predict(U=-3.0)


@pytest.mark.heavy  # 3.3 s in the suite on a 2-core AMD EPYC
def test_report_draws_a_variable_at_or_below_zero_on_a_linear_axis(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The report's one-variable panel drew the law on a log grid from U's smallest value
    (-1 / 1.5): NaN values, and the report failed 'U must be positive and finite'."""
    runs, page = _runs(tmp_path / "u3.csv"), tmp_path / "u3.html"
    args = ("--law", LAW, "--x", "U=x", "--bootstrap", "20", "--out", str(page))
    code, _, err = cli(capsys, "report", str(runs), *args)
    assert code == 0, err
    assert "RuntimeWarning" not in err and "extrapolation (to +1 fitted span)" in page.read_text()
