"""A loss law fitted to an lr × batch sweep: ``fit``, ``backtest`` and ``report`` warn once
that the runs look like a sweep (every run of a cell, good and bad hyperparameters, is
fitted), and ``--best-per-cell`` (``best_per_cell=True``) fits the run of lowest finite loss
of each (N, D) cell, as ``benchmarks/_real_sets.py`` reads the Step Law set. Before, ``fit``
of the Step Law sweep fitted its 1,746 runs with only generic warnings (runs that look
diverged, E collapsed)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused
from tests.conftest import CHINCHILLA_CSV, SHARED

from scalinglab import ConfigError, DataError, backtest, fit, read_runs
from scalinglab.data._best_per_cell import sweep_warning

SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
MODELS = SHARED / "overtraining" / "models.dev.csv"
_LAW = {"E": 1.8, "A": 400.0, "B": 1500.0, "alpha": 0.34, "beta": 0.30}
_LOOKS = "the runs look like an lr × batch sweep: "
_QUICK = {"bootstrap": 0, "compare": False, "extrapolation": False}


def _sweep(*, diverged: bool = False) -> pd.DataFrame:
    """20 (N, D) cells of a known Chinchilla law, each over 6 learning rates and 3 batch
    sizes; the loss the law's times a bowl in log lr and log batch whose bottom (lr 1e-3,
    batch 256) is on the grid, so each cell's best run lies on the law. ``diverged``: the
    cells' runs at the highest lr a NaN or infinite loss instead."""
    rows = []
    for n in np.geomspace(2e7, 2e9, 5):
        for d in np.geomspace(4e8, 4e10, 4):
            law = _LAW["E"] + _LAW["A"] * n ** -_LAW["alpha"] + _LAW["B"] * d ** -_LAW["beta"]
            for lr in (1e-4, 2.5e-4, 1e-3, 2.5e-3, 6e-3, 1.6e-2):
                for bs in (128, 256, 512):
                    bowl = 0.08 * math.log10(lr / 1e-3) ** 2 + 0.02 * math.log2(bs / 256) ** 2
                    loss = law * (1 + bowl)
                    if diverged and lr == 1.6e-2:
                        loss = math.nan if bs == 128 else math.inf
                    rows.append({"run": f"n{n:.3g}-d{d:.3g}-lr{lr:g}-bs{bs}", "params": n,
                                 "tokens": d, "lr": lr, "bs": bs, "loss": loss})  # fmt: skip
    return pd.DataFrame(rows)


def _looks(warnings: tuple[str, ...] | list[str]) -> list[str]:
    return [w for w in warnings if w.startswith(_LOOKS)]


def test_the_best_per_cell_fit_recovers_the_law_and_the_all_runs_fit_does_not() -> None:
    frame = _sweep()
    every = fit("chinchilla", frame, **_QUICK)
    best = fit("chinchilla", frame, best_per_cell=True, **_QUICK)
    assert len(best.runs) == 20 and len(every.runs) == 360
    for name, value in _LAW.items():
        assert best.coefs[name] == pytest.approx(value, rel=0.01), name
    # every run: each cell's median run, its loss ~5% above the law's, is what is fitted
    assert every.coefs["E"] > 1.03 * _LAW["E"] and every.coefs["A"] > 1.03 * _LAW["A"]
    (said,) = _looks(every.warnings)
    assert said == (
        f"{_LOOKS}360 runs in 20 groups of equal 'params' and 'tokens', each over 6 "
        "learning rates ('lr') and 3 batch sizes ('bs'): a loss law describes the loss at good "
        "hyperparameters, and a fit to every run mixes in the losses of poor ones — pass "
        "--best-per-cell (best_per_cell=True to read_runs() or fit()) to fit the best run of "
        "each cell; scalinglab.fit_hparams(frame) fits their optimal learning rate and batch size"
    )
    assert not _looks(best.warnings)
    assert (
        "best run per cell: kept 20 of 360 runs, the lowest finite loss of each of 20 cells "
        "of equal 'params' and 'tokens'"
    ) in best.notes


