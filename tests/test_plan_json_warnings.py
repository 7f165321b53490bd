"""``plan --json`` and ``predict --json``: the top-level ``warnings`` hold every warning, the
fit's and the one a plan or prediction adds at the level asked (too few resamples), once;
the allocation holds it among its own ``warnings``, not its notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs
from tests.test_plan_few_resamples import FEW

from scalinglab import FitResult, fit
from scalinglab.cli._predict_views import to_dict


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[FitResult, Path]:
    result = fit("chinchilla", isoflop_runs(seed=3), bootstrap=100)
    path = tmp_path_factory.mktemp("warned") / "fit.json"
    result.save(path)
    return result, path


def test_plan_json_warnings_carry_the_few_resamples_warning_once(
    capsys: pytest.CaptureFixture[str], fitted: tuple[FitResult, Path]
) -> None:
    result, path = fitted
    args = ["plan", "--fit", str(path), "--level", "0.999", "--json"]
    code, out, _ = cli(capsys, *args, "--compute", "1e22")
    data = json.loads(out)
    assert code == 0 and data["allocation"]["warnings"] == [FEW]
    assert not any(n.startswith("warning:") for n in data["allocation"]["notes"])
    assert data["warnings"] == [*result.warnings, FEW]  # was the fit's alone
    # several budgets: one warning, not one per plan
    code, out, _ = cli(capsys, *args, "--compute", "1e22,1e23")
    data = json.loads(out)
    assert code == 0 and len(data["plans"]) == 2 and data["warnings"].count(FEW) == 1
    # at the fit's own level: none added
    code, out, _ = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22", "--json")
    assert code == 0 and json.loads(out)["warnings"] == list(result.warnings)


def test_predict_json_warnings_carry_the_prediction_s_own(
    fitted: tuple[FitResult, Path],
) -> None:
    result, _ = fitted
    at = {"params": 7e10, "tokens": 1.4e12}
    pred = result.predict(**at, level=0.999, extrapolation=False)
    assert f"warning: {FEW}" in pred.notes
    data = to_dict(result, pred, at, "--fit fit.json")
    assert data["warnings"] == [*result.warnings, FEW]
    fine = result.predict(**at, level=0.9, extrapolation=False)
    assert to_dict(result, fine, at, "--fit fit.json")["warnings"] == list(result.warnings)
