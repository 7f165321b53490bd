"""``hparams fit --store`` on a ladder's own learning-rate sweep: a rung keeps its lr and
batch in its config (``train.lr``, ``train.batch_size`` sequences of ``model.context``
tokens), not in its extra, and the store's run table had no lr column, so the fit said "no
learning-rate column". A sweep reads them from the config (the batch in tokens), where
``fit --store``'s table stays as it was.

The store is a real ladder trained on CPU: three 1-block widths, each at four peak learning
rates, 20 steps of 8 sequences of 32 tokens. The reference is a table built here from each
stored run's own config, fitted as a file is.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._ladders import make_corpus

from scalinglab.store import RunStore

pytest.importorskip("torch")

_WIDTHS = (16, 24, 32)
_LRS = (0.01, 0.03, 0.1, 0.3)
_CONTEXT, _BATCH, _STEPS = 32, 8, 20


@pytest.fixture(scope="module")
def ladder_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scalinglab.execute import InProcessBackend, run_ladder
    from scalinglab.ladder import get_recipe

    folder = tmp_path_factory.mktemp("lr_sweep")
    rungs = "".join(
        f'\n[[rungs]]\nname = "w{w}-lr{lr:g}"\nwidth = {w}\ndepth = 1\nheads = 2\n'
        f"tokens = {_STEPS * _BATCH * _CONTEXT}\nlr = {lr}\n"
        for w in _WIDTHS
        for lr in _LRS
    )
    recipe = folder / "sweep.toml"
    recipe.write_text(
        f'name = "lr-sweep"\ncorpus = "{make_corpus(folder / "text")}"\n[model]\n'
        f"context = {_CONTEXT}\n[train]\nbatch_size = {_BATCH}\nwarmup_steps = 2\n"
        f"eval_every = {_STEPS}\neval_tokens = 1024\nlog_every = 5\n"
        f'checkpoint_every = {_STEPS}\ndevice = "cpu"\n[rules]\ntokens_per_param = 5\n' + rungs
    )
    store = folder / "runs.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(folder / "cache"))
        mp.setenv("OMP_NUM_THREADS", "1")
        with InProcessBackend() as backend:
            report = run_ladder(get_recipe(str(recipe)), store=RunStore(store),
                                backend=backend, workdir=folder / "work", poll_s=0.05)  # fmt: skip
    assert [o.status for o in report.outcomes] == ["finished"] * len(_WIDTHS) * len(_LRS)
    return store


def _from_configs(store: Path) -> pd.DataFrame:
    """The stored runs as a sweep table, each lr and batch read off the run's own config."""
    rows = []
    for run in RunStore(store).runs():
        train, model = run.config["train"], run.config["model"]
        rows.append({
            "run": run.name, "params": run.params_non_embedding, "tokens": run.tokens,
            "flops": run.flops, "loss": run.loss, "lr": train["lr"],
            "batch_tokens": train["batch_size"] * model["context"],
        })  # fmt: skip
    return pd.DataFrame(rows)


def test_the_ladders_own_sweep_is_fitted_from_the_store(
    capsys: pytest.CaptureFixture[str], ladder_store: Path, tmp_path: Path
) -> None:
    code, out, err = cli(capsys, "hparams", "fit", "--store", str(ladder_store),
                         "--bootstrap", "0", "--json")  # fmt: skip
    assert code == 0, err
    fit = json.loads(out)
    table = _from_configs(ladder_store)
    # the values the rungs trained at: the recipe's lrs, 8 sequences of 32 tokens
    assert sorted(set(table["lr"])) == list(_LRS)
    assert set(table["batch_tokens"]) == {_BATCH * _CONTEXT}
    assert fit["batch_unit"] == "tokens"
    (said,) = [n for n in fit["notes"] if "read from their config" in n]
    assert said == (
        "lr and batch_tokens of 12 run(s) read from their config, which their extra lacks: "
        "lr = train.lr; batch_tokens = train.batch_size × model.context, the batch in tokens "
        "(each run's sequences are its context long)"
    )
    # each cell's best run is the rung of the lowest loss at that width, at its own lr
    assert len(fit["cells"]) == len(_WIDTHS)
    for cell in fit["cells"]:
        runs = table[table["params"] == cell["keys"]["params"]]
        best = runs.loc[runs["loss"].idxmin()]
        assert cell["n_runs"] == len(_LRS) and cell["best_run"] == best["run"]
        assert cell["best_lr"] == best["lr"] and cell["best_batch"] == _BATCH * _CONTEXT
    # as the table of the configs' values is fitted, read as a file
    path = tmp_path / "from_configs.csv"
    table.to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0", "--json")
    assert code == 0, err
    reference = json.loads(out)
    assert fit["lr_law"]["coefs"] == pytest.approx(reference["lr_law"]["coefs"], rel=1e-9)
    for mine, theirs in zip(fit["cells"], reference["cells"], strict=True):
        assert mine["lr"] == pytest.approx(theirs["lr"], rel=1e-9)
        assert mine["status"] == theirs["status"] == "ok"


def test_fit_store_reads_no_config_column(ladder_store: Path) -> None:
    """``fit --store``'s table is as before: the config's lr is no covariate of a law fit."""
    plain = RunStore(ladder_store).to_run_table()
    assert "lr" not in plain.columns and "batch_tokens" not in plain.columns
    sweep = RunStore(ladder_store).to_run_table(sweep=True)
    assert list(sweep["lr"]) == list(_from_configs(ladder_store)["lr"])
    assert sweep.columns.keys() - plain.columns.keys() == {"lr", "batch_tokens"}


def test_an_ingested_lr_is_not_replaced_by_the_config(tmp_path: Path) -> None:
    """A run whose extra holds its lr (an ingested table's) keeps it; its config's is
    read only where the extra has none."""
    from scalinglab.store import StoredRun

    store = RunStore(tmp_path / "s.duckdb")
    ladder = {"train": {"lr": 0.5, "batch_size": 4}, "model": {"context": 16}}
    store.put_run(StoredRun(run_id="a", name="a", params=1e3, tokens=1e4, loss=3.0,
                            config=ladder, extra={"learning_rate": 0.01}))  # fmt: skip
    store.put_run(StoredRun(run_id="b", name="b", params=1e3, tokens=1e4, loss=2.9,
                            config=ladder))  # fmt: skip
    table = store.to_run_table(sweep=True)
    assert table["learning_rate"][0] == 0.01 and np.isnan(table["learning_rate"][1])
    assert np.isnan(table["lr"][0]) and table["lr"][1] == 0.5  # b's own, from its config
    assert list(table["batch_tokens"]) == [64.0, 64.0]  # 4 sequences of 16 tokens
