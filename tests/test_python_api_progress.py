"""``progress=`` on every long library call, as ``fit`` has it: a callable
``progress(stage, done, total)``, or ``True`` for a text line on stderr. It reports where the
work happens (starts, resamples, cells, tasks) and changes no number."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import isoflop_runs
from tests.test_curves import MPL_TRUE, SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab
from scalinglab.curves import MultiPower
from scalinglab.downstream import read_evals
from scalinglab.validate import calibrate

Calls = list[tuple[str, int, int]]


def _recorder() -> tuple[Calls, Callable[[str, int, int], None]]:
    calls: Calls = []
    return calls, lambda stage, done, total: calls.append((stage, done, total))


def _stages(calls: Calls) -> dict[str, list[tuple[int, int]]]:
    """Each stage's (done, total) calls, checked: one total, done never falling, and the
    last call at the total."""
    out: dict[str, list[tuple[int, int]]] = {}
    for stage, done, total in calls:
        out.setdefault(stage, []).append((done, total))
    for stage, seen in out.items():
        done = [d for d, _ in seen]
        assert len({t for _, t in seen}) == 1, stage
        assert done == sorted(done) and done[0] >= 0, stage
        assert done[-1] == seen[-1][1] > 0, stage
    return out


def test_isoflop_and_envelope_take_progress_true(capsys: pytest.CaptureFixture[str]) -> None:
    # once TypeError: 'bool' object is not callable
    runs = isoflop_runs(seed=0)
    plain = scalinglab.isoflop(runs, bootstrap=300)
    shown = scalinglab.isoflop(runs, bootstrap=300, progress=True)
    assert shown == plain
    assert "bootstrap: 1500/1500" in capsys.readouterr().err
    curves = law_curves(HOFFMANN, sizes=8)
    calls, record = _recorder()
    env = scalinglab.envelope(curves, bootstrap=300, progress=record)
    assert env == scalinglab.envelope(curves, bootstrap=300, progress=True)
    assert _stages(calls) == {"bootstrap": [(100, 300), (200, 300), (300, 300)]}  # by chunks
    assert "bootstrap: 300/300" in capsys.readouterr().err
    calibrate(replicates=1, bootstrap=20, progress=True)
    assert "calibration: 1/1" in capsys.readouterr().err


@pytest.mark.heavy
def test_fit_curves_reports_its_starts_and_resamples(capsys: pytest.CaptureFixture[str]) -> None:
    # the multi-power law: starts screened on a coarse law, then polished (one stage each
    # for the starts, the polish of the best and the bootstrap)
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=1e-3, seed=1)
    plain = scalinglab.fit_curves(curves, bootstrap=20, seed=0, progress=True)
    # in resamples, as fit's: once "bootstrap: 140/140" for 20 (the starts, then polishes)
    assert "bootstrap: 20/20" in capsys.readouterr().err
    calls, record = _recorder()
    heard = scalinglab.fit_curves(curves, bootstrap=20, seed=0, progress=record)
    assert heard.coefs == plain.coefs and heard.intervals == plain.intervals
    assert np.array_equal(heard.samples, plain.samples)  # type: ignore[arg-type]
    stages = _stages(calls)
    assert set(stages) == {"fit", "polish", "bootstrap"}
    assert stages["polish"][0] == (0, 12) and stages["polish"][-1] == (12, 12)  # not silent
    assert stages["bootstrap"][-1] == (20, 20)  # the starts, then the polishes, as a share
    assert len({d for d, _ in stages["bootstrap"]}) > 5  # as it goes, not once at the end


@pytest.mark.heavy
def test_fit_and_backtest_downstream_report_each_task() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    n = len(evals.tasks)  # a task on the sigmoid, a flat one, one at chance
    plain = scalinglab.fit_downstream(evals, bootstrap=50)
    calls, record = _recorder()
    heard = scalinglab.fit_downstream(evals, bootstrap=50, progress=record)
    assert heard.predict(params=1e9, tokens=2e10) == plain.predict(params=1e9, tokens=2e10)
    stages = _stages(calls)
    # the tasks' bootstraps count tasks, so their stage says tasks, not "bootstrap" (resamples)
    assert stages["tasks"] == stages["task bootstraps"] == [(i, n) for i in range(1, n + 1)]
    assert "bootstrap" not in stages and stages["loss bootstrap"][-1] == (50, 50)
    assert "backtest tasks" in stages  # the chain below the largest size
    calls.clear()
    options = {"holdout": "params>=2e8", "bootstrap": 50, "max_backtest_error": None}
    bt = scalinglab.backtest_downstream(evals, **options, progress=record)  # type: ignore[arg-type]
    want = scalinglab.backtest_downstream(evals, **options)  # type: ignore[arg-type]
    assert np.isfinite(bt.tasks["task"].upper).all()
    assert np.array_equal(bt.tasks["task"].upper, want.tasks["task"].upper)
    assert _stages(calls)["predict"][-1] == (len(bt.held_out_runs), len(bt.held_out_runs))


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_fit_hparams_reports_each_cell(capsys: pytest.CaptureFixture[str]) -> None:
    frame: pd.DataFrame = sweep(1)
    plain = scalinglab.fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=100, progress=True)
    cells = len(plain.cells)
    assert f"cells: {cells}/{cells}" in capsys.readouterr().err
    calls, record = _recorder()
    heard = scalinglab.fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=100, progress=record)
    assert heard.lr_law.coefs == plain.lr_law.coefs
    assert [c.lr_interval for c in heard.cells] == [c.lr_interval for c in plain.cells]
    assert _stages(calls) == {"cells": [(i, cells) for i in range(1, cells + 1)]}


@pytest.mark.heavy
def test_fit_downstream_reports_its_loss_law_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """Once a chain of one task printed only "bootstrap: 1/1": the loss law (its choice,
    fit and extrapolation error) and its resamples are reported as they go."""
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    calls, record = _recorder()
    scalinglab.fit_downstream(evals, tasks=["task"], bootstrap=40, progress=record)
    stages = _stages(calls)
    assert stages["loss law"] == [(1, 3), (2, 3), (3, 3)]  # auto: chosen, fitted, measured
    assert stages["loss bootstrap"][-1] == (40, 40)
    assert list(stages)[:2] == ["loss law", "loss bootstrap"]
    calls.clear()
    scalinglab.fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0, progress=record)
    assert _stages(calls)["loss law"] == [(1, 1)] and "loss bootstrap" not in _stages(calls)
    scalinglab.fit_downstream(evals, tasks=["task"], bootstrap=40, progress=True)
    err = capsys.readouterr().err
    assert "loss law: 3/3" in err and err.count("loss bootstrap: 40/40") == 1  # said once


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_fit_counts_its_bootstrap_in_resamples(capsys: pytest.CaptureFixture[str]) -> None:
    # once "bootstrap: 95/1200" for 200 resamples: the starts solved, not what was asked for
    calls, record = _recorder()
    runs = isoflop_runs(seed=0)
    heard = scalinglab.fit("chinchilla", runs, bootstrap=40, seed=0, progress=record)
    assert _stages(calls)["bootstrap"][-1] == (40, 40)
    assert heard.intervals == scalinglab.fit("chinchilla", runs, bootstrap=40, seed=0).intervals
