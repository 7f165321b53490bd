"""Options given twice, and small command-line messages a new user met."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_cli_backtest import cli, ladder_csv


@pytest.fixture(scope="module")
def runs_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ladder_csv(tmp_path_factory.mktemp("rep") / "runs.csv")


def test_a_one_value_option_given_twice_is_refused(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    """Click keeps the last value silently: the backtest ran `largest:3` alone."""
    args = ["backtest", str(runs_csv), "--no-rolling", "--holdout", "flops>=1e21"]
    code, out, err = cli(capsys, *args, "--holdout", "largest:3")
    assert code == 2 and out == ""
    assert "--holdout given 2 times ('flops>=1e21', 'largest:3')" in err
    assert "a rule joins clauses with &" in err
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "0.8", "--level=0.9")
    assert code == 2 and "--level given 2 times ('0.8', '0.9')" in err
    assert "hint: give --level once" in err


def test_repeatable_options_and_flags_may_repeat(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    args = ["backtest", str(runs_csv), "--no-rolling", "--no-rolling", "--bootstrap", "20"]
    code, out, err = cli(capsys, *args, "--law", "chinchilla", "--law", "kaplan")
    assert code == 0, err
    assert "chinchilla" in out and "kaplan" in out


def test_no_interval_line_without_a_bootstrap_and_a_level_hint_that_makes_sense(
    capsys: pytest.CaptureFixture[str], runs_csv: Path
) -> None:
    code, out, err = cli(capsys, "fit", str(runs_csv), "--bootstrap", "0")
    assert code == 0, err
    assert "loss interval:" not in out and "none prediction interval" not in out
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "1.5")
    assert code == 2 and "0.015" not in err and "level 0.9 for a 90% interval" in err
    code, _, err = cli(capsys, "fit", str(runs_csv), "--level", "95")
    assert code == 2 and "level 0.95 for a 95% interval" in err
