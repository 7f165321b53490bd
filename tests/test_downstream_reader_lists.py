"""Lists in the evaluation readers' messages say how many they leave out: models of an
evaluation table missing from its run table, evaluated models the store does not hold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.test_store_evals import two_runs

from scalinglab import DataError, StoreError
from scalinglab._format import join_more
from scalinglab.downstream import read_evals

MODELS = [f"m{i}" for i in range(8)]


def test_join_more_says_how_many_it_leaves_out() -> None:
    assert join_more(["a", "b"]) == "a, b"
    assert join_more([f"x{i}" for i in range(7)]) == "x0, x1, x2, x3, x4 and 2 more"
    assert join_more(["a", "b", "c"], 2) == "a, b and 1 more"


def test_join_more_with_another_separator_puts_it_before_the_and_too() -> None:
    items = ["a, b", "c", "d", "e", "f"]
    assert join_more(items, 3, sep="; ") == "a, b; c; d; and 2 more"
    assert join_more(items[:3], 3, sep="; ") == "a, b; c; d"  # none left out: no tail
    assert join_more(items, 4, noun="key") == "a, b, c, d, e and 1 more key"
    assert join_more(items, 2, sep="; ", what="(x)") == "a, b; c; and 3 more (x)"
    assert join_more([], 3) == ""


def test_models_missing_from_the_run_table_are_counted_past_five(tmp_path: Path) -> None:
    evals = pd.DataFrame({"run": MODELS, "acc_piqa": [0.6] * 8})
    runs = pd.DataFrame({"run": ["other"], "params": [1e7], "tokens": [2e8], "loss": [3.0]})
    with pytest.raises(DataError) as info:
        read_evals(evals, runs=runs)
    assert "8 evaluated models not in the run table: m0, m1, m2, m3, m4 and 3 more" in str(
        info.value
    )


def test_evaluated_models_not_in_the_store_are_counted_past_five(tmp_path: Path) -> None:
    store = two_runs(tmp_path / "s.duckdb")
    rows = pd.DataFrame(
        {"run": MODELS, "task": "piqa", "metric": "acc", "value": [0.6] * len(MODELS)}
    )
    with pytest.raises(StoreError) as info:
        store.put_evals(rows)
    assert (
        "8 evaluated models are not runs of the store: 'm0', 'm1', 'm2', 'm3', 'm4' and 3 "
        "more (stored runs: big, small)"
    ) in str(info.value)
