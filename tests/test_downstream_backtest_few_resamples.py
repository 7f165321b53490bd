"""A downstream backtest scores its intervals' coverage, as ``backtest`` does: 1 to 19
resamples are refused there too (``check_backtest_bootstrap``; under 20 no resample lies
beyond a 90% interval's ends), in Python and on ``downstream backtest``, before any fit
(``downstream report --holdout``, a view of a fit as ``report`` is, draws a point-only
backtest with the reason instead); 0 stays a point-only backtest, and a fit (``downstream
fit``) only warns, saying why it warns rather than refuses."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from tests._cli import refused
from tests.test_cli_downstream import run
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame

from scalinglab._errors import ConfigError
from scalinglab.downstream import backtest_downstream, read_evals
from scalinglab.fit._diagnostics import few_resamples_warning

CHANCE = {"task": 0.25, "task2": 0.25}
SAID = (
    "a backtest scores its intervals' coverage, and under 20 resamples cannot place a 90% "
    "interval's ends (the 5th and 95th percentiles)"
)


@pytest.mark.parametrize("bootstrap", [1, 5, 19])
def test_python_refuses_1_to_19(bootstrap: int) -> None:
    evals = read_evals(_frame(0), chance=CHANCE)
    with pytest.raises(ConfigError) as err:
        backtest_downstream(evals, holdout=HOLDOUT, law="chinchilla", bootstrap=bootstrap)
    assert err.value.message == f"bootstrap={bootstrap}: {SAID}"
    assert err.value.hint == (
        "bootstrap=1000 (the default), at least 20, or bootstrap=0 for point predictions "
        "(errors, no coverage)"
    )


def test_zero_stays_a_point_only_backtest() -> None:
    evals = read_evals(_frame(0), chance=CHANCE)
    result = backtest_downstream(
        evals, holdout=HOLDOUT, law="chinchilla", bootstrap=0, max_backtest_error=None
    )
    task = result.tasks["task"]
    assert task.scored == 5 and math.isfinite(task.abs_error) and math.isnan(task.coverage)


def test_the_cli_refuses_before_any_fit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``downstream backtest``; ``downstream report --holdout``, a view of a fit, draws a
    point-only backtest instead (tests/test_report_few_resamples.py)."""
    path = tmp_path / "evals.csv"
    _frame(0).to_csv(path, index=False)
    args = ["downstream", "backtest", str(path), "--holdout", HOLDOUT, "--law", "chinchilla"]
    error, hint = refused(capsys, [*args, "--bootstrap", "5"])
    assert error == f"error: --bootstrap 5: {SAID}"
    assert hint.startswith("hint: --bootstrap 1000 (the default), at least 20, or --bootstrap 0")


def test_a_fit_warns_and_says_why_it_does_not_refuse(
    capsys: pytest.CaptureFixture[str],
) -> None:
    warning = few_resamples_warning(5, 0.9)
    assert warning == (
        "intervals from 5 resamples only: their ends are noise at 90% (use 100 or more; the "
        "estimate may lie outside them); a warning, not a refusal: the estimates do not "
        "depend on the resamples, only the intervals do"
    )
    code, out, err = run(capsys, "fit", "--bootstrap", "5")  # the bundled runs
    assert code == 0, err
    assert f"warning: {warning}" in " ".join((out + err).split())


def test_the_rolling_backtests_hint_names_its_own_default() -> None:
    """``rolling_backtest`` draws ``ROLLING_BOOTSTRAP`` (100) by default, not 200."""
    import scalinglab as sl
    from scalinglab._defaults import ROLLING_BOOTSTRAP

    runs = sl.simulated_runs()
    with pytest.raises(sl.ConfigError) as err:
        sl.validate.rolling_backtest(runs, bootstrap=5)
    assert err.value.hint.startswith(f"bootstrap={ROLLING_BOOTSTRAP} (the default)")
    assert ROLLING_BOOTSTRAP != 200
