"""The law choice's cuts are sizes N·D (params times tokens), not FLOPs: each lies at a
run's N·D, and the message of runs with too few scales names that axis."""

from __future__ import annotations

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.validate import choose_law


def test_each_cut_is_a_runs_params_times_tokens() -> None:
    runs = sl.bundled_runs()
    size = np.asarray(runs["params"]) * np.asarray(runs["tokens"])
    choice = choose_law(runs)
    assert choice.cuts
    for cut in choice.cuts:  # a quantile (lower) of N·D: one run's own, to 12 figures
        assert np.min(np.abs(size / cut - 1)) < 1e-11


def test_too_few_scales_name_the_axis_n_d() -> None:
    runs = sl.bundled_runs()
    size = runs["params"] * runs["tokens"]
    few = runs.select((runs["params"] < 1e8) & (size < 1e17))
    with pytest.raises(sl.DataError) as err:
        choose_law(few)
    assert "no cut in N·D leaves 10 runs at distinct points" in err.value.message
