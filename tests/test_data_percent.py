"""Values written with a percent sign (``26.3%``, an accuracy as leaderboards write it): read
as fractions with a note, as bare percentages are where evaluations are stored; read as a
loss or a size, refused with a hint that says the column holds percentages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.data import read_runs
from scalinglab.downstream import read_evals
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

N = np.repeat([2e7, 5e7, 1.25e8, 3.5e8, 7.6e8], 2)
D = N * np.tile([20.0, 80.0], 5)
LOSS = 1.8 + 400 * N**-0.34 + 400 * D**-0.28
ACC = 0.25 + 0.5 / (1 + np.exp(4 * (LOSS - 3.3)))


def _table(path: Path) -> Path:
    frame = pd.DataFrame({"name": [f"m{k}" for k in range(10)], "params": N, "tokens": D})
    frame["loss"] = LOSS
    frame["acc_hellaswag"] = [f"{100 * a:.2f}%" for a in ACC]
    frame["warmup"] = "1%"
    frame.to_csv(path, index=False)
    return path


def test_a_column_of_percent_signs_is_read_as_fractions(tmp_path: Path) -> None:
    table = read_runs(_table(tmp_path / "runs.csv"))
    assert table["acc_hellaswag"] == pytest.approx(np.round(100 * ACC, 2) / 100)
    assert table["warmup"] == pytest.approx(np.full(10, 0.01))
    low, high = np.round(100 * ACC, 2).min(), np.round(100 * ACC, 2).max()
    assert (
        f"column 'acc_hellaswag' read as percent (10 runs, {low:g}% to {high:g}%): read as "
        "fractions (divided by 100)"
    ) in table.notes
    assert "acc_hellaswag" not in table.labels


def test_a_loss_column_of_percentages_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _table(tmp_path / "runs.csv")
    code, _, err = cli(capsys, "fit", str(path), "--y", "loss=acc_hellaswag", one_line=True)
    first = pd.read_csv(path)["acc_hellaswag"][0]
    assert code == 2
    assert (
        f"row 2, column 'acc_hellaswag': '{first}' is a percentage, and a loss is none "
        "(values with % are read as fractions in other columns only)"
    ) in err
    assert (
        f"hint: the column holds percentages ({first}), and a loss is none: read loss from "
        "another column: --y loss=COLUMN (accuracies against the loss: scalinglab downstream "
        "fit, which reads 26.3% as 0.263)"
    ) in err


def test_ingest_stores_them_as_evaluations(tmp_path: Path) -> None:
    """They were stored as text of the runs' config: no evaluation, and nothing said."""
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(_table(tmp_path / "runs.csv"), store=store.path)
    assert result.written.evals is not None and result.written.evals.added == 10
    assert any(
        n.startswith("column 'acc_hellaswag' read as percent (10 runs") for n in result.notes
    )
    stored = store.evals().set_index("run_id")["value"]
    names = {r.run_id: r.name for r in store.runs()}
    stored.index = stored.index.map(names)
    assert stored.loc[[f"m{k}" for k in range(10)]].to_numpy() == pytest.approx(
        np.round(100 * ACC, 2) / 100
    )


def test_downstream_reads_them_as_percent(tmp_path: Path) -> None:
    evals = read_evals(_table(tmp_path / "runs.csv"))
    assert evals.accuracy("hellaswag") == pytest.approx(np.round(100 * ACC, 2) / 100)
    assert any(n.startswith("column 'acc_hellaswag' read as percent (10 runs") for n in evals.notes)


def _fractions(path: Path) -> Path:
    """10 runs, half trained on 10% of the data and half on 50%, written so."""
    frame = pd.DataFrame({"run": [f"r{k}" for k in range(10)], "params": N, "tokens": D})
    frame["data_frac"], frame["loss"] = ["10%", "50%"] * 5, LOSS
    frame.to_csv(path, index=False)
    return path


def test_where_matches_a_column_written_with_percent_as_it_was_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--where data_frac=10%`` keeps the runs of 10%, as it did when the column was text;
    a value written another way (``10.0%``) is the same fraction."""
    path = _fractions(tmp_path / "pc.csv")
    runs = read_runs(path)
    assert runs.where("data_frac", "10%").runs == ("r0", "r2", "r4", "r6", "r8")
    assert runs.where(data_frac="10.0%").kept_where == {"data_frac": "10.0%"}
    with pytest.raises(ConfigError) as info:
        runs.where("data_frac", "20%")
    assert info.value.message == f"no run has data_frac = '20%' in {path}"
    assert info.value.hint == "its values are 10%, 50%"
    with pytest.raises(ConfigError) as info:  # a size is no percentage: a number column
        runs.where("params", "10%")
    assert info.value.message.startswith(f"'params' is a number column of {path}")
    code, out, err = cli(
        capsys, "fit", str(path), "--where", "data_frac=10%", "--law", "power-law-plus-constant",
        "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0, err
    assert f"data: {path} where data_frac = 10% (5 of its 10 runs selected, 20M-760M params)" in out
