"""Runs as plain Python data, as a notebook holds them: a dict of columns and a list of
records (one dict per run) are read wherever a DataFrame is (they were refused: "cannot read
runs from a dict"), into the same runs and the same fit as that DataFrame, without pandas;
columns of unequal lengths and records with different keys are refused, saying which."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import ConfigError, DataError


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_dict_of_columns_and_a_list_of_records_fit_as_their_dataframe_does() -> None:
    frame = chinchilla_runs(outliers=0)
    columns = {c: frame[c].tolist() for c in frame.columns}  # run, params, tokens, loss
    records = frame.to_dict(orient="records")
    reference = sl.fit("chinchilla", frame, bootstrap=0)
    for given, source in ((columns, "<dict of columns>"), (records, "<list of records>")):
        table = sl.read_runs(given)
        assert table.source == source and table.runs == tuple(frame["run"])
        np.testing.assert_array_equal(table["params"], frame["params"].to_numpy())
        np.testing.assert_array_equal(table["loss"], frame["loss"].to_numpy())
        result = sl.fit("chinchilla", given, bootstrap=0)
        assert dict(result.coefs) == dict(reference.coefs)


def test_cells_read_as_a_files_are() -> None:
    """Units, NumPy numbers and arrays, a label column and a run without a loss."""
    table = sl.read_runs(
        {
            "params": np.array([1e8, 2e8, 4e8]),
            "tokens": [np.int64(2_000_000_000), "4B", 8e9],
            "loss": [3.0, 2.9, None],
            "optimizer": ["adam", "sgd", "adam"],
        }
    )
    assert len(table) == 2 and table.labels["optimizer"] == ("adam", "sgd")
    np.testing.assert_array_equal(table["tokens"], [2e9, 4e9])
    np.testing.assert_array_equal(table["flops"], [6 * 1e8 * 2e9, 6 * 2e8 * 4e9])


def test_a_fit_of_a_dict_imports_no_pandas() -> None:
    code = textwrap.dedent(
        """
        import sys
        import scalinglab as sl
        n = [1e7 * 2**k for k in range(8)] * 2
        d = [20 * x for x in n[:8]] + [80 * x for x in n[8:]]
        loss = [1.7 + 400 * a**-0.34 + 410 * b**-0.28 for a, b in zip(n, d)]
        sl.fit("chinchilla", {"params": n, "tokens": d, "loss": loss}, bootstrap=0)
        print("pandas" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_columns_of_unequal_lengths_are_named_with_their_lengths() -> None:
    with pytest.raises(DataError) as err:
        sl.read_runs({"params": [1e8, 2e8, 4e8], "tokens": [2e9, 4e9], "loss": [3.0, 2.9, 2.8]})
    assert err.value.message == (
        "<dict of columns>: columns of different lengths: 'params' and 'loss' have 3 values; "
        "'tokens' has 2 values"
    )
    assert err.value.hint == "give every column one value per run: {'params': [...], 'loss': [...]}"
    with pytest.raises(DataError) as err:  # one value where a column goes
        sl.read_runs({"params": [1e8, 2e8], "loss": 3.0})
    assert err.value.message == (
        "<dict of columns>, column 'loss': holds one value (3), not one per run"
    )
    with pytest.raises(DataError, match="a dict of values is one run"):
        sl.read_runs({"params": 1e8, "tokens": 2e9, "loss": 3.0})


def test_records_with_different_keys_say_which_and_where() -> None:
    records = [
        {"params": 1e8, "tokens": 2e9, "loss": 3.0},
        {"params": 2e8, "tokens": 4e9, "loss": 2.9},
        {"params": 4e8, "tokens": 8e9, "lr": 1e-3},
    ]
    with pytest.raises(DataError) as err:
        sl.read_runs(records)
    assert err.value.message == (
        "<list of records>, row 3: lacks 'loss', which row 1 has; has 'lr', which row 1 lacks"
    )
    assert err.value.hint == "give every record the same keys, None where a run has no value"
    with pytest.raises(DataError) as err:
        sl.read_runs([records[0], [4e8, 8e9, 2.8]])
    assert err.value.message.startswith("<list of records>, row 2: is a list, not a record")


def test_what_is_still_refused_names_what_is_read() -> None:
    with pytest.raises(ConfigError) as err:
        sl.read_runs({1e8, 2e8})  # type: ignore[arg-type]
    assert err.value.message == ("cannot read runs from a set; pass a path or a pandas DataFrame")
    assert err.value.hint == (
        "or a dict of columns ({'params': [...], 'loss': [...]}), or a list of dicts, one per run"
    )
