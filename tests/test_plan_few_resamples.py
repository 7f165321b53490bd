"""A level higher than a fit's resamples can place: plan and predict give the warning isoflop
gives (one rule, :func:`scalinglab.fit._diagnostics.few_resamples_warning`), and the shares
of runs a target loss's interval speaks of keep the digits they have (99.95%, not 100%)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

from scalinglab import FitResult, fit
from scalinglab._format import format_level
from scalinglab.plan import compute_for_loss, optimal_allocation

FEW = (
    "intervals from 100 resamples only: their ends are noise at 99.9% (use 10000 or more; "
    "the estimate may lie outside them); a warning, not a refusal: the "
    "estimates do not depend on the resamples, only the intervals do"
)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[FitResult, Path]:
    result = fit("chinchilla", isoflop_runs(seed=3), bootstrap=100)
    path = tmp_path_factory.mktemp("few") / "fit.json"
    result.save(path)
    return result, path


def test_plan_warns_at_a_level_its_resamples_cannot_place(
    capsys: pytest.CaptureFixture[str], fitted: tuple[FitResult, Path]
) -> None:
    result, path = fitted
    assert FEW not in result.warnings  # 100 resamples are enough at the fit's 90%
    code, out, _ = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22", "--level", "0.999")
    assert code == 0 and f"warning: {FEW}" in out
    code, out, _ = cli(capsys, "plan", "--fit", str(path), "--compute", "1e22")
    assert code == 0 and "resamples only" not in out  # at 90%: enough
    # several budgets: the warning once, in the footer, not again under every table
    code, out, _ = cli(
        capsys, "plan", "--fit", str(path), "--compute", "1e22,1e23", "--level", "0.999"
    )
    assert code == 0 and out.count(FEW) == 1
    code, out, _ = cli(
        capsys, "plan", "--fit", str(path), "--compute", "1e22", "--level", "0.999", "--json"
    )
    assert json.loads(out)["allocation"]["warnings"] == [FEW]
    # the library's allocation says it too, once, among its warnings, not its notes
    found = optimal_allocation(result, flops=1e22, level=0.999)
    assert found.warnings == (FEW,) and not any("warning" in n for n in found.notes)
    # so does a target loss's, and a plan at the fit's level warns of nothing
    # (its tokens per param, [20.9, 2360] from the extreme resamples, spans two decades:
    # that the runs do not pin it down is said after)
    assert compute_for_loss(result, target_loss=2.3, level=0.999).warnings[0] == FEW
    assert optimal_allocation(result, flops=1e22).warnings == ()


def test_target_loss_interval_shares_keep_their_digits(
    capsys: pytest.CaptureFixture[str], fitted: tuple[FitResult, Path]
) -> None:
    _, path = fitted
    code, out, _ = cli(
        capsys, "plan", "--fit", str(path), "--target-loss", "2.3", "--level", "0.999"
    )
    assert code == 0 and f"warning: {FEW}" in out
    assert "(0.05% of runs would)" in out and "(99.95% would)" in out and "(100% would)" not in out
    assert [format_level(v) for v in (0.9995, 0.99995, 0.95, 0.999, 1.0)] == [
        "99.95%", "99.995%", "95%", "99.9%", "100%",
    ]  # fmt: skip


def test_predict_warns_of_a_bootstrap_interval_at_a_level_too_high(
    fitted: tuple[FitResult, Path],
) -> None:
    result, _ = fitted
    high = result.predict(params=7e10, tokens=1.4e12, level=0.999, extrapolation=False)
    assert high.interval_kind == "bootstrap" and f"warning: {FEW}" in high.notes
    fine = result.predict(params=7e10, tokens=1.4e12, level=0.9, extrapolation=False)
    assert not any("resamples only" in n for n in fine.notes)


def test_an_allocation_warns_at_the_fits_own_level_too_and_commands_say_it_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """5 resamples: the fit warns at its 90%, and its allocation carries the same warning
    (before, only at another level); ``fit`` and ``plan`` print it once, and their JSON
    holds it once, in the fit's ``warnings``, not again in each plan row's."""
    few = (
        "intervals from 5 resamples only: their ends are noise at 90% (use 100 or more; the "
        "estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do"
    )
    runs = tmp_path / "runs.csv"
    isoflop_runs(seed=3).to_csv(runs, index=False)
    saved = tmp_path / "f5.json"
    code, out, err = cli(capsys, "fit", str(runs), "--bootstrap", "5", "--out", str(saved))
    assert code == 0, err
    assert " ".join(out.split()).count(few) == 1
    result = FitResult.load(saved)
    assert few in result.warnings
    assert optimal_allocation(result, flops=1e22).warnings == (few,)
    assert compute_for_loss(result, target_loss=2.3).warnings == (few,)
    code, out, err = cli(capsys, "fit", str(runs), "--bootstrap", "5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["warnings"].count(few) == 1 and all(few not in p["warnings"] for p in data["plan"])
    assert " ".join(err.split()).count(few) == 1  # the lines on stderr: once too
    code, out, _ = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22,1e23")
    assert code == 0 and " ".join(out.split()).count(few) == 1
    code, out, _ = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22", "--json")
    data = json.loads(out)
    assert data["warnings"].count(few) == 1 and data["allocation"]["warnings"] == []
