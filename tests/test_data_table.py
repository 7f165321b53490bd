"""RunTable behaviour, check_enough_runs, and the public surface of scalinglab.data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scalinglab.data
from scalinglab import _errors
from scalinglab.data import RunTable, check_enough_runs


def _table(n: int = 4) -> RunTable:
    return RunTable(
        columns={"params": np.arange(1.0, n + 1), "loss": np.linspace(3, 2, n)},
        runs=tuple(f"r{i}" for i in range(n)),
        rows=tuple(range(2, n + 2)),
        source="runs.csv",
        notes=("a note",),
        labels={"opt": tuple("ab"[i % 2] for i in range(n))},
    )


def test_public_surface_does_not_drift() -> None:
    assert sorted(scalinglab.data.__all__) == [
        "ALIASES",
        "BUNDLED",
        "CANONICAL",
        "Curves",
        "DEFAULT_DATA",
        "DEFAULT_LADDER_SOURCE",
        "FORMATS",
        "RunTable",
        "bundled_runs",
        "check_enough_runs",
        "default_runs",
        "find_outliers",
        "parse_quantity",
        "read_curves",
        "read_runs",
        "simulate_ladder",
        "simulated_runs",
    ]
    assert scalinglab.data.CANONICAL == ("params", "tokens", "flops", "loss")


def test_basic_access() -> None:
    table = _table()
    assert len(table) == 4
    assert table.has("params")
    assert not table.has("tokens")
    assert not table.has("opt")
    assert table["params"].dtype == np.float64


def test_columns_are_read_only_copies() -> None:
    params = np.arange(1.0, 5.0)
    table = RunTable(columns={"params": params}, runs=tuple("abcd"), rows=(1, 2, 3, 4), source="x")
    params[0] = 99.0
    assert table["params"][0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        table["params"][0] = 5.0
    with pytest.raises(TypeError):
        table.columns["loss"] = params  # type: ignore[index]


def test_missing_column_names_the_available_ones() -> None:
    with pytest.raises(_errors.DataError) as info:
        _table()["tokens"]
    assert "'tokens'" in str(info.value)
    assert "params, loss" in str(info.value)
    assert info.value.source == "runs.csv"
    with pytest.raises(_errors.DataError, match="holds text"):
        _table()["opt"]


def test_select_keeps_metadata() -> None:
    table = _table()
    sub = table.select(np.array([True, False, True, False]))
    assert sub.runs == ("r0", "r2")
    assert sub.rows == (2, 4)
    assert sub["params"].tolist() == [1.0, 3.0]
    assert sub.labels["opt"] == ("a", "a")
    assert (sub.source, sub.notes, sub.simulated) == (table.source, table.notes, table.simulated)


def test_where_keeps_the_runs_with_a_label() -> None:
    sub = _table().where("opt", "b")
    assert sub.runs == ("r1", "r3") and sub.selected_from == 4
    with pytest.raises(_errors.ConfigError, match=r"no text column 'optim' in runs\.csv") as err:
        _table().where("optim", "b")
    assert err.value.hint == "did you mean 'opt'? its text columns are opt, run"
    with pytest.raises(_errors.ConfigError, match=r"no run has opt = 'c' in runs\.csv") as err:
        _table().where("opt", "c")
    assert err.value.hint == "its values are a, b"


def test_select_refuses_a_bad_mask() -> None:
    with pytest.raises(_errors.ConfigError):
        _table().select(np.array([True, False]))
    with pytest.raises(_errors.ConfigError):
        _table().select(np.array([0, 1, 2, 3]))


def test_shape_mismatch_is_refused() -> None:
    with pytest.raises(_errors.DataError, match="shape"):
        RunTable(columns={"params": np.ones(3)}, runs=("a", "b"), rows=(1, 2), source="x")
    with pytest.raises(_errors.DataError):
        RunTable(columns={}, runs=("a", "b"), rows=(1,), source="x")


def test_to_pandas() -> None:
    frame = _table().to_pandas()
    assert list(frame.columns) == ["run", "params", "loss", "opt"]
    assert frame["run"].tolist() == ["r0", "r1", "r2", "r3"]


def test_describe_source() -> None:
    assert _table().describe_source() == "runs.csv (4 runs)"
    assert _table(1).describe_source() == "runs.csv (1 run)"


def test_a_subset_describes_itself_not_its_source() -> None:
    # once "overtraining-c4: 31 open_lm models of 10.6M-411.6M params ... (24 runs)": the
    # source's count and size range beside the subset's count, as if both were the subset's;
    # the source no longer counts its runs: the count in brackets is the only one
    runs = scalinglab.data.bundled_runs()
    assert runs.describe_source().endswith("MIT license (31 runs)")
    assert "31" not in runs.source  # counted once, by describe_source
    small = runs.select(runs["params"] < 2e8)
    text = small.describe_source()
    assert text.startswith(runs.source)  # the source's own description, of the whole source
    assert text.endswith("(24 of its 31 runs selected, 10.6M-154M params)")
    # nested selections count from the table as read; a mask keeping every run is no subset
    mid = small.select(small["params"] > 2e7)
    assert mid.describe_source().endswith("(16 of its 31 runs selected, 78.9M-154M params)")
    whole = runs.select(np.ones(len(runs), dtype=bool))
    assert whole.describe_source() == runs.describe_source()
    assert _table().select(np.array([True, False, True, False])).describe_source() == (
        "runs.csv (2 of its 4 runs selected, 1-3 params)"
    )


def test_check_enough_runs() -> None:
    table = _table(3)
    with pytest.raises(_errors.DataError) as info:
        check_enough_runs(table, 5, law_name="chinchilla")
    message = str(info.value)
    assert (
        "only 3 runs, but law 'chinchilla' has 5 parameters; a fit needs at least 6 runs" in message
    )
    assert info.value.source == "runs.csv"
    assert info.value.hint
    with pytest.raises(_errors.DataError):
        check_enough_runs(table, 3, law_name="x")
    check_enough_runs(table, 2, law_name="x")  # 3 runs > 2 parameters: fine


def test_too_few_runs_names_the_laws_that_fit() -> None:
    """fit() refuses a law with as many parameters as runs, and its hint says what to pass:
    laws of compute where the runs have FLOPs, of N otherwise; or how many runs are needed."""
    import scalinglab as sl
    from scalinglab.fit._enough import smaller_laws

    frame = pd.DataFrame(
        {"params": [1e7, 2e7, 4e7, 8e7], "tokens": [2e8, 4e8, 8e8, 1.6e9],
         "loss": [4.0, 3.6, 3.3, 3.1]}
    )  # fmt: skip
    with pytest.raises(_errors.DataError) as info:
        sl.fit("chinchilla", frame, bootstrap=0)
    assert info.value.hint == (
        "with 4 runs, fit a law of fewer parameters: --law power-law-plus-constant:flops "
        "(L = E + A * C**(-alpha), 3 parameters) or --law power-law:flops "
        "(L = A * C**(-alpha), 2 parameters) — law='power-law:flops' in Python; or add runs"
    )
    no_flops = sl.read_runs(frame.drop(columns="tokens").iloc[:3])
    assert smaller_laws(no_flops, 5) == (
        "with 3 runs, fit a law of fewer parameters: --law power-law "
        "(L = A * N**(-alpha), 2 parameters) — law='power-law' in Python; or add runs"
    )
    two = sl.read_runs(frame.iloc[:2])
    assert smaller_laws(two, 5) == (
        "add runs: the smallest catalog law, power-law:flops (L = A * C**(-alpha)), needs 3"
    )


def test_where_after_where_says_it_searched_a_subset_and_lists_at_most_12_values() -> None:
    frame = pd.DataFrame(
        {"params": np.geomspace(1e7, 1e9, 40), "tokens": 2e9, "loss": 3.0,
         "color": [f"c{i:02d}" for i in range(40)], "corpus": ["a", "b"] * 20}
    )  # fmt: skip
    runs = scalinglab.data.read_runs(frame)
    with pytest.raises(_errors.ConfigError) as err:
        runs.where("corpus", "a").where("color", "c01")
    assert err.value.message.startswith("no run has color = 'c01' among the 20 runs selected")
    with pytest.raises(_errors.ConfigError) as err:
        runs.where("color", "x")
    assert err.value.hint == (
        "its values are c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, c11, ... (40 values)"
    )
