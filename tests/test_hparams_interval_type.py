"""A cell's and a prediction's ``lr_interval``, ``batch_interval`` (and a prediction's
``loss_interval``) are :class:`~scalinglab.hparams.Interval`: named ends ``.lower`` and
``.upper``, as every other interval of the API has them, and still the pair they were
(unpacking, indexing, equality with a tuple), written to JSON as the same list; a saved fit
and a tuple given by an older caller become one."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab.hparams import CellOptimum, HparamFit, Interval, fit_hparams


@pytest.fixture(scope="module")
def fit() -> HparamFit:
    return fit_hparams(sweep(21), seq_len=SEQ_LEN, bootstrap=40)


def test_cell_intervals_have_named_ends_and_stay_pairs(fit: HparamFit) -> None:
    located = 0
    for cell in fit.cells:
        for name in ("lr", "batch"):
            iv = getattr(cell, f"{name}_interval")
            lo, hi = iv  # unpacks as the tuple did
            assert isinstance(iv, Interval) and isinstance(iv, tuple) and len(iv) == 2
            assert (iv.lower, iv.upper) == (iv[0], iv[1]) == (lo, hi)
            assert iv == (lo, hi)  # equal to the plain pair
            said = json.loads(json.dumps(cell.to_dict()))  # the JSON is the same list
            want = [v if math.isfinite(v) else str(v) for v in (lo, hi)]
            assert said[f"{name}_interval"] == want
            assert [said[f"{name}_lower"], said[f"{name}_upper"]] == want
        if math.isfinite(cell.lr_interval.lower):
            assert cell.lr_interval.lower < cell.lr < cell.lr_interval.upper
            located += 1
    assert located >= 4


def test_prediction_intervals_have_named_ends(fit: HparamFit) -> None:
    pred = fit.predict(params=1e9, tokens=2e10)
    for name in ("lr", "batch", "loss"):
        iv = getattr(pred, f"{name}_interval")
        assert isinstance(iv, Interval)
        said = pred.to_dict()
        assert said[f"{name}_interval"] == [said[f"{name}_lower"], said[f"{name}_upper"]]
    assert pred.lr_interval.lower < pred.lr < pred.lr_interval.upper


def test_a_saved_fit_and_a_plain_pair_become_intervals(fit: HparamFit, tmp_path: Path) -> None:
    fit.save(tmp_path / "hp.json")
    back = HparamFit.load(tmp_path / "hp.json")
    assert back.cells == fit.cells
    assert all(isinstance(c.lr_interval, Interval) for c in back.cells)
    cell: CellOptimum = dataclasses.replace(fit.cells[0], lr_interval=(1e-4, 1e-2))  # type: ignore[arg-type]
    assert isinstance(cell.lr_interval, Interval) and cell.lr_interval.upper == 1e-2
    with pytest.raises(TypeError):  # not a pair: refused, not cut short
        dataclasses.replace(fit.cells[0], lr_interval=(1.0, 2.0, 3.0))  # type: ignore[arg-type]
