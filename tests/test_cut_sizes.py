"""The cuts a law choice and a calibrated interval record are sizes of the runs (N·D of the
run at each cut's quantile), written as those sizes are: ``1.6747934448e+18``, not the
``1.6747934447999939e+18`` that the trip through log10 left in the JSON."""

from __future__ import annotations

import json

import numpy as np

import scalinglab as sl
from _grid_runs import grid_runs
from scalinglab.validate import choose_law


def _sizes(runs: sl.RunTable) -> set[float]:
    return {float(v) for v in np.asarray(runs["params"] * runs["tokens"], dtype=np.float64)}


def test_a_cut_is_the_size_of_a_run_not_its_log10_round_trip() -> None:
    runs = sl.read_runs(grid_runs(), y="final_val_loss")
    sizes = _sizes(runs)
    choice = choose_law(runs)
    assert choice.cuts and set(choice.cuts) <= sizes
    fit = sl.fit(choice.chosen, runs, bootstrap=20, seed=0)
    assert fit.extrapolation is not None and fit.extrapolation.cuts
    assert set(fit.extrapolation.cuts) <= sizes
    # as the JSON writes them: the run's size in its shortest repr
    written = json.loads(json.dumps(choice.to_dict()))["cuts"]
    assert [repr(c) for c in written] == [repr(c) for c in choice.cuts]
    assert all(len(repr(c)) <= len("1.6747934448e+18") for c in written)


def test_cut_size_keeps_twelve_figures() -> None:
    from scalinglab._scales import cut_size

    assert cut_size(float(np.log10(1.8e18))) == 1.8e18
    assert cut_size(float(np.log10(1234.56789012345))) == 1234.56789012
