"""A fit records why its plan is withheld (``FitResult.plan_withheld``) from its runs, not its
solver: runs at one tokens per parameter leave N and D unidentified whether or not the fit
converged, and ``optimal_allocation``, ``compute_for_loss`` and ``plan --fit`` refuse it,
where a fit stopped at its step limit saved no reason and was planned with no warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_fit_plan_withheld import _runs

import scalinglab as sl
from scalinglab._errors import ConfigError
from scalinglab.fit._withheld import PLAN_WITHHELD, RATIOS

_REASON = f"{PLAN_WITHHELD} — to plan, {RATIOS}"  # runs at one tokens per parameter
_WHY = (
    "plan withheld: the runs do not identify the law's terms separately, so any N*, "
    "D* split of a budget is arbitrary, and the loss at a budget's compute-optimal split, or "
    "the compute a target loss needs, rests on that split too"
)


def test_an_unconverged_fit_of_collinear_runs_is_withheld_and_refused(tmp_path: Path) -> None:
    runs = _runs(tmp_path / "r.csv", ratio_spread=False)
    result = sl.fit("chinchilla", runs, bootstrap=0, max_iter=3)
    assert result.status == "failed"  # the solver stopped: the runs still decide
    assert result.plan_withheld == _REASON
    with pytest.raises(ConfigError) as err:
        sl.optimal_allocation(result, flops=1e21)
    assert err.value.message == _WHY
    assert err.value.hint.endswith("optimal_allocation('hoffmann2022', flops=1e21)")
    path = tmp_path / "fit.json"
    result.save(path)
    loaded = sl.FitResult.load(path)
    assert loaded.plan_withheld == _REASON
    with pytest.raises(ConfigError) as err:
        sl.compute_for_loss(loaded, target_loss=2.5)
    assert err.value.message == f"fit {path}: {_WHY}"


def test_a_fit_whose_runs_vary_n_and_d_plans_and_old_files_read_none(tmp_path: Path) -> None:
    runs = _runs(tmp_path / "r.csv", ratio_spread=True)
    result = sl.fit("chinchilla", runs, bootstrap=0)
    assert result.plan_withheld is None and result.to_dict()["plan_withheld"] is None
    assert sl.optimal_allocation(result, flops=1e21).flops.value == 1e21
    old = result.to_dict()
    del old["plan_withheld"]  # a file from before fits recorded it
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    assert sl.FitResult.load(path).plan_withheld is None


def test_fit_at_its_step_limit_saves_the_reason_and_plan_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fit = tmp_path / "fit.json"
    runs = str(_runs(tmp_path / "r.csv", ratio_spread=False))
    code, out, err = cli(capsys, "fit", runs, "--law", "chinchilla", "--bootstrap", "0",
                         "--no-compare", "--max-iter", "3", "--out", str(fit))  # fmt: skip
    assert code == 1, err  # did not converge
    assert PLAN_WITHHELD in " ".join(out.split())  # the table's note, as a converged fit's
    assert json.loads(fit.read_text())["plan_withheld"] == _REASON
    code, out, err = cli(capsys, "plan", "--fit", str(fit), "--compute", "1e21", one_line=True)
    assert code == 2 and out == ""
    assert err.startswith(f"error: --fit {fit}: {_WHY} hint: ")


def test_plot_fit_of_a_withheld_fit_draws_no_frontier(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from scalinglab.report import plot_fit

    runs = _runs(tmp_path / "r.csv", ratio_spread=False)
    result = sl.fit("chinchilla", runs, bootstrap=0)
    assert result.plan_withheld == _REASON
    assert plot_fit(result, sl.read_runs(runs), tmp_path / "f.png").stat().st_size > 0
