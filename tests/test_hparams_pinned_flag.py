"""Whether the grid pins a cell's lr* (``scalinglab.hparams._pinned``) is data: decided once
per fit, as each cell is located (``CellOptimum.pinned``), saved with the fit and read back,
shown in the cells tables' status, and what the loss note reads, never the warning's words.
The reference: each cell's runs weighing in its surface, counted here from the sweep's
losses (within ``-ln(0.01)·sharpness`` of the cell's best), against its 4 coefficients.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_hparams_grid_pinned import _sweep

from scalinglab import fit_hparams
from scalinglab.hparams import HparamFit, _optimum, _pinned
from scalinglab.hparams._optimum import locate_optima
from scalinglab.hparams._sweep import read_sweep
from scalinglab.report._hparams_tables import cells_table, laws_table

#: The note on a prediction's loss* when a fitted cell is pinned (``_pinned.UNMEASURED``).
NOT_MEASURED = "without an interval, as its cells' loss* is not measured"
#: The status of a pinned bracketed cell in the cells tables (``_bracket.shown_status``).
SHOWN = "ok; lr* known only to the grid"


def _frame(step: float, n_lrs: int) -> pd.DataFrame:
    return _sweep(np.random.default_rng(3), step, n_lrs, 0.002)


def _weighing_in(frame: pd.DataFrame) -> list[int]:
    """Each cell's runs within ``-ln(0.01) x 0.005`` (2.3%) of its best loss."""
    out = []
    for _, cell in frame.groupby("params", sort=True):
        loss = cell["loss"].to_numpy()
        out.append(int(np.sum(loss / loss.min() - 1 <= -math.log(0.01) * 0.005)))
    return out


def _loss_note(fit: HparamFit) -> str:
    (note,) = [n for n in fit.predict(params=3e8).notes if n.startswith("loss at the optimum")]
    return note


@pytest.fixture(scope="module")
def coarse() -> HparamFit:
    """A x3 grid of 5 lrs in each of 3 cells: 1-3 runs weigh in each 4-coefficient surface."""
    return fit_hparams(_frame(3.0, 5), by=["params"], bootstrap=50)


def test_the_flag_follows_the_runs_weighing_in_with_or_without_a_bootstrap() -> None:
    for step, n_lrs in ((3.0, 5), (1.41, 11)):
        frame = _frame(step, n_lrs)
        expected = [n <= 4 for n in _weighing_in(frame)]  # the cubic 1-D surface's 4
        assert expected == ([True] * 3 if step == 3.0 else [False] * 3)
        sweep = read_sweep(frame, by=["params"], lr="lr")
        for bootstrap in (0, 30):
            cells = locate_optima(sweep, bootstrap=bootstrap)
            assert all(c.bracketed for c in cells)
            assert [c.pinned for c in cells] == expected


def test_whether_the_grid_pins_a_cell_is_decided_once_per_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One check per bracketed cell, as it is located: before the flag, the warning and the
    loss* law's interval each checked every cell again (9 checks for 3 cells)."""
    real, calls = _pinned.pinned, []

    def counted(loss: np.ndarray, *, sharpness: float, n_coef: int) -> bool:
        calls.append(n_coef)
        return real(loss, sharpness=sharpness, n_coef=n_coef)

    monkeypatch.setattr(_pinned, "pinned", counted)
    monkeypatch.setattr(_optimum, "pinned", counted)
    fit = fit_hparams(_frame(3.0, 5), by=["params"], bootstrap=50)
    assert calls == [4, 4, 4]
    assert [c.pinned for c in fit.cells] == [True] * 3
    assert fit.loss_law is not None
    assert all(math.isnan(v) for b in fit.loss_law.intervals.values() for v in b)


def test_the_flag_round_trips_through_the_saved_fit(coarse: HparamFit, tmp_path: Path) -> None:
    path = tmp_path / "hp.json"
    coarse.save(path)
    saved = json.loads(path.read_text())
    assert [c["pinned"] for c in saved["cells"]] == [True] * 3
    loaded = HparamFit.load(path)
    assert [c.pinned for c in loaded.cells] == [True] * 3
    assert [c.to_dict() for c in loaded.cells] == saved["cells"]
    assert NOT_MEASURED in _loss_note(loaded)
    fine = fit_hparams(_frame(1.41, 11), by=["params"], bootstrap=20)
    fine.save(path)
    assert [c.pinned for c in HparamFit.load(path).cells] == [False] * 3
    # a file saved before the flag: read off the loss* law's missing draws and the warning
    # (the runs' losses are not saved; tests/test_hparams_pinned_saved.py)
    for cell in saved["cells"]:
        del cell["pinned"]
    path.write_text(json.dumps(saved))
    assert [c.pinned for c in HparamFit.load(path).cells] == [True] * 3


def test_the_loss_note_reads_the_flag_not_the_warnings_words(
    coarse: HparamFit, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert NOT_MEASURED in _loss_note(replace(coarse, warnings=()))  # no warning at all
    monkeypatch.setattr(_pinned, "PINNED_SAID", "pinned to its lr grid")  # reworded
    fit = fit_hparams(_frame(3.0, 5), by=["params"], bootstrap=50)
    assert not [w for w in fit.warnings if "known only to the grid" in w]
    (said,) = [w for w in fit.warnings if "is pinned to its lr grid" in w]
    assert said.startswith("lr* of 3 cells (N=10M, N=30M, N=100M) is pinned to its lr grid")
    assert NOT_MEASURED in _loss_note(fit)
    assert "has no interval, as its cells&#x27; loss* is not measured" in laws_table(fit)
    # and a flag of no pinned cell: the warning's words alone say nothing
    unpinned = replace(fit, cells=tuple(replace(c, pinned=False) for c in fit.cells))
    assert NOT_MEASURED not in _loss_note(unpinned)


def test_the_cells_tables_show_it_in_the_status(
    coarse: HparamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html = cells_table(coarse)
    assert html.count(f"<td>{SHOWN}</td>") == 3
    fine = fit_hparams(_frame(1.41, 11), by=["params"], bootstrap=0)
    assert "known only to the grid" not in cells_table(fine)
    assert html.count("<td>ok") == cells_table(fine).count("<td>ok</td>") == 3
    path = tmp_path / "coarse.csv"
    _frame(3.0, 5).to_csv(path, index=False)
    args = ("hparams", "fit", str(path), "--by", "params", "--bootstrap", "20")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    rows = [line.split("│") for line in out.splitlines() if line.startswith("│ N=")]
    assert [row[-2].strip() for row in rows] == [SHOWN] * 3
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    assert [c["pinned"] for c in json.loads(out)["cells"]] == [True] * 3
