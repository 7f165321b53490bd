"""A curve fit that did not converge says so first among its warnings, as a loss fit does,
in Python, in its saved file (older files gain the line when read) and on the command
line, where ``curves fit`` exits 1 after printing and saving the fit, as ``fit`` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import CurveFit, fit_curves
from scalinglab.curves import Tissue

_FIRST = (
    "the fit did not converge (status failed: the maximum number of iterations was reached; "
    "increase max_iter (--max-iter)): its coefficients are not an optimum; refit before "
    "trusting this"
)


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS[:3], noise=0.002, seed=0, every=100)
    return _write_curves(tmp_path_factory.mktemp("c") / "curves.csv", curves)


def test_a_curve_fit_at_its_step_limit_warns_first(curves_csv: Path, tmp_path: Path) -> None:
    fit = fit_curves(curves_csv, law="tissue", max_iter=2, bootstrap=0)
    assert fit.status == "failed"
    assert fit.warnings[0] == _FIRST
    saved = tmp_path / "fit.json"
    fit.save(saved)
    data = json.loads(saved.read_text())
    assert data["warnings"][0] == _FIRST
    data["warnings"] = []  # as a file written before curve fits said it
    saved.write_text(json.dumps(data))
    assert CurveFit.load(saved).warnings == (_FIRST,)
    converged = fit_curves(curves_csv, law="tissue", bootstrap=0)
    assert converged.status == "converged" and _FIRST not in converged.warnings


@pytest.mark.parametrize("as_json", [False, True])
def test_curves_fit_exits_1_on_a_fit_that_did_not_converge(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, curves_csv: Path, as_json: bool
) -> None:
    saved = tmp_path / "fit.json"
    args = ("--law", "tissue", "--max-iter", "2", "--bootstrap", "0", "--out", str(saved))
    code, out, err = cli(capsys, "curves", "fit", str(curves_csv), *args, *["--json"] * as_json)
    assert code == 1
    assert "error: the fit did not converge: the maximum number of iterations was reached" in err
    hint = "hint: rerun with --max-iter 20 (each start stopped at 2), another --robust-loss"
    assert f"{hint}, or another --law;" in " ".join(err.split())
    assert f"warning: {_FIRST}" in " ".join((err if as_json else out).split())
    assert CurveFit.load(saved).status == "failed"  # saved all the same, as fit's --out


@pytest.fixture(scope="module")
def failed_and_converged(curves_csv: Path) -> tuple[CurveFit, CurveFit]:
    failed = fit_curves(curves_csv, law="tissue", max_iter=2, bootstrap=0)
    return failed, fit_curves(curves_csv, law="tissue", bootstrap=0)


def test_a_prediction_from_a_fit_that_did_not_converge_warns_first(
    failed_and_converged: tuple[CurveFit, CurveFit],
) -> None:
    # `curves fit --out` saves such a fit: a prediction read from the file alone says it,
    # as scalinglab predict says it of a law's fit
    failed, converged = failed_and_converged
    assert failed.status == "failed"
    spec = "cosine:steps=3000"
    assert failed.predict(spec).warnings[0] == _FIRST
    assert failed.final_loss(spec).warnings[0] == _FIRST
    assert _FIRST not in converged.predict(spec).warnings
    assert _FIRST not in converged.final_loss(spec).warnings


@pytest.mark.parametrize("command", ["predict", "compare"])
def test_curves_predict_and_compare_warn_of_a_saved_fit_that_did_not_converge(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    failed_and_converged: tuple[CurveFit, CurveFit],
    command: str,
) -> None:
    asked = (
        ["--schedule", "cosine:steps=3000"]
        if command == "predict"
        else ["--steps", "3000", "--schedules", "wsd:0.2"]
    )
    for fit, said in zip(failed_and_converged, (True, False), strict=True):
        saved = tmp_path / "fit.json"
        fit.save(saved)
        code, out, _ = cli(capsys, "curves", command, "--fit", str(saved), *asked, "--json")
        assert code == 0
        warnings = json.loads(out)["warnings"]
        assert (warnings[:1] == [_FIRST]) is said and (_FIRST in warnings) is said
