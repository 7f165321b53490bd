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
from tests.conftest import SHARED

from scalinglab.store import RunStore

# its module's fixtures: 8.8 s in the suite on a 2-core AMD EPYC, for a few quick tests
pytestmark = pytest.mark.heavy

pytest.importorskip("torch")

_WIDTHS = (16, 24, 32)
_LRS = (0.01, 0.03, 0.1, 0.3)
_CONTEXT, _BATCH, _STEPS = 32, 8, 20
SWEEP = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


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


@pytest.mark.heavy
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
        "lr and batch_tokens of 12 runs read from their config, which their extra lacks: "
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


def test_a_coarse_grids_lr_star_is_known_to_its_neighbouring_lrs(
    capsys: pytest.CaptureFixture[str], ladder_store: Path
) -> None:
    """On the ladder's x3 lr grid only the best rung and a neighbour weigh in each surface
    (fewer than its 4 coefficients), and the bootstrap gave every lr* an interval of no
    width. Each interval is now the best rung's neighbouring lrs on the grid (read here
    off the configs), with a warning that says so, and the lr law's draws spread over them:
    its exponent's interval has a width."""
    code, out, err = cli(capsys, "hparams", "fit", "--store", str(ladder_store),
                         "--bootstrap", "200", "--json")  # fmt: skip
    assert code == 0, err
    fit = json.loads(out)
    table = _from_configs(ladder_store)
    grid = sorted(set(table["lr"]))
    for cell in fit["cells"]:
        runs = table[table["params"] == cell["keys"]["params"]]
        k = grid.index(runs.loc[runs["loss"].idxmin(), "lr"])
        assert 0 < k < len(grid) - 1  # the fixture's cells are bracketed
        lo, hi = min(grid[k - 1], cell["lr"]), max(grid[k + 1], cell["lr"])
        assert cell["lr_interval"] == pytest.approx([lo, hi], rel=1e-12)
        assert np.log(hi / lo) > 2.0  # two x3 steps (x3.33, x3): never no width
    (said,) = [w for w in fit["warnings"] if "known only to the grid" in w]
    assert "on an lr grid of steps x3" in said and "for its 4 coefficients" in said
    lo, hi = fit["lr_law"]["intervals"][next(iter(fit["lr_law"]["intervals"]))]
    assert hi > lo
    # loss* is not measured in such a cell: its law has no interval (it had one of no width)
    assert all(b == ["nan", "nan"] for b in fit["loss_law"]["intervals"].values())


def test_fit_store_reads_the_config_lr_of_a_sweep_alone(ladder_store: Path, tmp_path: Path) -> None:
    """``fit --store`` reads the config's lr and batch where they make the runs a sweep
    (several lrs at one size), as a sweep's table shows them, so its fit can warn and keep
    each cell's best; an ordinary ladder's lr, one per rung, is no column of a law fit."""
    from scalinglab.store import StoredRun

    plain = RunStore(ladder_store).to_run_table()
    sweep = RunStore(ladder_store).to_run_table(sweep=True)
    assert list(plain["lr"]) == list(sweep["lr"]) == list(_from_configs(ladder_store)["lr"])
    assert list(plain["batch_tokens"]) == [_BATCH * _CONTEXT] * len(_WIDTHS) * len(_LRS)
    store = RunStore(tmp_path / "ladder.duckdb")  # one lr per size: no sweep
    for i, (n, lr) in enumerate(((1e3, 0.01), (2e3, 0.008), (4e3, 0.006))):
        config = {"train": {"lr": lr, "batch_size": 4}, "model": {"context": 16}}
        store.put_run(StoredRun(run_id=f"r{i}", name=f"r{i}", params=n, tokens=20 * n,
                                loss=3.0 - i / 10, config=config))  # fmt: skip
    table = store.to_run_table()
    assert "lr" not in table.columns and "batch_tokens" not in table.columns
    assert list(store.to_run_table(sweep=True)["lr"]) == [0.01, 0.008, 0.006]


