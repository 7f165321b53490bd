"""``plan`` with neither --compute nor --target-loss plans the budgets fit's plan table takes
(1e21-1e24 FLOPs, or 10x, 100x, 1000x the largest fitted run's compute far below them), said
in one note; it no longer answers with a hint to ``--preset hoffmann2022`` that ignores the
user's --fit."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from tests._cli import cli
from tests.test_default_budgets import _small_runs

from scalinglab.plan._budgets import STANDARD_BUDGETS, fit_budgets

STANDARD = (
    "budgets 1e21, 1e22, 1e23, 1e24 FLOPs: the default of fit's plan table, as neither "
    "--compute nor --target-loss was given; choose with --compute"
)
SMALL = (
    "budgets 1e18, 1e19, 1e20 FLOPs: 10x, 100x, 1000x the largest run's compute (1e17), as "
    "it lies 4.0 decades below the default 1e21-1e24; choose with --compute (flops= in Python)"
)


def _plans(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, err = cli(capsys, "plan", *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def test_small_runs_are_planned_at_the_budgets_their_fit_planned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fit_file = tmp_path / "small.json"
    code, out, err = cli(
        capsys, "fit", _small_runs(tmp_path), "--bootstrap", "0", "--out", str(fit_file), "--json"
    )
    assert code == 0, err
    fitted = [row["flops"] for row in json.loads(out)["plan"]]
    data = _plans(capsys, "--fit", str(fit_file))
    plans = data["plans"]
    assert isinstance(plans, list)
    assert [p["query"]["flops"] for p in plans] == fitted == [1e18, 1e19, 1e20]
    assert data["notes"][0] == SMALL  # type: ignore[index]
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file))
    assert code == 0 and out.splitlines().count(f"note: {SMALL}") == 1  # not under every table


def test_a_fit_near_1e21_and_a_preset_take_the_standard_budgets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = _plans(capsys, "--preset", "epoch2024")
    plans = data["plans"]
    assert isinstance(plans, list)
    assert tuple(p["query"]["flops"] for p in plans) == STANDARD_BUDGETS
    preset = (  # not fit's table's: a preset has no runs
        "budgets 1e21, 1e22, 1e23, 1e24 FLOPs: the standard ones, as a preset has no runs of "
        "its own; choose with --compute (flops= in Python)"
    )
    assert data["notes"] == [preset, "no intervals: a preset is a point estimate"]


def test_fit_budgets_read_the_largest_fitted_compute() -> None:
    # a fit's extrapolation record holds the largest N, D and N·D of its runs
    reach = {"N": 1e8, "D": 2e9, "N*D": 1e17}
    fit = SimpleNamespace(extrapolation=SimpleNamespace(reach=reach), flops_convention=None,
                          columns={"N": "params", "D": "tokens"})  # fmt: skip
    assert fit_budgets(fit).values == (6e18, 6e19, 6e20)  # 10x 6·N·D of 1e17
    reach["N*D"] = 2e21
    assert fit_budgets(fit).values == STANDARD_BUDGETS
    # a law of compute: its largest C; no record (an older file): the standard ones
    fit.extrapolation.reach, fit.columns = {"C": 3e15}, {"C": "flops"}
    assert fit_budgets(fit).values == (3e16, 3e17, 3e18)
    assert fit_budgets(SimpleNamespace(extrapolation=None)).values == STANDARD_BUDGETS


def test_both_a_budget_and_a_target_are_refused_with_the_users_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "mine.json")
    code, out, err = cli(capsys, "plan", "--fit", path, "--compute", "1e23", "--target-loss", "2")
    assert (code, out) == (2, "")
    assert err == (
        "error: give one of --compute FLOPS or --target-loss LOSS, not both\n"
        f"hint: one plan each: scalinglab plan --fit {path} --compute 1e23; then scalinglab "
        f"plan --fit {path} --target-loss 2\n"
    )


def test_plans_help_names_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "plan", "--help")
    assert code == 0 and "[default: 1e21,1e22,1e23,1e24;" in " ".join(out.split())


def test_default_budgets_say_default_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    """Each table's compute row said ``(given)`` of budgets no one gave."""
    code, out, err = cli(capsys, "plan", "--preset", "epoch2024")
    assert code == 0, err
    rows = [line for line in out.splitlines() if "compute (FLOPs)" in line]
    assert len(rows) == 4 and all("(default)" in r and "(given)" not in r for r in rows)
    code, out, err = cli(capsys, "plan", "--preset", "epoch2024", "--compute", "1e22")
    assert code == 0, err
    row = next(line for line in out.splitlines() if "compute (FLOPs)" in line)
    assert "(given)" in row and "(default)" not in row


def test_a_fit_near_1e21_says_its_budgets_are_fits_default() -> None:
    from scalinglab.cli._cmd_plan import _chosen

    near = SimpleNamespace(extrapolation=None, flops_convention=SimpleNamespace(largest=5e20))
    assert _chosen(fit_budgets(near)) == [STANDARD]
