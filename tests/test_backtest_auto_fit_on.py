"""``--law auto`` with a ``--fit-on`` rule that keeps too few runs is told the bound its
candidate of most parameters needs (chinchilla's 25: 5 per parameter), saying it is auto's
(it was told a bound that keeps half the runs, or none where the rule kept a few); where
the runs fitted have one size, auto's candidates are laws of tokens, and it still runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_backtest_hparams_followups import _runs

import scalinglab as sl
from scalinglab import ConfigError

#: How the hint says that the bound is auto's largest candidate's.
AUTO = (
    "(5 per parameter of law 'chinchilla', of most parameters among law auto's candidates "
    "chinchilla, overtraining and kaplan: the fewest its fit takes without warning of too "
    "few runs)"
)


def test_a_rule_keeping_none_is_told_the_largest_candidates_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _runs(tmp_path / "runs.csv")
    args = ["backtest", str(path), "--law", "auto", "--holdout", "params>=1e9"]
    code, _, err = cli(capsys, *args, "--fit-on", "params<=1M", "--bootstrap", "0", one_line=True)
    assert code == 2, err
    # 30 runs not held out: 25 kept, as --law chinchilla is told, not half of them (15)
    assert f"params<=320M keeps the smallest 25 {AUTO}" in err
    assert "smallest 15" not in err


def test_a_rule_keeping_a_few_is_told_the_bound_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _runs(tmp_path / "runs.csv")
    args = ["backtest", str(path), "--law", "auto", "--holdout", "params>=1e9"]
    # 3 runs of two sizes: auto's candidates are laws of params and tokens, chinchilla first
    code, _, err = cli(capsys, *args, "--fit-on", "tokens<=2e8", "--bootstrap", "0", one_line=True)
    assert code == 2, err
    assert "keeps 3 of the 30 runs not held out: loosen it so that it keeps 6 or more" in err
    # said beside the hold-out: tokens<=12.8B alone keeps held-out runs of few tokens too
    assert f"tokens<=12.8B & params<1e9 keeps 27 {AUTO}" in err


def test_compare_in_python_is_told_the_same(tmp_path: Path) -> None:
    path = _runs(tmp_path / "runs.csv")
    with pytest.raises(ConfigError) as info:
        sl.compare(path, laws=["auto"], holdout="params>=1e9", fit_on="params<=1M", bootstrap=0)
    assert f"params<=320M keeps the smallest 25 {AUTO}" in str(info.value.hint)


def test_a_named_law_of_more_parameters_is_the_one_sized(tmp_path: Path) -> None:
    path = _runs(tmp_path / "runs.csv")
    six = "E + A*N**-alpha + B*D**-beta + C*N**-gamma"  # 6 parameters (C: a coefficient)
    with pytest.raises(ConfigError) as info:
        sl.compare(path, laws=["auto", six], holdout="params>=1e9", fit_on="params<=1M", bootstrap=0)  # fmt: skip
    hint = str(info.value.hint)
    assert f"params<=640M keeps the smallest 30 (5 per parameter of law {six!r}: the fewest" in hint
    assert "auto's candidates" not in hint


def test_runs_of_one_size_fitted_still_backtest_autos_laws_of_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sizes = np.repeat([20e6, 40e6, 80e6, 160e6], 6)
    tokens = sizes * np.tile([2.0, 5.0, 10.0, 20.0, 40.0, 80.0], 4)
    loss = 1.69 + 406.4 * sizes**-0.34 + 410.7 * tokens**-0.28
    path = tmp_path / "runs.csv"
    names = [f"r{k}" for k in range(len(sizes))]
    frame = {"name": names, "params": sizes, "tokens": tokens, "loss": loss}
    pd.DataFrame(frame).to_csv(path, index=False)
    args = ["backtest", str(path), "--law", "auto", "--holdout", "params>=1e8"]
    code, out, err = cli(capsys, *args, "--fit-on", "params<=2e7", "--bootstrap", "0", "--json")
    assert code == 0, err
    assert "power-law-plus-constant:tokens" in out
