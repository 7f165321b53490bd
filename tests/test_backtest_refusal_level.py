"""The backtest refusal of 1 to 19 resamples and a report's point-only note name the interval
at the level actually scored (the caller's ``level``; the widest of several; 0.9 where none
is given), not a 90% interval whatever the level: an 80% interval's ends are its 10th and
90th percentiles, and the 20-resample floor itself is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused
from tests._pages import page_text
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame
from tests.test_validate_backtest import _truth_table

from scalinglab._errors import ConfigError
from scalinglab.cli import main
from scalinglab.downstream import backtest_downstream, read_evals
from scalinglab.validate import backtest, compare, rolling_backtest
from scalinglab.validate._guards import interval_ends, report_resamples

EIGHTY = "an 80% interval's ends (the 10th and 90th percentiles)"


@pytest.mark.parametrize(
    ("level", "said"),
    [
        (0.9, "a 90% interval's ends (the 5th and 95th percentiles)"),
        (0.8, EIGHTY),
        (0.5, "a 50% interval's ends (the 25th and 75th percentiles)"),
        (0.95, "a 95% interval's ends (the 2.5th and 97.5th percentiles)"),
        (0.98, "a 98% interval's ends (the 1st and 99th percentiles)"),
        (0.96, "a 96% interval's ends (the 2nd and 98th percentiles)"),
        (0.94, "a 94% interval's ends (the 3rd and 97th percentiles)"),
        (0.82, "an 82% interval's ends (the 9th and 91st percentiles)"),
        ((0.5, 0.8), EIGHTY),  # several: the widest, whose ends lie furthest out
        (2.0, "a 90% interval's ends (the 5th and 95th percentiles)"),  # no fraction: default
    ],
)
def test_the_interval_named(level: object, said: str) -> None:
    assert interval_ends(level) == said


def test_python_backtests_name_their_level() -> None:
    runs = _truth_table(noise=0.0)
    for call, level in ((backtest, 0.8), (rolling_backtest, (0.5, 0.8))):
        with pytest.raises(ConfigError) as err:
            call(runs, law="chinchilla", holdout="largest:9", bootstrap=5, level=level)
        assert err.value.message == (
            "bootstrap=5: a backtest scores its intervals' coverage, and under 20 resamples "
            f"cannot place {EIGHTY}"
        )
    with pytest.raises(ConfigError) as err:
        compare(runs, laws=["chinchilla"], bootstrap=19, level=0.5)
    assert err.value.message.endswith("a 50% interval's ends (the 25th and 75th percentiles)")
    with pytest.raises(ConfigError) as err:
        backtest_downstream(
            read_evals(_frame(0), chance={"task": 0.25, "task2": 0.25}), holdout=HOLDOUT,
            law="chinchilla", bootstrap=5, level=0.8,
        )  # fmt: skip
    assert err.value.message.endswith(f"cannot place {EIGHTY}")


def test_the_cli_backtests_name_their_level(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    error, _ = refused(capsys, ["backtest", "--bootstrap", "10", "--level", "0.5,0.8"])
    assert error.endswith(f"cannot place {EIGHTY}")
    path = tmp_path / "evals.csv"
    _frame(0).to_csv(path, index=False)
    error, _ = refused(
        capsys,
        ["downstream", "backtest", str(path), "--holdout", HOLDOUT, "--law", "chinchilla",
         "--bootstrap", "5", "--level", "0.8"],
    )  # fmt: skip
    assert error.endswith(f"cannot place {EIGHTY}")


@pytest.mark.heavy
def test_the_report_notes_name_the_fits_level(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert report_resamples(7, level=0.8)[1] == (
        f"the fit's 7 resamples are under 20, too few to place {EIGHTY}, so its backtest "
        "predicts points and scores their errors; --bootstrap 20 or more scores coverage too"
    )
    page = tmp_path / "r.html"
    assert main(["report", "--bootstrap", "10", "--level", "0.8", "--out", str(page)]) == 0
    assert f"too few to place {EIGHTY}" in page_text(page.read_text(encoding="utf-8"))
    path, ds = tmp_path / "evals.csv", tmp_path / "ds.html"
    _frame(0).to_csv(path, index=False)
    code = main(
        ["downstream", "report", str(path), "--holdout", HOLDOUT, "--law", "chinchilla",
         "--bootstrap", "5", "--level", "0.8", "--max-backtest-error", "inf", "--out", str(ds)]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert f"too few to place {EIGHTY}" in page_text(ds.read_text(encoding="utf-8"))
