"""The backtest ``ladder run --predict-top`` points to for a top rung trained unpredicted
names the law ``--predict-top`` would have fitted: without it, backtest's default law
(``chinchilla``, five parameters) refused the three or four rungs below the top of a ladder
such as ``chinchilla-tiny`` ("a fit needs at least 6 runs"), so the command it gave failed."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.execute._top import not_predicted
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore, StoredRun

_TOP = get_recipe("tiny").rungs[-1]  # the top rung: the largest of _rungs has its run_id


def _rungs(count: int) -> list[StoredRun]:
    """``count`` rungs at 20 tokens per parameter, the loss on L = 2 + 40·C^-0.1 (C = 6ND)
    times a small wobble, as the rungs of a ladder at one ratio lie; the largest is
    :data:`_TOP`'s."""
    runs = []
    for k in range(count):
        n = 2e4 * 2**k
        loss = (2.0 + 40.0 * (6 * n * 20 * n) ** -0.1) * (1 + 0.004 * (-1) ** k)
        run_id = _TOP.run_id if k == count - 1 else f"id{k}"
        runs.append(StoredRun(run_id=run_id, name=f"r{k}", params=n, tokens=20 * n,
                              loss=loss, source="ladder:mine"))  # fmt: skip
    return runs


@pytest.mark.parametrize(
    ("count", "law"),
    [
        (4, "power-law:flops"),  # 3 rungs below the top
        (5, "power-law-plus-constant:flops"),  # 4 below: 3 parameters
    ],
)
def test_the_backtest_it_gives_names_the_law_and_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int, law: str
) -> None:
    runs = _rungs(count)
    path = tmp_path / "my runs.duckdb"
    RunStore(path).put_runs([(run, None) for run in runs])
    said = str(not_predicted(_TOP, path, runs))
    command = said.split("`")[1]
    assert command == (f"scalinglab backtest --store '{path}' --law {law} --holdout largest:1")
    capsys.readouterr()
    assert main([*shlex.split(command)[1:], "--bootstrap", "0", "--no-rolling"]) == 0
    assert "r" + str(count - 1) in capsys.readouterr().out  # the largest rung, predicted


def test_too_few_finished_rungs_below_name_no_law(tmp_path: Path) -> None:
    said = str(not_predicted(_TOP, tmp_path / "s.duckdb", _rungs(3)))  # 2 below the top
    assert f"`scalinglab backtest --store {tmp_path / 's.duckdb'} --holdout largest:1`" in said
