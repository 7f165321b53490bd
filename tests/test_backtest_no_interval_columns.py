"""``backtest --bootstrap 0``: no run has an interval, so the held-out table had an empty
interval column and a dash in every coverage cell, and the law table dashes for coverage
and exponent spread; those columns are left out (the line under the tables says why), and
kept where any law or baseline has a value."""

from __future__ import annotations

import pytest
from tests._cli import cli


def _heads(out: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("┃").split("┃")]
        for line in out.splitlines()
        if line.startswith("┃")
    ]


def test_no_bootstrap_leaves_out_the_columns_of_intervals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "backtest", "--bootstrap", "0", "--no-rolling")
    assert code == 0, err
    laws, runs = _heads(out)
    assert laws == ["law / method", "median ARE", "max ARE", "BIC", "at bound"]
    assert runs == ["run", "flops", "× fitted", "actual", "predicted", "ARE"]
    assert "coverage not scored: with no bootstrap" in out + err


@pytest.mark.heavy  # two backtests with a bootstrap: 3 s on a 2-core AMD EPYC
def test_a_baseline_or_a_bootstrap_keeps_them(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("backtest", "--no-rolling")
    code, out, err = cli(capsys, *args, "--bootstrap", "0", "--baseline", "curve_fit")
    assert code == 0, err
    laws, runs = _heads(out)
    assert laws[3:6] == ["in 50%", "in 80%", "in 90%"]  # the baseline's coverage
    assert "exponent IQR/median" not in laws and "90% interval" not in runs
    code, out, err = cli(capsys, *args, "--bootstrap", "50")
    assert code == 0, err
    laws, runs = _heads(out)
    assert laws[-1] == "exponent IQR/median" and "in 90%" in laws
    assert runs[5] == "90% interval" and runs[-3:] == ["in 50%", "in 80%", "in 90%"]
