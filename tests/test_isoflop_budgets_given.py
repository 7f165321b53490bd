"""isoflop --compute selects budgets of the runs: one that matches no run says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._chinchilla_draws import BUDGETS, isoflop_runs

from scalinglab import DataError, isoflop
from scalinglab._format import format_g
from scalinglab.cli import main


def test_a_budget_beyond_every_run_is_named_with_the_runs_budgets() -> None:
    runs = isoflop_runs()
    with pytest.raises(DataError) as err:
        isoflop(runs, budgets=[1e25], bootstrap=0)
    ours = ",".join(f"{c:.3g}".replace("e+", "e") for c in BUDGETS)
    # Python's keyword first: the message is the library's, read by Python and the CLI alike
    assert err.value.hint == (
        f"budget 1e25 (beyond every run's flops, the largest {format_g(max(BUDGETS), 3)}) matches no "
        f"run: the runs' budgets are {ours.replace(',', ', ')}; give those (budgets=["
        f"{ours.replace(',', ', ')}], --compute {ours}), or leave budgets= (--compute) out"
    ).replace("e+", "e")
    assert "--compute 1e25" not in err.value.hint


def test_a_budget_between_the_runs_is_skipped_with_a_note() -> None:
    runs = isoflop_runs()
    between = float((BUDGETS[0] * BUDGETS[1]) ** 0.5)
    result = isoflop(runs, budgets=[*BUDGETS[:3], between], bootstrap=0)
    assert len(result.budgets) == 3
    assert any(
        n.startswith(
            f"budget {format_g(between, 3)} FLOPs skipped: no run is at it (no run's flops "
            "within 0.05 decades)"
        )
        for n in result.notes
    )


def test_isoflop_compute_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["isoflop", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Which of the runs' compute budgets to fit" in out
    assert "1e23, 5.76e23" not in out


def test_cli_names_the_budget_and_the_runs_budgets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    code = main(["isoflop", str(path), "--bootstrap", "0", "--compute", "1e25"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "budget 1e25 (beyond every run's flops" in err
    assert "--compute 1e18,3.16e18,1e19," in err


def test_runs_at_one_budget_are_told_to_train_at_another(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No tolerance (it said: widen --tolerance) nor budget finds a second budget."""
    runs = isoflop_runs()
    one = runs.iloc[18:27]  # the third budget's 9 runs
    for given in (None, [BUDGETS[2], BUDGETS[3]]):
        with pytest.raises(DataError, match="1 budget with a usable parabola") as err:
            isoflop(one, budgets=given, bootstrap=0)
        assert err.value.hint == (
            "runs at one compute budget only: train runs at a second budget (at least 3 "
            "budgets for an exponent)"
        )
    path = tmp_path / "one.csv"
    one.to_csv(path, index=False)
    code = main(["isoflop", str(path), "--bootstrap", "0"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 2 and "hint: runs at one compute budget only" in err and "widen" not in err
