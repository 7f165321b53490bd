"""Follow-ups on digits and notes: one column's numbers to one rule (format_column), one
rule for loss2loss's intervals, the run table's notes where loss2loss left them out,
grouped warm-up step counts, isoflop's few-resamples warning counting the resamples kept,
the envelope's source counting its runs, and a saved backtest keeping its skipped runs."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

import scalinglab as sl
from scalinglab import fit_curves
from scalinglab._cells import estimate
from scalinglab.curves import Schedule, Tissue
from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_tables import cells_table
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


def _two_losses(n: int = 14) -> pd.DataFrame:
    """Two loss columns and a size, as a user's own file."""
    rng = np.random.default_rng(0)
    lx = np.linspace(3.0, 5.0, n)
    ly = (1.2 * (lx - 1.8) ** 0.9 + 1.5) * np.exp(rng.normal(0, 0.002, n))
    return pd.DataFrame({"C4 Loss": lx, "Pile Loss": ly, "params": np.geomspace(1e7, 1e9, n)})


@pytest.mark.parametrize("as_json", [False, True])
def test_loss2loss_fit_names_a_run_skipped_for_a_blank_l_x(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_json: bool
) -> None:
    # the reader leaves out a run of no L_x (RunTable.skipped); loss2loss said only 13 runs
    frame = _two_losses()
    frame.loc[3, "C4 Loss"] = np.nan
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    code, out, err = cli(capsys, "loss2loss", "fit", str(path), "--x", "C4 Loss",
                         "--y", "Pile Loss", "--bootstrap", "0", *["--json"] * as_json,
                         one_line=True)  # fmt: skip
    assert code == 0, err
    said = err if as_json else " ".join(out.split())
    assert "note: 1 run without a loss skipped (no value of 'C4 Loss'" in said
    assert "'row5' (row 5)" in said


@pytest.mark.heavy  # 3.5 s in the suite on a 2-core AMD EPYC
def test_loss2loss_warnings_write_intervals_as_its_table() -> None:
    # the table wrote E_x's interval [0.729, 2.997], its warning [0.729, 3]
    l2l = sl.fit_loss_to_loss(_two_losses(), x="C4 Loss", y="Pile Loss", bootstrap=200)
    fitted = l2l.fits["all"]
    lines = [w for w in l2l.warnings if " is not identified: its interval [" in w]
    assert lines, l2l.warnings
    for line in lines:
        name = line.split(" ", 1)[0]
        shown = estimate(fitted.coefs[name], *fitted.intervals[name], 4)  # the table's cell
        assert f"its interval {shown.split(' ', 1)[1]} " in line, (shown, line)


def test_a_coefficient_of_0_reads_alike_with_and_without_its_interval() -> None:
    # loss2loss fit printed E_y as '0.000 [0, 0]' with a bootstrap and '0' without
    assert estimate(0.0, 0.0, 0.0, 4) == "0 [0, 0]"
    assert estimate(0.0, 0.0, 0.0123, 4) == "0 [0, 0.0123]"
    assert estimate(0.0, float("nan"), float("nan"), 4) == "0"
    assert estimate(1.5, 1.2, 1.8, 4) == "1.500 [1.200, 1.800]"  # other values as before


def _rows(out: str) -> list[list[str]]:
    """A Rich table's rows of cells (box-drawn or plain), blank cells dropped."""
    return [[c.strip() for c in re.split(r"│|\s{2,}", line) if c.strip()]
            for line in out.splitlines()]  # fmt: skip


def test_isoflop_coefficient_column_keeps_its_decimals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a Chinchilla law whose N_opt = 1·C^0.5, so D_opt = C/(6·N_opt) = 0.167·C^0.5: 4
    # budgets of 5 sizes, noise-free; the column wrote 1 beside 0.167
    alpha = 0.34
    law = {"E": 1.69, "A": 410.7 * 6**alpha, "B": 410.7, "alpha": alpha, "beta": alpha}
    rows = []
    for c in (1e18, 1e19, 1e20, 1e21):
        for n in c**0.5 * np.geomspace(1 / 4, 4, 5):  # about the optimum
            d = c / (6 * n)
            loss = law["E"] + law["A"] * n**-alpha + law["B"] * d**-alpha
            rows.append({"run": f"r{len(rows)}", "params": n, "tokens": d, "loss": loss})
    path = tmp_path / "grid.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    code, out, err = cli(capsys, "isoflop", str(path), "--bootstrap", "0")
    assert code == 0, err
    laws = {r[0]: r[-1] for r in _rows(out) if r and r[0].endswith(("C^a", "C^b"))}
    assert laws == {"N_opt ∝ C^a": "1.00", "D_opt ∝ C^b": "0.167"}


def test_ladder_plan_lr_column_keeps_its_decimals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # an lr sweep's rates 0.0003 to 0.03: the column wrote 0.003 and 0.03 beside 0.0003
    toml = tmp_path / "sweep.toml"
    toml.write_text('name = "s"\n[model]\ncontext = 64\n[rules]\ntokens_per_param = 5\n'
                    "lr = 0.003\nbatch = 16\nlr_sweep = [0.1, 1, 10]\n"
                    "[[rungs]]\nwidth = 32\ndepth = 2\nheads = 2\n")  # fmt: skip
    code, out, err = cli(capsys, "ladder", "plan", str(toml))
    assert code == 0, err
    lrs = {r[0]: r[r.index("16") + 1] for r in _rows(out) if r and r[0].startswith("w32")}
    assert lrs == {"w32-d2-lr0.1x": "0.0003", "w32-d2-lr1x": "0.0030",
                   "w32-d2-lr10x": "0.0300"}  # fmt: skip


def test_curves_predict_lr_column_keeps_its_decimals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a WSD schedule's rates: 0.0003 (was) beside 0.000198 and 7.87e-5
    fit = tmp_path / "fit.json"
    fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0), law="tissue",
               bootstrap=0).save(fit)  # fmt: skip
    code, out, err = cli(capsys, "curves", "predict", "--fit", str(fit), "--schedule",
                         "wsd:peak=3e-4,end=3e-5,decay=0.5,steps=3000", "--points", "4")  # fmt: skip
    assert code == 0, err
    lrs = [r[1] for r in _rows(out) if r and r[0].replace(",", "").isdigit()]  # 1,500: grouped
    assert lrs[0] == "0.000300" and lrs[-1] == "3e-5", lrs
    assert all(len(v.partition(".")[2]) == 6 for v in lrs if "e" not in v), lrs


def test_hparams_page_lr_column_keeps_its_decimals(tmp_path: Path) -> None:
    # the located lr* of one cell 0.001 beside another's 0.00215: one number of decimals
    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=0)
    rates = (0.001, 0.00215) * len(hp.cells)
    cells = tuple(dataclasses.replace(c, lr=v) for c, v in zip(hp.cells, rates, strict=False))
    page = cells_table(dataclasses.replace(hp, cells=cells))
    assert "<td class='num'>0.00100</td>" in page and "<td class='num'>0.00215</td>" in page
