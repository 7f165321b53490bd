"""A hyperparameter fit saved before cells recorded whether the lr grid pins their lr*
(``CellOptimum.pinned``, commit 1ec1fc84) read every cell as not pinned, so a prediction's
loss* note gave the wrong reason for its missing interval ("none of the law's bootstrap
refits gives a finite loss here"). The flag is now read off what such a file holds: the
loss* law has no draws where the lr* law has some, and the pinned warning names the cells.

``tests/data/hparams_before_pinned/coarse_x3_grid.json`` was written by the code of commit
1ec1fc84's parent (``git archive 1ec1fc84^ src tests``, run on the sweep below: a x3 grid of
5 lrs in each of 3 cells, seed 3, ``bootstrap=50``)."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tests.test_hparams_grid_pinned import _sweep

from scalinglab import fit_hparams
from scalinglab.hparams import HparamFit
from scalinglab.report._hparams_tables import cells_table

_OLD = Path(__file__).parent / "data" / "hparams_before_pinned" / "coarse_x3_grid.json"
NOT_MEASURED = "without an interval, as its cells' loss* is not measured"
WRONG = "none of the law's bootstrap refits gives a finite loss here"
BEFORE = "saved before a fit recorded which cells' lr* the lr grid pins (CellOptimum.pinned)"


def _frame() -> pd.DataFrame:
    return _sweep(np.random.default_rng(3), 3.0, 5, 0.002)


def _weighing_in(frame: pd.DataFrame) -> list[int]:
    """Each cell's runs within ``-ln(0.01) x 0.005`` (2.3%) of its best loss: the pinned
    check's reference (at most the surface's 4 coefficients: pinned)."""
    out = []
    for _, cell in frame.groupby("params", sort=True):
        loss = cell["loss"].to_numpy()
        out.append(int(np.sum(loss / loss.min() - 1 <= -math.log(0.01) * 0.005)))
    return out


def _loaded(data: dict[str, Any], tmp_path: Path) -> HparamFit:
    path = tmp_path / "hp.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return HparamFit.load(path)


def _loss_note(fit: HparamFit) -> str:
    (note,) = [n for n in fit.predict(params=3e8).notes if n.startswith("loss at the optimum")]
    return note


def test_a_file_written_before_the_flag_reads_it_off(tmp_path: Path) -> None:
    data = json.loads(_OLD.read_text(encoding="utf-8"))
    assert all("pinned" not in c for c in data["cells"])
    assert data["loss_law"]["samples"] is None and data["lr_law"]["samples"]
    fit = HparamFit.load(_OLD)
    assert [c.pinned for c in fit.cells] == [n <= 4 for n in _weighing_in(_frame())]
    assert [c.pinned for c in fit.cells] == [True] * 3
    note = _loss_note(fit)
    assert NOT_MEASURED in note and WRONG not in note
    assert fit.notes[-1] == (
        f"{BEFORE}: read off the file: pinned N=10M, N=30M, N=100M (named by its warning; the "
        "loss* law has no draws, as a pinned cell leaves it)"
    )
    assert "ok; lr* known only to the grid" in cells_table(fit)
    # saved again, the flag is written, and read back as it is, with no second note
    fit.save(tmp_path / "again.json")
    again = HparamFit.load(tmp_path / "again.json")
    assert [c.pinned for c in again.cells] == [True] * 3
    assert sum(n.startswith(BEFORE) for n in again.notes) == 1


def test_a_fit_of_no_pinned_cell_reads_none_and_says_nothing(tmp_path: Path) -> None:
    fine = fit_hparams(_sweep(np.random.default_rng(3), 1.41, 11, 0.002), by=["params"],
                       bootstrap=20)  # fmt: skip
    data = fine.to_dict()
    for cell in data["cells"]:
        del cell["pinned"]
    fit = _loaded(data, tmp_path)
    assert [c.pinned for c in fit.cells] == [False] * 3
    assert not [n for n in fit.notes if n.startswith(BEFORE)]


def test_a_warning_naming_no_fitted_cell_marks_every_one(tmp_path: Path) -> None:
    data = json.loads(_OLD.read_text(encoding="utf-8"))
    data["warnings"] = [w for w in data["warnings"] if "known only to the grid" not in w]
    fit = _loaded(data, tmp_path)
    assert [c.pinned for c in fit.cells] == [True] * 3  # the loss* law's missing draws say so
    assert "the warning names none of them: every bracketed fitted cell is marked" in fit.notes[-1]
    assert NOT_MEASURED in _loss_note(fit)


def test_only_the_cells_the_warning_names_are_marked(tmp_path: Path) -> None:
    data = json.loads(_OLD.read_text(encoding="utf-8"))
    data["warnings"] = [
        w.replace("3 cell(s) (N=10M, N=30M, N=100M)", "1 cell(s) (N=30M)") for w in data["warnings"]
    ]
    assert [c.pinned for c in _loaded(data, tmp_path).cells] == [False, True, False]


def test_without_a_bootstrap_the_file_says_nothing_and_the_note_says_so(
    tmp_path: Path,
) -> None:
    data = copy.deepcopy(fit_hparams(_frame(), by=["params"], bootstrap=0).to_dict())
    assert [c["pinned"] for c in data["cells"]] == [True] * 3  # what the fit knew
    for cell in data["cells"]:
        del cell["pinned"]
    fit = _loaded(data, tmp_path)
    assert [c.pinned for c in fit.cells] == [False] * 3
    assert fit.notes[-1] == (
        f"{BEFORE}, with no bootstrap draws: the file does not say which, so none is marked "
        "(fit the sweep again to know)"
    )


def test_a_file_with_the_flag_is_read_as_written(tmp_path: Path) -> None:
    data = fit_hparams(_frame(), by=["params"], bootstrap=20).to_dict()
    for cell in data["cells"]:
        cell["pinned"] = False  # what the file says is what is read, whatever the draws
    fit = _loaded(data, tmp_path)
    assert [c.pinned for c in fit.cells] == [False] * 3
    assert not [n for n in fit.notes if n.startswith(BEFORE)]


def _one_coarse_cell() -> pd.DataFrame:
    """The sweep of :func:`_frame`'s seed with only its N=10M cell on the x3 grid of 5 lrs
    and the other two on a x1.41 grid of 11 (not pinned)."""
    coarse = _frame()
    fine = _sweep(np.random.default_rng(3), 1.41, 11, 0.002)
    return pd.concat([coarse[coarse["params"] == 1e7], fine[fine["params"] != 1e7]])


def test_the_warning_as_written_since_reads_the_one_cell_it_names(tmp_path: Path) -> None:
    data = fit_hparams(_one_coarse_cell(), by=["params"], bootstrap=20).to_dict()
    assert [c["pinned"] for c in data["cells"]] == [True, False, False]  # what the fit knew
    assert [w for w in data["warnings"] if w.startswith("lr* of 1 cell (N=10M) is known only")]
    assert data["loss_law"]["samples"] is None  # so the laws alone cannot tell which
    for cell in data["cells"]:
        del cell["pinned"]
    fit = _loaded(data, tmp_path)
    assert [c.pinned for c in fit.cells] == [True, False, False]
    assert fit.notes[-1] == (
        f"{BEFORE}: read off the file: pinned N=10M (named by its warning; the loss* law has "
        "no draws, as a pinned cell leaves it)"
    )


def test_the_warning_as_written_since_reads_the_cells_it_names(tmp_path: Path) -> None:
    data = fit_hparams(_frame(), by=["params"], bootstrap=20).to_dict()
    assert [w for w in data["warnings"] if w.startswith("lr* of 3 cells (N=10M, N=30M, N=100M)")]
    for cell in data["cells"]:
        del cell["pinned"]
    assert [c.pinned for c in _loaded(data, tmp_path).cells] == [True] * 3
    # two of them named in the wording since: those two alone are marked
    data["warnings"] = [
        w.replace("3 cells (N=10M, N=30M, N=100M)", "2 cells (N=10M, N=100M)")
        for w in data["warnings"]
    ]
    assert [c.pinned for c in _loaded(data, tmp_path).cells] == [True, False, True]
