"""A run table indexed by a list of column names, as a DataFrame is
(``simulated_runs()[["params", "tokens"]]`` was Python's bare "unhashable type: 'list'"):
the same runs with those columns alone; any other key says what indexing takes."""

from __future__ import annotations

import numpy as np
import pytest

import scalinglab as sl
from scalinglab import ConfigError, DataError, RunTable


def test_a_list_of_names_keeps_those_columns_of_the_same_runs() -> None:
    runs = sl.simulated_runs()
    both = runs[["params", "tokens"]]
    assert isinstance(both, RunTable)
    assert list(both.columns) == ["params", "tokens"] and dict(both.labels) == {}
    assert both.runs == runs.runs and both.rows == runs.rows and both.source == runs.source
    np.testing.assert_array_equal(both["params"], runs["params"])
    np.testing.assert_array_equal(both["tokens"], runs["tokens"])
    assert list(both.to_pandas().columns) == ["run", "params", "tokens"]
    assert both.flops_convention == ""  # of the flops column, left out
    assert runs[["flops"]].flops_convention == runs.flops_convention


def test_names_are_found_as_one_name_is_by_the_sources_names_too() -> None:
    table = sl.read_runs(
        {
            "n_params": [1e8, 2e8, 4e8],
            "num_tokens": [2e9, 4e9, 8e9],
            "final_loss": [3.0, 2.9, 2.8],
            "optimizer": ["adam", "sgd", "adam"],
        }
    )
    kept = table[["n_params", "final_loss", "optimizer", "n_params"]]
    assert list(kept.columns) == ["params", "loss"]
    assert dict(kept.origins) == {"params": "n_params", "loss": "final_loss"}
    assert kept.labels["optimizer"] == ("adam", "sgd", "adam")
    np.testing.assert_array_equal(kept["n_params"], [1e8, 2e8, 4e8])


def test_other_keys_say_what_indexing_takes() -> None:
    runs = sl.simulated_runs()
    for key, shown in ((0, "int 0"), (slice(0, 3), "slice slice(0, 3, None)")):
        with pytest.raises(ConfigError) as err:
            runs[key]  # type: ignore[call-overload]
        assert err.value.message == (
            f"a RunTable is indexed by a column's name or a list of names, got {shown}"
        )
        assert err.value.hint.startswith("e.g. runs['loss'] or runs[['params', 'tokens']]; rows")
    with pytest.raises(ConfigError, match="an empty list"):
        runs[[]]
    with pytest.raises(DataError) as err:  # as runs["nope"] says it
        runs[["params", "nope"]]
    with pytest.raises(DataError) as alone:
        runs["nope"]
    assert str(err.value) == str(alone.value)