def test_the_best_run_of_each_cell_and_diverged_runs_never_win() -> None:
    frame = _sweep(diverged=True)
    table = read_runs(frame, best_per_cell=True)  # no NaN refusal: none is kept
    reference = frame.loc[frame.groupby(["params", "tokens"])["loss"].idxmin()]
    assert sorted(table.runs) == sorted(reference["run"])
    assert all("-lr0.001-bs256" in run for run in table.runs)
    assert np.all(np.isfinite(table["loss"]))
    # a cell whose runs all diverged is left out, said; a run alone in its cell is kept
    lonely = pd.DataFrame({"run": ["x1", "x2", "y"], "params": [1e8, 1e8, 2e8],
                           "tokens": [2e9, 2e9, 4e9], "loss": [math.nan, math.inf, 3.0]})  # fmt: skip
    kept = read_runs(pd.concat([lonely, frame]), best_per_cell=True)
    assert kept.runs[0] == "y" and len(kept) == 21
    assert kept.notes[-1] == (
        "best run per cell: kept 21 of 363 runs, the lowest finite loss of each of 21 cells "
        "of equal 'params' and 'tokens'; 1 cell with no finite loss (every run diverged) "
        "left out, of the runs 'x1'"
    )
    # a tie: the first run in table order, as pandas' idxmin
    tie = pd.DataFrame({"run": ["a", "b", "c"], "params": [1e8] * 3, "tokens": [2e9] * 3,
                        "loss": [3.1, 3.0, 3.0]})  # fmt: skip
    assert read_runs(tie, best_per_cell=True).runs == ("b",)


def test_runs_of_other_training_data_are_never_one_cell() -> None:
    frame = _sweep()
    other = frame.assign(dataset="rpj", loss=frame.loss - 1, run="rpj-" + frame.run)
    both = pd.concat([frame.assign(dataset="c4"), other])
    table = read_runs(both, best_per_cell=True)
    assert len(table) == 40 and sorted(set(table.labels["dataset"])) == ["c4", "rpj"]


def test_backtest_warns_once_of_every_run_and_fits_the_cells_with_the_option() -> None:
    frame = _sweep()
    every = backtest(frame, holdout="params>=1e9", bootstrap=0)
    assert len(_looks(every.warnings)) == 1
    assert _looks(every.warnings)[0].startswith(f"{_LOOKS}360 runs in 20 groups")
    assert not [w for w in every.warnings if w.startswith(f"backtest fit: {_LOOKS}")]
    best = backtest(frame, holdout="params>=1e9", bootstrap=0, best_per_cell=True)
    assert not _looks(best.warnings)
    assert len(best.runs) == 4 and len(best.split.fitted) == 16
    assert best.summary.median_are < 0.005 < every.summary.median_are


def test_a_run_table_read_already_is_refused_the_option() -> None:
    table = read_runs(_sweep())
    with pytest.raises(ConfigError) as err:
        fit("chinchilla", table, best_per_cell=True, **_QUICK)
    assert err.value.message == (
        "fit(best_per_cell=True) keeps the best run of each cell as it reads a file or "
        "DataFrame, and these runs are a RunTable, read already"
    )
    assert err.value.hint == "do it as you read them: read_runs(path, best_per_cell=True)"
    with pytest.raises(DataError, match="no 'tokens' column: best_per_cell keeps"):
        read_runs(pd.DataFrame({"params": [1e8, 2e8], "loss": [3.0, 2.9]}), best_per_cell=True)


def test_fit_from_curves_refuses_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    error, hint = refused(capsys, ["fit", "--from-curves", "curves.csv", "--best-per-cell"])
    assert error == (
        "error: --best-per-cell keeps the best run of each cell of a RUNS table, and "
        "--from-curves predicts the runs of its curves, not read from one"
    )
    assert hint == "hint: drop --best-per-cell (keep a sweep's best curves with --where)"


# -- the shared data ------------------------------------------------------------------------


def _shared(*paths: object) -> None:
    missing = [str(p) for p in paths if not p.is_file()]  # type: ignore[attr-defined]
    if missing:
        pytest.skip(f"the shared data lives in ../shared/data: {missing[0]} is absent")


