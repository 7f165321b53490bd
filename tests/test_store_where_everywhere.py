"""One ``--where`` for a run store on every command that reads one: the columns ``runs``
shows (``lr``, ``batch``, ``corpus``) select by their shown names, and ``fit``,
``backtest`` and ``envelope --store`` select the stored runs ``runs --where`` lists (a
ladder rung's ``train.lr``), where ``fit --store --where train.lr=...`` said "no text
column"."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun

_SIZES = ((1e7, 2e8), (2e7, 4e8), (4e7, 8e8), (8e7, 1.6e9), (1.6e8, 3.2e9), (3e7, 1e9), (6e7, 5e8))


def _ladder(path: Path) -> RunStore:
    """Seven rungs stored twice, under a recipe of lr 0.003 and one of 0.004 (as a ladder
    rerun with another lr keeps both), each config's lr in its ``train`` section."""
    store = RunStore(path)
    runs = [
        StoredRun(run_id=f"{lr}-{i}", name=f"w{i}", params=n, tokens=d, source="ladder:l",
                  loss=base + 10 * n**-0.3 + 50 * d**-0.3,
                  config={"dataset": "c4", "train": {"lr": lr, "batch_size": batch}})
        for lr, batch, base in ((3e-3, 32, 3.0), (4e-3, 64, 2.9))
        for i, (n, d) in enumerate(_SIZES)
    ]  # fmt: skip
    store.put_runs((r, None) for r in runs)
    return store


def _names(out: str) -> list[str]:
    return sorted(r["run_id"] for r in json.loads(out)["runs"])


def test_runs_selects_by_the_columns_it_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_ladder(tmp_path / "s.duckdb").path)
    code, out, err = cli(capsys, "runs", "--store", path, "--where", "lr=0.003", "--json")
    assert code == 0, err
    assert _names(out) == [f"0.003-{i}" for i in range(7)]
    code, out, err = cli(capsys, "runs", "--store", path, "--where", "batch=64", "--json")
    assert code == 0 and _names(out) == [f"0.004-{i}" for i in range(7)], err
    # the corpus column shows the config's dataset: --where corpus= selects on it
    code, out, err = cli(capsys, "runs", "--store", path, "--where", "corpus=c4", "--json")
    assert code == 0 and len(_names(out)) == 14, err
    code, _, err = cli(capsys, "runs", "--store", path, "--where", "lr=0.005")
    assert code == 2 and err.splitlines() == [
        f"error: --where lr=0.005: no stored run has lr = '0.005' in {path}",
        "hint: its values are 0.003, 0.004",
    ]


@pytest.mark.parametrize("column", ["train.lr", "lr"])
@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_fit_store_selects_what_runs_where_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, column: str
) -> None:
    path = str(_ladder(tmp_path / "s.duckdb").path)
    args = ("--store", path, "--where", f"{column}=0.004")
    code, out, err = cli(capsys, "fit", *args, "--bootstrap", "0", "--json")
    assert code == 0, err
    fitted = json.loads(out)
    assert fitted["where"] == {column: "0.004"}
    assert fitted["source"].startswith(f"{path} where {column} = 0.004 (7 of its 14 runs selected")
    assert sorted(fitted["runs"]) == [f"w{i}" for i in range(7)]
    assert f"note: read 7 finished runs of 14, kept by --where {column}=0.004, from" in err
    assert "configs that differ" not in err  # one config's runs: nothing pooled
    code, out, err = cli(capsys, "backtest", *args, "--bootstrap", "0", "--json")
    assert code == 0, err


def test_fit_store_where_refuses_a_value_no_run_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = str(_ladder(tmp_path / "s.duckdb").path)
    code, _, err = cli(capsys, "fit", "--store", path, "--where", "train.lr=0.005")
    assert code == 2 and err.splitlines() == [
        f"error: --where train.lr=0.005: no stored run has train.lr = '0.005' in {path}",
        "hint: its values are 0.003, 0.004",
    ]


def test_envelope_store_selects_what_runs_where_lists(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    store = RunStore(tmp_path / "runs.duckdb")
    pairs = []
    for k, (run_id, curve) in enumerate(frame.groupby("run", sort=False)):
        stored = StoredRun(run_id=str(run_id), name=str(run_id),
                           params=float(curve["params"].iloc[0]),
                           config={"train": {"lr": 3e-3 if k % 3 else 4e-3}})  # fmt: skip
        steps = pd.DataFrame({"step": range(1, len(curve) + 1),
                              "tokens": curve["tokens"].to_numpy(),
                              "eval_loss": curve["loss"].to_numpy()})  # fmt: skip
        pairs.append((stored, steps))
    store.put_runs(pairs)
    args = ("envelope", "--store", str(store.path), "--bootstrap", "0", "--json")
    code, out, err = cli(capsys, *args, "--where", "train.lr=0.003")
    assert code == 0, err
    assert json.loads(out)["n_runs"] == 8
