"""Outputs, folders and saved results: a missing folder is made as the file is written, not
before the work (a command that fails first leaves none behind), by the command line and the
library alike; a run store refuses a missing folder and says why; a path option refuses an
option's name as its value (``fit --out --help`` wrote a file named ``--help``); a saved
comparison keeps ``"baselines"``; a ladder's top-rung fit stopped short even at more
iterations says what ``ladder run`` users can run; the too-few-runs warning counts distinct
points, from how many runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_cli_plot_no_suffix import _runs

import scalinglab as sl
from scalinglab._errors import StoreError
from scalinglab.store import RunStore, StoredRun
from scalinglab.validate import Comparison


@pytest.mark.parametrize(
    "args",
    [
        ["fit", "{runs}", "--y", "nosuch", "--out", "{tmp}/a/b/fit.json"],
        ["fit", "{runs}", "--y", "nosuch", "--plot", "{tmp}/a/b/fit.svg"],
        ["report", "{runs}", "--y", "nosuch", "--out", "{tmp}/a/b/r.html"],
        ["report", "{runs}", "--y", "nosuch", "--out", "{tmp}/r.html", "--figures", "{tmp}/a/b"],
        ["backtest", "{runs}", "--y", "nosuch", "--out", "{tmp}/a/b/bt.json"],
    ],
)  # fmt: skip
def test_a_command_that_fails_leaves_no_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str]
) -> None:
    """Before: the folder was made as the options were checked, and stayed, empty."""
    runs = _runs(tmp_path)
    argv = [a.replace("{runs}", str(runs)).replace("{tmp}", str(tmp_path)) for a in args]
    code, _, err = cli(capsys, *argv)
    assert code == 2 and "no column 'nosuch'" in err
    assert not (tmp_path / "a").exists()


def test_a_file_in_the_way_is_still_refused_before_the_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = _runs(tmp_path)
    code, _, err = cli(capsys, "fit", str(runs), "--y", "nosuch", "--out", f"{runs}/x/fit.json")
    assert code == 2
    assert f"cannot create the folder '{runs}/x': '{runs}' is a file" in err


def test_python_saves_make_their_folder(tmp_path: Path) -> None:
    """As --out does: FitResult.save and a validation result's save refused it before."""
    runs = pd.read_csv(_runs(tmp_path))
    result = sl.fit("power-law:params", runs, bootstrap=0)
    result.save(tmp_path / "a" / "fit.json")
    assert sl.FitResult.load(tmp_path / "a" / "fit.json").coefs == result.coefs
    bt = sl.backtest(runs, law="power-law:params", holdout="largest:3", bootstrap=0)
    bt.save(tmp_path / "b" / "c" / "bt.json")
    assert type(bt).load(tmp_path / "b" / "c" / "bt.json").to_dict() == bt.to_dict()


def test_a_store_refuses_a_missing_folder_and_says_why(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "nope" / "runs.duckdb")
    with pytest.raises(StoreError) as err:
        store.put_run(StoredRun(run_id="a", name="a", params=1e7, tokens=1e9, loss=3.0))
    assert "a run store is created only in a folder that exists" in err.value.message
    assert "mkdir -p" in err.value.hint
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize(
    ("args", "option", "word"),
    [
        (["fit", "--out", "--help"], "--out", "--help"),
        (["fit", "--out", "--seed", "3"], "--out", "--seed"),
        (["fit", "--plot", "--json"], "--plot", "--json"),
        (["report", "--out", "--help"], "--out", "--help"),
        (["fit", "--store", "--help"], "--store", "--help"),
    ],
)
def test_a_path_option_given_an_option_needs_a_path(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    option: str,
    word: str,
) -> None:
    """Before: ``fit --out --help`` fitted the bundled runs and wrote a file named --help."""
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, *args)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (
        f"error: {option} needs a path, and the word after it is the option {word}"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_saved_comparison_keeps_its_baselines(tmp_path: Path) -> None:
    runs = pd.read_csv(_runs(tmp_path))
    cmp = sl.compare(runs, laws=["power-law:params"], holdout="largest:3", bootstrap=0)
    assert cmp.to_dict()["baselines"] == []  # compare() runs none
    cmp.save(tmp_path / "cmp.json")
    saved = json.loads((tmp_path / "cmp.json").read_text())
    assert saved["baselines"] == []  # was missing: a reader got None
    assert Comparison.load(tmp_path / "cmp.json").to_dict() == cmp.to_dict()
    base = sl.validate.baseline_backtest(cmp.split.fitted, method="curve_fit", holdout=cmp.split)
    kept = cmp.with_rolling(None, baselines=[base])
    assert kept.to_dict()["baselines"] == [base.to_dict()]
    kept.save(tmp_path / "kept.json")
    assert Comparison.load(tmp_path / "kept.json").to_dict() == kept.to_dict()
    # a file whose saved part has no "baselines" (as old files may) loads them as none
    del saved["saved"]["baselines"]
    (tmp_path / "old.json").write_text(json.dumps(saved))
    assert Comparison.load(tmp_path / "old.json").to_dict()["baselines"] == []


def test_a_top_rung_fit_stopped_short_names_the_command_to_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ladder run has no --max-iter: its warning names `fit --store` with one instead."""
    from tests.test_execute_predict_iterations import _RUNGS

    from scalinglab.execute import _top_fit, predict_top

    monkeypatch.setattr(_top_fit, "MORE_ITER", 301)  # the refit stops short too
    rungs = [
        StoredRun(run_id=n, name=n, params=p, tokens=d, flops=c, loss=lo, source="ladder:tiny")
        for n, p, d, c, lo in _RUNGS
    ]
    p = predict_top(rungs[:4], rungs[4], store="lab/runs.duckdb")
    (failed,) = [w for w in p.warnings if "did not converge" in w]
    assert "increase max_iter (--max-iter)" not in failed
    assert (
        "even at 301 a start, the refit ladder run makes; ladder run has no --max-iter: fit "
        "the lower rungs with more: scalinglab fit --store lab/runs.duckdb --law "
        "power-law-plus-constant:flops --where source=ladder:tiny --where 'flops<4.06e12' "
        "--max-iter 3010"
    ) in failed


def test_too_few_runs_says_it_counts_distinct_points_from_the_runs() -> None:
    grid = [(n, d) for n in (1e7, 3e7, 1e8) for d in (1e9, 1e10)]
    runs = pd.DataFrame([(n, d) for n, d in grid for _ in range(3)], columns=["params", "tokens"])
    runs["loss"] = 1.8 + 400 * runs["params"] ** -0.34 + 400 * runs["tokens"] ** -0.28
    runs["loss"] *= np.exp(np.random.default_rng(0).normal(0, 0.005, len(runs)))
    bt = sl.backtest(runs, law="chinchilla", holdout="largest:6", bootstrap=0)
    assert any(
        w.startswith(
            "backtest fit: too few runs: 4 distinct (N, D) from 12 runs for 5 parameters (0.8 per parameter, "
            "under 5; runs at one (N, D) count once)"
        )
        for w in bt.warnings
    ), bt.warnings