@pytest.mark.heavy
def test_the_step_law_sweep_warns_and_its_cells_are_pandas_groupby_idxmin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _shared(SWEEP)
    every = fit("chinchilla", SWEEP, **_QUICK)
    assert _looks(every.warnings) == [
        f"{_LOOKS}1746 runs in 15 groups of equal 'N' and 'D', each over 11-12 learning "
        "rates ('lr') and 10 batch sizes ('bs'): a loss law describes the loss at good "
        "hyperparameters, and a fit to every run mixes in the losses of poor ones — pass "
        "--best-per-cell (best_per_cell=True to read_runs() or fit()) to fit the best run of "
        f"each cell; `scalinglab hparams fit {SWEEP}` fits their optimal learning rate and "
        "batch size"
    ]
    frame = pd.read_csv(SWEEP)
    reference = frame.loc[frame.groupby(["N", "D"])["loss"].idxmin(), "exp_name"]
    table = read_runs(SWEEP, best_per_cell=True)
    assert sorted(table.runs) == sorted(reference) and len(table) == 15
    np.testing.assert_array_equal(
        np.sort(table["loss"]), np.sort(frame.groupby(["N", "D"])["loss"].min().to_numpy())
    )
    code, out, err = cli(capsys, "fit", str(SWEEP), "--best-per-cell", "--bootstrap", "0",
                         "--no-compare", one_line=True)  # fmt: skip
    assert code == 0, err
    assert "data: " + str(SWEEP) + " (15 runs)" in out
    assert "best run per cell: kept 15 of 1746 runs" in " ".join(out.split())
    assert _LOOKS not in " ".join(out.split())


def test_the_benchmarks_read_the_step_law_cells_with_the_library() -> None:
    _shared(SWEEP)
    from benchmarks import _real_sets

    ((_, runs, holdout),) = _real_sets.steplaw()
    frame = pd.read_csv(SWEEP)
    reference = frame.loc[frame.groupby(["N", "D"])["loss"].idxmin(), "exp_name"]
    assert sorted(runs.runs) == sorted(reference) and holdout == "params>=5e8"
    assert runs.runs == read_runs(SWEEP, best_per_cell=True).runs


def test_plain_run_tables_get_no_warning_and_the_option_only_a_note() -> None:
    _shared(CHINCHILLA_CSV, MODELS)
    for path, y, runs in ((CHINCHILLA_CSV, "loss", 245), (MODELS, "loss_c4_val", 95)):
        every = read_runs(path, y=y)
        best = read_runs(path, y=y, best_per_cell=True)
        assert sweep_warning(every) == ()
        assert best.runs == every.runs and len(best) == runs
        for name in every.columns:
            np.testing.assert_array_equal(best.columns[name], every.columns[name])
        (note,) = [n for n in best.notes if n not in every.notes]
        assert [n for n in best.notes if n != note] == list(every.notes)
        assert note.startswith(f"best run per cell: each of the {runs} runs is alone in its cell")


@pytest.mark.heavy
def test_backtest_and_report_say_it_once_and_the_card_reruns_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sweep.csv"
    _sweep().to_csv(path, index=False)
    code, out, err = cli(capsys, "backtest", str(path), "--bootstrap", "0", "--json")
    assert code == 0, err
    assert len(_looks(json.loads(out)["warnings"])) == 1
    code, out, err = cli(capsys, "backtest", str(path), "--bootstrap", "0", "--json",
                         "--best-per-cell")  # fmt: skip
    assert code == 0 and not _looks(json.loads(out)["warnings"])
    code, out, err = cli(capsys, "report", str(path), "--bootstrap", "20", "--no-validate",
                         "--out", str(tmp_path / "all.html"))  # fmt: skip
    assert code == 0 and len([w for w in err.splitlines() if _LOOKS in w]) == 1
    page = tmp_path / "cells.html"
    code, out, err = cli(capsys, "report", str(path), "--bootstrap", "20", "--no-validate",
                         "--out", str(page), "--best-per-cell")  # fmt: skip
    assert code == 0 and _LOOKS not in err
    assert "--bootstrap 20 --level 0.9 --seed 0 --best-per-cell --no-validate" in page.read_text()