def test_fit_store_warns_of_the_sweep_and_keeps_each_cells_best(
    capsys: pytest.CaptureFixture[str], ladder_store: Path, tmp_path: Path
) -> None:
    """``fit --store`` of a ladder's lr sweep warns as ``fit`` of a sweep's table does (it
    fitted every rung, poor lrs among them, without a word), and ``--best-per-cell`` (it
    was refused with a store) fits the best rung of each width: the fit of a table of those
    rungs, chosen here from each run's stored loss."""
    code, out, err = cli(capsys, "fit", "--store", str(ladder_store), "--law", "power-law",
                         "--bootstrap", "0", "--json", one_line=True)  # fmt: skip
    assert code == 0, err
    (said,) = [w for w in json.loads(out)["warnings"] if "look like" in w]
    assert said.startswith(
        "the runs look like a learning-rate sweep: 12 runs in 3 groups of equal "
        "'params_non_embedding' and 'tokens', each over 4 learning rates ('lr') at one batch "
        "size ('batch_tokens'): a loss law describes"
    )
    assert said.endswith(f"`scalinglab hparams fit --store {ladder_store}` fits their optimal "
                         "learning rate and batch size")  # fmt: skip
    code, out, err = cli(capsys, "fit", "--store", str(ladder_store), "--law", "power-law",
                         "--bootstrap", "0", "--json", "--best-per-cell")  # fmt: skip
    assert code == 0, err
    best = json.loads(out)
    assert not [w for w in best["warnings"] if "look like" in w]
    assert best["notes"][0].startswith(f"read 12 finished runs from the store {ladder_store}")
    # the cells named as the sweep warning names them: the store's count, not 'params'
    assert (
        "best run per cell: kept 3 of 12 runs, the lowest finite loss of each of 3 cells of "
        "equal 'params_non_embedding' and 'tokens'" in " ".join(best["notes"])
    )
    table = _from_configs(ladder_store)
    rows = table.loc[table.groupby("params")["loss"].idxmin(), ["run", "params", "tokens", "loss"]]
    assert len(rows) == len(_WIDTHS)
    path = tmp_path / "best.csv"
    rows.to_csv(path, index=False)
    code, out, err = cli(capsys, "fit", str(path), "--law", "power-law", "--bootstrap", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert best["coefs"] == pytest.approx(json.loads(out)["coefs"], rel=1e-9)


def test_the_next_ladder_sweeps_around_the_fitted_lr(
    capsys: pytest.CaptureFixture[str], ladder_store: Path, tmp_path: Path
) -> None:
    """The story's last step: the fit of the store's sweep sets the next ladder's lr
    (``ladder plan --hparams``), and a next ladder with its own ``lr_sweep`` sweeps around
    it: each rung at its multiple of the lr the same ladder without the sweep is given."""
    hp = tmp_path / "hp.json"
    code, _, err = cli(capsys, "hparams", "fit", "--store", str(ladder_store), "--bootstrap",
                       "0", "--out", str(hp))  # fmt: skip
    assert code == 0, err
    shapes = "".join(f"[[rungs]]\nwidth = {w}\ndepth = 1\nheads = 2\n" for w in (40, 48))
    head = "[model]\ncontext = 32\n[rules]\ntokens_per_param = 5\nbatch = 8\n"
    plans = {}
    for name, sweep in (("plain", ""), ("swept", "lr_sweep = [0.5, 1, 2]\n")):
        path = tmp_path / f"{name}.toml"
        path.write_text(head + sweep + shapes)
        code, out, err = cli(capsys, "ladder", "plan", str(path), "--hparams", str(hp), "--json")
        assert code == 0, err
        plans[name] = json.loads(out)["rungs"]
    plain, swept = plans["plain"], plans["swept"]
    assert len(swept) == 3 * len(plain)
    for i, rung in enumerate(swept):
        assert rung["lr"] == pytest.approx(plain[i // 3]["lr"] * (0.5, 1, 2)[i % 3], rel=1e-12)
        assert rung["batch_size"] == plain[i // 3]["batch_size"]


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
