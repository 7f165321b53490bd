"""A ``--fit-on`` bound counts what the fit's warning of too few runs counts: distinct
``(N, D)`` points, replicate runs (seeds at one point) once. With 2 seeds per point the
bound told kept 30 runs at 15 points, and the fit on it still warned of too few runs; the
refusal of a rule that keeps too few says the points it keeps, and the points to keep."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_backtest_hparams_followups import SIZES, TOKENS

import scalinglab as sl
from scalinglab import ConfigError, DataError
from scalinglab.data import read_runs

#: The reason the bound keeps 25 distinct (N, D): chinchilla's 5 parameters, 5 each.
WHY = (
    "(5 per parameter of law 'chinchilla': the fewest its fit takes without warning of too "
    "few runs)"
)


def _seeds(path: Path) -> Path:
    """The 35 distinct (N, D) of test_backtest_hparams_followups, 2 seeds at each: 70 runs,
    60 of them (30 points) below 1B parameters."""
    n, d = np.repeat(SIZES, 2), np.repeat(TOKENS, 2)
    noise = np.exp(np.tile([-0.003, 0.003], len(SIZES)))  # the seeds differ a little
    loss = (1.69 + 406.4 * n**-0.34 + 410.7 * d**-0.28) * noise
    names = [f"r{k}" for k in range(len(n))]
    seed = np.tile([0, 1], len(SIZES))
    frame = {"name": names, "params": n, "tokens": d, "seed": seed, "loss": loss}
    pd.DataFrame(frame).to_csv(path, index=False)
    return path


def _told(hint: str) -> str:
    """The bound a hint tells, as the rule to pass: ``params<=320M``."""
    found = re.search(r": (\w+(?:<=|>=)[\w.]+) keeps the smallest", hint)
    assert found, hint
    return found.group(1)


def test_the_bound_told_keeps_25_distinct_points_and_its_fit_does_not_warn(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _seeds(tmp_path / "runs.csv")
    args = ["backtest", str(path), "--law", "chinchilla", "--holdout", "params>=1e9"]
    code, _, err = cli(capsys, *args, "--fit-on", "params<=1M", "--bootstrap", "0", one_line=True)
    assert code == 2, err
    # 25 distinct (N, D) need 50 runs: params<=160M kept 30 runs at 15
    assert f"params<=320M keeps the smallest 50 runs at 25 distinct (N, D) {WHY}" in err
    bound = _told(err)
    code, _, err = cli(capsys, *args, "--fit-on", bound, "--bootstrap", "0", "--no-rolling")
    assert code == 0, err
    assert "too few runs" not in err


def test_compare_in_python_is_told_the_same_bound_and_it_fits_unwarned(tmp_path: Path) -> None:
    path = _seeds(tmp_path / "runs.csv")
    opts = {"laws": ["chinchilla"], "holdout": "params>=1e9", "bootstrap": 0}
    with pytest.raises(ConfigError) as info:
        sl.compare(path, fit_on="params<=1M", **opts)
    hint = str(info.value.hint)
    assert "params<=320M keeps the smallest 50 runs at 25 distinct (N, D)" in hint
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        told = sl.compare(path, fit_on=_told(hint), **opts)
    assert len(told.split.fitted) == 50
    assert not any("too few runs" in w for w in told.warnings), told.warnings


def test_a_rule_keeping_too_few_says_the_points_it_keeps_and_the_points_to_keep(
    tmp_path: Path,
) -> None:
    path = _seeds(tmp_path / "runs.csv")
    opts = {"law": "chinchilla", "holdout": "params>=1e9", "bootstrap": 0}
    with pytest.raises(DataError) as info:
        sl.backtest(path, fit_on="tokens<=1e8", **opts)
    hint = str(info.value.hint)
    assert (
        "keeps 2 runs at 1 distinct (N, D) of the 60 runs at 30 distinct (N, D) not held out: "
        "loosen it so that it keeps 6 distinct (N, D) or more: tokens<=12.8B & params<1e9 "
        f"keeps 54 runs at 27 distinct (N, D) {WHY}"
    ) in hint
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the bound ranges over the runs not held out: kept apart from the held-out ones
        told = sl.backtest(path, fit_on="tokens<=12.8B & params<1e9", **opts)
    assert len(told.split.fitted) == 54
    assert not any("too few runs" in w for w in told.warnings), told.warnings


def test_where_too_few_points_are_not_held_out_the_fallback_counts_points(
    tmp_path: Path,
) -> None:
    path = _seeds(tmp_path / "runs.csv")
    # 40 runs at 20 distinct (N, D) not held out, under 25: the law's own minimum, 6 points
    with pytest.raises(ConfigError) as info:
        sl.backtest(
            path, law="chinchilla", holdout="params>=300M", fit_on="params<=1M", bootstrap=0
        )
    hint = str(info.value.hint)
    assert "params<=40M keeps the smallest 20 runs at 10 distinct (N, D) (one more than" in hint
    assert "more than the 20 distinct (N, D) from 40 runs not held out" in hint


def test_bounds_keeping_counts_points_only_where_given(tmp_path: Path) -> None:
    from scalinglab.validate._rule_bounds import Points, bounds_keeping

    path = tmp_path / "runs.csv"
    flops = [1e18, 1e18, 2e18, 2e18, 3e18, 3e18]
    loss = [3.0, 3.01, 2.8, 2.81, 2.7, 2.71]
    pd.DataFrame({"name": list("abcdef"), "flops": flops, "loss": loss}).to_csv(path, index=False)
    table = read_runs(path)
    pool = np.ones(6, dtype=bool)
    points = Points(np.array([0, 0, 1, 1, 2, 2]), "C")
    assert bounds_keeping(table, "flops<=1e10", pool, 2, points=points) == [
        ("flops<=1e10", "flops<=2e18 keeps the smallest 4 runs at 2 distinct C")
    ]
    assert bounds_keeping(table, "flops>=1e30", pool, 2, points=points) == [
        ("flops>=1e30", "flops>=2e18 keeps the largest 4 runs at 2 distinct C")
    ]
    # without points (a hold-out rule's bound) runs are counted, as they were
    assert bounds_keeping(table, "flops<=1e10", pool, 2) == [
        ("flops<=1e10", "flops<=1e18 keeps the smallest 2")
    ]
    # more points than the runs hold: no bound
    assert bounds_keeping(table, "flops<=1e10", pool, 4, points=points) == []
