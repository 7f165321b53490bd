"""``interval_kind`` is one thing everywhere: the bare kind of interval (``backtest-calibrated``,
``bootstrap`` or ``none``), on a fit as on its predictions and in both JSONs; the fit's
sentence saying why is ``interval_note`` (the name a downstream plan gives its own), which
``fit`` prints after ``prediction intervals:``."""

from __future__ import annotations

import json

import pytest
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab.cli import main


@pytest.fixture(scope="module")
def calibrated() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(seed=2, outliers=0), bootstrap=20, seed=0)


def test_a_calibrated_fit_names_the_kind_its_predictions_name(calibrated: sl.FitResult) -> None:
    ex = calibrated.extrapolation
    assert ex is not None and ex.calibrated  # the reference: the extrapolation's own kind
    kind = calibrated.predict(params=7e10, tokens=1.4e12).interval_kind
    assert calibrated.interval_kind == kind == ex.kind == "backtest-calibrated"
    assert calibrated.interval_note == f"backtest-calibrated ({ex.reason})"
    saved = calibrated.to_dict()
    assert saved["interval_kind"] == "backtest-calibrated"
    assert saved["interval_note"] == calibrated.interval_note
    assert saved["extrapolation"]["kind"] == saved["interval_kind"]
    back = sl.FitResult.from_dict(json.loads(json.dumps(saved)))  # derived keys: not refused
    assert back.interval_kind == "backtest-calibrated" and back.coefs == calibrated.coefs


def test_bootstrap_and_point_fits_name_their_kind_bare() -> None:
    few = sl.fit("chinchilla", chinchilla_runs(seed=4, outliers=0).iloc[::6], bootstrap=20)
    assert few.interval_kind == few.predict(params=1e10, tokens=2e11).interval_kind
    assert few.interval_kind == "bootstrap" and few.interval_note.startswith("bootstrap (too few")
    assert few.to_dict()["interval_kind"] == "bootstrap"
    point = sl.fit("chinchilla", sl.default_runs(), bootstrap=0)
    assert point.interval_kind == point.predict(params=1e9, tokens=2e10).interval_kind == "none"
    assert point.to_dict()["interval_kind"] == "none"
    assert point.to_dict()["interval_note"] == (
        "none: the fit has no bootstrap (bootstrap=200; --bootstrap 200)"
    )


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_fit_prints_the_note_and_backtest_json_keeps_both_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["fit", "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    same = sl.fit("chinchilla", sl.default_runs(), bootstrap=20)
    assert same.interval_kind == "backtest-calibrated"  # the sentence, not the bare word:
    assert f"prediction intervals: {same.interval_note}\n" in out
    assert same.interval_note.startswith("backtest-calibrated (5 rolling-origin cuts on the")
    code = main(["backtest", "--bootstrap", "20", "--no-rolling", "--json"])
    assert code == 0
    fitted = json.loads(capsys.readouterr().out)["laws"][0]["backtest"]["fit"]
    assert fitted["interval_kind"] in ("backtest-calibrated", "bootstrap")
    assert fitted["interval_note"].startswith(f"{fitted['interval_kind']} (")
