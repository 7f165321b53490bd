"""``backtest --law auto`` (``compare(runs, laws=["auto"])``) backtests the candidates
``fit --law auto`` chooses among, side by side, and a note says so; a backtest of one law
(``backtest(law="auto")``) refuses it, naming them (was: "unknown law 'auto'")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError

NOTE = (
    "law auto: its candidates backtested side by side (chinchilla, overtraining, kaplan), the "
    "catalog laws `fit --law auto` chooses among for these runs"
)


def test_compare_reads_auto_as_its_candidates() -> None:
    runs = isoflop_runs(seed=0)
    comparison = sl.compare(runs, laws=["auto", "chinchilla"], holdout="largest:4", bootstrap=0)
    assert [s.law for s in comparison.laws] == ["chinchilla", "overtraining", "kaplan"]
    assert comparison.notes == (NOTE,)
    assert comparison.to_dict()["notes"] == [NOTE]
    assert sl.compare(runs, laws=["kaplan"], holdout="largest:4", bootstrap=0).notes == ()


def test_auto_on_runs_of_one_size_variable_takes_its_laws() -> None:
    frame = isoflop_runs(seed=0)[["params", "loss"]]
    comparison = sl.compare(frame, laws=["auto"], holdout="largest:4", bootstrap=0)
    assert [s.law for s in comparison.laws] == [
        "power-law-plus-constant",
        "power-law",
        "kaplan-n",
    ]


@pytest.mark.parametrize("call", [sl.backtest, sl.rolling_backtest])
def test_a_backtest_of_one_law_refuses_auto_naming_its_candidates(call: object) -> None:
    name = "scalinglab.backtest" if call is sl.backtest else "scalinglab.rolling_backtest"
    with pytest.raises(ConfigError) as err:
        call(isoflop_runs(seed=0), law="auto", bootstrap=0)  # type: ignore[operator]
    assert err.value.message == (
        f"{name} backtests one law, and law 'auto' stands for its candidates (with params "
        "and tokens: chinchilla, overtraining, kaplan; with params: power-law-plus-constant, "
        "power-law, kaplan-n)"
    )
    assert err.value.hint.startswith(
        "backtest them side by side: scalinglab.compare(runs, laws=['auto']), as scalinglab "
        "backtest --law auto does"
    )


def test_the_command_line_backtests_autos_candidates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs(seed=0).to_csv(path, index=False)
    args = ["backtest", str(path), "--law", "auto", "--holdout", "largest:4", "--bootstrap", "0"]
    code, out, err = cli(capsys, *args, "--no-rolling")
    assert code == 0, err
    assert f"note: {NOTE}" in " ".join(out.split())
    table = out.split("held-out error by law")[1].split("winner:")[0]
    assert all(f"│ {law} " in table for law in ("chinchilla", "overtraining", "kaplan"))
    code, out, _ = cli(capsys, *args, "--no-rolling", "--json")
    # then how `fit --law auto` chooses instead (tests/test_backtest_auto_rule.py)
    first, then = json.loads(out)["notes"]
    assert code == 0 and first == NOTE and then.startswith("`fit --law auto` chooses by another")
