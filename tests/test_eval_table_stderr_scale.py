"""A standard error follows its score's scale: ``acc_stderr`` written ``1.0`` beside ``acc``
written ``55%`` is in percent points, as beside a bare ``55``, and is stored divided by 100
(it was stored as 1.0, a standard error of 100 points)."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.downstream._long_values import long_numbers
from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)

RUNS = pd.DataFrame(
    {"run": ["a", "b", "c", "d"], "params": [1e7, 2e7, 4e7, 8e7],
     "tokens": [2e8, 4e8, 8e8, 1.6e9], "loss": [4.0, 3.7, 3.4, 3.2]}
)  # fmt: skip


@pytest.mark.parametrize("acc", ["55%", "55"])
def test_a_bare_stderr_beside_a_percent_accuracy_is_stored_as_a_fraction(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, acc: str
) -> None:
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert _cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    rows = [
        (r, "piqa", m, v) for r in RUNS["run"] for m, v in (("acc", acc), ("acc_stderr", "1.0"))
    ]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert "acc_stderr read in percent points" in out or acc == "55"
    scores = RunStore(store).evals().set_index(["task", "metric"]).sort_index()
    np.testing.assert_allclose(scores.loc[("piqa", "acc"), "value"], 0.55)
    np.testing.assert_allclose(scores.loc[("piqa", "acc_stderr"), "value"], 0.01)


def test_the_shared_reader_divides_a_bare_stderr_of_a_percent_sign_score_alone() -> None:
    """``long_numbers`` (downstream's and ingest's rule): ``1.0`` beside ``55%`` is 0.01, a
    stderr written ``1%`` is 0.01 too, and beside a fraction ``0.55`` it is left as written."""
    long = pd.DataFrame(
        [("a", "piqa", "acc", "55%"), ("a", "piqa", "acc_stderr", "1.0"),
         ("a", "arc", "acc,none", "40%"), ("a", "arc", "acc_stderr,none", "2%"),
         ("a", "boolq", "acc", "0.55"), ("a", "boolq", "acc_stderr", "0.01")],
        columns=["run", "task", "metric", "value"],
    )  # fmt: skip
    read, notes, _ = long_numbers(long, "t.csv", rows=list(range(2, 8)), column="value")
    np.testing.assert_allclose(read["value"], [0.55, 0.01, 0.40, 0.02, 0.55, 0.01])
    assert (
        "task 'piqa' acc_stderr read in percent points, as its acc written with %: divided by 100"
    ) in notes
    assert sum("percent points" in n for n in notes) == 1  # arc's 2% and boolq's: as written


@pytest.mark.parametrize("acc", ["55", "0.55"])
def test_a_percent_sign_stderr_beside_a_bare_accuracy_is_divided_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, acc: str
) -> None:
    """``1%`` beside a bare ``55``: read as 0.01, then divided by 100 again with its score,
    it was stored as 0.0001; beside a fraction ``0.55`` it is 0.01 as written."""
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert _cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    rows = [(r, "piqa", m, v) for r in RUNS["run"] for m, v in (("acc", acc), ("acc_stderr", "1%"))]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).to_csv(path, index=False)
    code, _, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    scores = RunStore(store).evals().set_index(["task", "metric"]).sort_index()
    np.testing.assert_allclose(scores.loc[("piqa", "acc"), "value"], 0.55)
    np.testing.assert_allclose(scores.loc[("piqa", "acc_stderr"), "value"], 0.01)
    # the shared reader: in its score's percent points where the score is, for the
    # accuracy rule to divide with it
    read, _, _ = long_numbers(pd.DataFrame(rows, columns=["run", "task", "metric", "value"]),
                           "t.csv", rows=None, column="value")  # fmt: skip
    stderr = read.loc[read["metric"] == "acc_stderr", "value"]
    np.testing.assert_allclose(stderr, 1.0 if acc == "55" else 0.01)
