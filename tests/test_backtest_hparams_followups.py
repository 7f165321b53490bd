"""Follow-ups on backtest and hparams results: a ``--fit-on`` that keeps too few runs is told
the bound that keeps the fewest the law fits without a warning (not half the runs); a
comparison's ``to_dict`` and repr hold its rolling-origin steps; a saved hparams fit's
verdict reads in the current regret style when loaded; the backtests' help words."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.test_cli_backtest import ladder_csv

import scalinglab as sl
from scalinglab import ConfigError, DataError
from scalinglab._hparams_numbers import regret_pct
from scalinglab.data import read_runs
from scalinglab.hparams import HparamFit, fit_hparams
from scalinglab.hparams._choice import label
from scalinglab.validate import Comparison

# 7 model sizes x 5 token counts: 35 runs, every (N, D) point distinct
SIZES = np.repeat([20e6, 40e6, 80e6, 160e6, 320e6, 640e6, 1.28e9], 5)
TOKENS = SIZES * np.tile([5.0, 10.0, 20.0, 40.0, 80.0], 7)


def _runs(path: Path) -> Path:
    loss = 1.69 + 406.4 * SIZES**-0.34 + 410.7 * TOKENS**-0.28
    names = [f"r{k}" for k in range(len(SIZES))]
    pd.DataFrame({"name": names, "params": SIZES, "tokens": TOKENS, "loss": loss}).to_csv(
        path, index=False
    )
    return path


def test_a_fit_on_that_keeps_too_few_is_told_the_fewest_runs_the_law_fits(tmp_path: Path) -> None:
    path = _runs(tmp_path / "runs.csv")
    # 30 runs not held out; 5 kept, under the 6 chinchilla fits: 25 (5 per parameter) told
    with pytest.raises(DataError) as info:
        sl.backtest(
            path, law="chinchilla", holdout="params>=1e9", fit_on="params<=30M", bootstrap=0
        )
    hint = str(info.value.hint)
    assert "keeps 5 of the 30 runs not held out: loosen it so that it keeps 6 or more" in hint
    assert "params<=320M keeps the smallest 25 (5 per parameter of law 'chinchilla'" in hint
    assert "without warning of too few runs" in hint
    # the bound as told fits 25 runs, with no warning of too few
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = sl.backtest(
            path, law="chinchilla", holdout="params>=1e9", fit_on="params<=320M", bootstrap=0
        )
    assert len(bt.split.fitted) == 25
    assert not any("too few runs" in w for w in bt.warnings)
    # a rule that keeps none is told the same bound, not one that keeps half (15)
    with pytest.raises(ConfigError) as none:
        sl.backtest(path, law="chinchilla", holdout="params>=1e9", fit_on="params<=1M", bootstrap=0)
    assert "params<=320M keeps the smallest 25 (5 per parameter" in str(none.value.hint)


def test_where_too_few_are_not_held_out_the_fewest_the_law_fits_is_told(tmp_path: Path) -> None:
    path = _runs(tmp_path / "runs.csv")
    # 20 runs not held out, under 25: the law's own minimum, 6, and that its fit will warn
    with pytest.raises(ConfigError) as info:
        sl.backtest(
            path, law="chinchilla", holdout="params>=300M", fit_on="params<=1M", bootstrap=0
        )
    hint = str(info.value.hint)
    assert "params<=40M keeps the smallest 10 (one more than the 5 parameters of law" in hint
    assert "warns of too few runs under 25, 5 per parameter, more than the 20 runs" in hint


def test_the_cli_tells_the_bound_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _runs(tmp_path / "runs.csv")
    args = ["backtest", str(path), "--holdout", "params>=1e9", "--fit-on", "params<=30M"]
    code, _, err = cli(capsys, *args, "--bootstrap", "0", "--no-rolling", one_line=True)
    assert code == 2 and "params<=320M keeps the smallest 25" in err


def test_a_bound_is_rounded_outward_so_it_keeps_the_runs_it_says(tmp_path: Path) -> None:
    from scalinglab.validate._rule_bounds import bounds_keeping

    path = tmp_path / "runs.csv"
    flops = [1.2345e19, 5.7234e19, 9.1e19]
    pd.DataFrame({"name": ["a", "b", "c"], "flops": flops, "loss": [3.0, 2.8, 2.7]}).to_csv(
        path, index=False
    )
    table = read_runs(path)
    pool = np.ones(3, dtype=bool)
    # 5.72e19, as 3 figures write 5.7234e19, would keep 1
    assert bounds_keeping(table, "flops<=1e10", pool, 2) == [
        ("flops<=1e10", "flops<=5.73e19 keeps the smallest 2")
    ]
    assert bounds_keeping(table, "flops>=1e30", pool, 2) == [
        ("flops>=1e30", "flops>=5.72e19 keeps the largest 2")
    ]


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_a_comparisons_to_dict_and_repr_hold_its_rolling_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = ladder_csv(tmp_path / "runs.csv")
    out = tmp_path / "bt.json"
    args = ["backtest", str(runs), "--holdout", "largest:5", "--bootstrap", "0", "--out", str(out)]
    assert cli(capsys, *args)[0] == 0
    written = json.loads(out.read_text())
    back = Comparison.load(out)
    assert back.has_rolling and written["rolling"] is not None
    assert back.to_dict()["rolling"] == written["rolling"] == back.rolling.to_dict()
    # to_dict, save and load agree, the rolling steps with the rest
    again = tmp_path / "again.json"
    back.save(again)
    assert Comparison.load(again).to_dict() == back.to_dict()
    assert json.loads(again.read_text())["rolling"] == written["rolling"]
    steps = len(back.rolling.steps)
    assert repr(back).endswith(f", rolling={steps} steps)")
    # none run: null, and the repr says nothing of it
    cmp = sl.compare(str(runs), laws=["chinchilla"], holdout="largest:5", bootstrap=0)
    assert cmp.to_dict()["rolling"] is None and "rolling" not in repr(cmp)


def _old_percent(s: float) -> str:
    """How a regret was written before regret_pct (4 decimals)."""
    if math.isnan(s):
        return "could not be fitted"
    return "a prediction beyond a cell's surface" if math.isinf(s) else f"{100 * s:.4f}%"


def test_a_saved_hparams_fit_reads_its_verdict_in_the_current_style(tmp_path: Path) -> None:
    hp = fit_hparams(sweep(11, delta=-0.3), seq_len=SEQ_LEN, bootstrap=0)
    choice = hp.law_choice
    assert choice is not None and choice.chose
    scores = list(choice.median_regret)
    best = min(scores)
    assert choice.median_regret[choice.candidates.index((choice.lr_law, choice.batch_law))] == best
    path = tmp_path / "hp.json"
    hp.save(path)
    # the file as the code before regret_pct wrote it: every regret to 4 decimals
    data = json.loads(path.read_text())
    saved = data.get("saved", data)
    chosen = label(choice.lr_law, choice.batch_law)
    old_verdict = f"chose {chosen}: the lowest median held-out regret, {_old_percent(best)}"
    shown = "; ".join(
        f"{label(lr, b)}: {_old_percent(s)}"
        for (lr, b), s in zip(choice.candidates, scores, strict=True)
    )
    old_reason = (
        f"median held-out regret, leaving out each of {len(choice.sizes)} model sizes in turn "
        f"({choice.n_scored} cells): {shown}; {old_verdict}"
    )
    new_verdict = f"chose {chosen}: the lowest median held-out regret, {regret_pct(best, scores)}"
    assert old_verdict != new_verdict  # the test reads a style that differs
    saved["law_choice"]["verdict"], saved["law_choice"]["reason"] = old_verdict, old_reason
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    back = HparamFit.load(old)
    assert back.law_choice is not None
    assert back.law_choice.verdict == new_verdict == choice.verdict
    assert back.law_choice.reason == choice.reason
    assert f"law choice: {new_verdict}" in back._repr_html_()


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["backtest"], "runs in neither rule are left out"),
        (["curves", "backtest"], "every other curve is held out and predicted"),
        (["hparams", "backtest"], "Hold out cells (--holdout)"),
    ],
)
def test_the_backtests_help_says_what_is_fitted_and_what_held_out(
    command: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, *command, "--help")
    assert code == 0 and said in " ".join(out.split())
