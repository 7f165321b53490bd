"""Follow-ups on digits and notes: one column's numbers to one rule (format_column), one
rule for loss2loss's intervals, the run table's notes where loss2loss left them out,
grouped warm-up step counts, isoflop's few-resamples warning counting the resamples kept,
the envelope's source counting its runs, and a saved backtest keeping its skipped runs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli

import scalinglab as sl
from scalinglab.curves import Schedule
from scalinglab.validate import Backtest


def test_a_saved_backtest_keeps_the_runs_skipped_while_reading(tmp_path: Path) -> None:
    # a run with a blank loss is left out while reading (RunTable.skipped); the saved
    # split's tables dropped it, so a loaded backtest had none
    runs = isoflop_runs()
    runs.loc[3, "loss"] = np.nan
    path = tmp_path / "runs.csv"
    runs.to_csv(path, index=False)
    bt = sl.backtest(sl.read_runs(path), law="chinchilla", holdout="largest:5", bootstrap=0)
    assert bt.split.fitted.skipped  # the reader's record reaches the split
    saved = tmp_path / "bt.json"
    bt.save(saved)
    back = Backtest.load(saved)
    assert back.split.fitted.skipped == bt.split.fitted.skipped
    assert back.split.fitted.skipped_notes == bt.split.fitted.skipped_notes
    data = json.loads(saved.read_text())  # a file saved before: none, not refused
    for side in ("fitted", "held_out"):
        del data["split"][side]["skipped"], data["split"][side]["skipped_notes"]
    saved.write_text(json.dumps(data))
    assert Backtest.load(saved).split.fitted.skipped == ()


def test_isoflop_warns_of_few_resamples_by_the_ones_kept() -> None:
    # 2 budgets of 4 sizes: about half the resamples give no line; of 30 asked, under 20
    # kept, whose ends are single resamples: warned (was counted as 30, and not warned)
    runs = isoflop_runs(per=4, noise=0.01)
    flops = 6 * runs["params"] * runs["tokens"]
    result = sl.isoflop(runs[flops < 1.01 * flops.min() * 10**0.5], bootstrap=30)
    samples = result.params_law.samples
    assert samples is not None and len(samples) < 20
    assert any(w.startswith(f"intervals from {len(samples)} resamples only")
               for w in result.warnings), result.warnings  # fmt: skip


def test_the_envelope_s_source_counts_its_runs_as_isoflop_s_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # isoflop's JSON source said 'grid.csv (63 runs)', the envelope's 'curves.csv' alone
    path = tmp_path / "curves.csv"
    law_curves(HOFFMANN, sizes=8).to_csv(path, index=False)
    env = sl.envelope(path, bootstrap=0)
    assert env.to_dict()["source"] == f"{path} (8 runs)" == f"{path} ({env.n_runs} runs)"
    grid = tmp_path / "grid.csv"
    isoflop_runs().to_csv(grid, index=False)
    assert sl.isoflop(grid, bootstrap=0).to_dict()["source"] == f"{grid} (63 runs)"
    code, out, err = cli(capsys, "envelope", str(path), "--bootstrap", "0")
    assert code == 0, err
    assert f"data: {path} (8 runs)\n" in out  # the text counts them once, as before


def test_warm_up_notes_group_their_step_counts() -> None:
    # 'over 2160 steps' and 'before step 2176' beside the README's '24,000 steps'
    step = np.arange(2176, 24000, 128)
    lr = np.where(step < 8000, 3e-4, 1e-4)
    notes = Schedule.from_logged(step, lr, warmup=2160).notes
    assert "not logged before step 2,176: a linear rise from 0 over 2,160 steps assumed" in notes
    assert any(n.startswith("step change between logged steps 7,936 and 8,064: taken at "
                            "step 8,064") for n in notes), notes  # fmt: skip
    late = Schedule.from_logged(step, lr, warmup=3000).notes
    assert any("the warm-up counted as 3,000 steps" in n for n in late), late
