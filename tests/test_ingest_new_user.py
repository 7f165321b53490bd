"""What a new user's first ingests ran into: options named as the command line writes them, no
stray files beside a store a failed ingest never created, hints that name what applies to
an ingest, and exports given in the wrong place said to be what they are."""

from __future__ import annotations

import functools
import json
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.store import RunStore
from scalinglab.store._atomic import store_lock

_cli = functools.partial(cli, one_line=True)


def _table(path: Path, rows: list[tuple[float, float, float]]) -> Path:
    path.write_text(
        "params,tokens,loss\n" + "".join(f"{n:g},{d:g},{loss:g}\n" for n, d, loss in rows)
    )
    return path


def test_a_bad_on_conflict_names_the_option_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = _table(tmp_path / "runs.csv", [(1e7, 2e8, 4.0), (2e7, 4e8, 3.6)])
    store = tmp_path / "new.duckdb"
    code, _, err = _cli(
        capsys, "ingest", str(table), "--store", str(store), "--on-conflict", "skip"
    )
    assert code == 2
    assert "error: --on-conflict skip (on_conflict='skip' in Python): a stored run" in err
    assert "hint: --on-conflict replace (the default) or --on-conflict keep" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]


def test_a_failed_write_to_a_new_store_leaves_no_lock_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Evaluations of models the store does not hold fail inside the write: nothing is
    created beside the store path, where a ``.lock`` was left before."""
    results = tmp_path / "lm" / "results_2024.json"
    results.parent.mkdir()
    results.write_text(
        '{"results": {"hellaswag": {"acc,none": 0.3}}, "config": {"model": "hf", '
        '"model_args": "pretrained=org/tiny-10m"}, "versions": {"hellaswag": 1}}'
    )
    store = tmp_path / "fresh.duckdb"
    code, _, err = _cli(capsys, "ingest", str(results.parent), "--store", str(store))
    assert code == 2 and "1 evaluated model is not a run of the store" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lm"]
    # an existing store keeps its lock file (removing it under a writer would race)
    table = _table(tmp_path / "runs.csv", [(1e7, 2e8, 4.0)])
    assert _cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    assert (tmp_path / "fresh.duckdb.lock").exists()


def test_a_writer_waiting_on_a_removed_lock_file_takes_a_fresh_one(tmp_path: Path) -> None:
    """The first writer of a new store fails and removes the lock file it held; a writer
    that was waiting on that file must not go on holding a lock nobody else can see."""
    store = tmp_path / "s.duckdb"
    held, second_in = threading.Event(), threading.Event()
    inside: list[bool] = []

    def second() -> None:
        held.wait()
        with store_lock(store):
            second_in.set()
            # the lock file it holds is the one a third writer would open
            inside.append((tmp_path / "s.duckdb.lock").exists())
            store.write_bytes(b"")  # a store now exists: its lock file stays

    thread = threading.Thread(target=second)
    thread.start()

    def first() -> None:
        with store_lock(store):
            held.set()
            time.sleep(0.3)  # the second writer is waiting on this lock file now
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError, match="the write failed"):
        first()
    thread.join(timeout=30)
    assert second_in.is_set() and inside == [True]
    assert (tmp_path / "s.duckdb.lock").exists()


def _law_rows(n_runs: int = 8) -> list[tuple[float, float, float]]:
    sizes = [1e7 * 2**k for k in range(n_runs)]
    return [(n, 20 * n, 1.8 + 400 * n**-0.34 + 2000 * (20 * n) ** -0.37) for n in sizes]


def test_a_diverged_looking_run_names_what_leaves_it_out_of_a_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """ingest has no --drop-outliers: its note names the fit over the store that has one,
    and the row it gives is the file's."""
    rows = _law_rows()
    rows[4] = (rows[4][0], rows[4][1], rows[4][2] * 1.6)
    table = tmp_path / "runs.csv"
    table.write_text(
        "name,params,tokens,loss\n"
        + "".join(f"m{k},{n:g},{d:g},{loss:g}\n" for k, (n, d, loss) in enumerate(rows))
    )
    store = tmp_path / "s.duckdb"
    code, out, _ = _cli(capsys, "ingest", str(table), "--store", str(store))
    said = " ".join(out.split())
    assert code == 0 and "8 added" in said
    assert (
        "note: run 'm4' (row 6 of runs.csv) looks diverged: loss 4.893 is 53% above" in said
        and f"stored — scalinglab fit --store {store} --drop-outliers leaves it out of a fit"
        in said
    )
    assert "pass --drop-outliers" not in said
    law = ("--law", "E + A*N**-alpha", "--bootstrap", "0")
    code, out, _ = _cli(capsys, "fit", "--store", str(store), "--drop-outliers", *law)
    # a store has no rows to name: the run by its name alone
    assert code == 0 and "(7 runs, 1 excluded)" in out and "run 'm4' excluded" in out


def test_params_no_embed_is_the_non_embedding_count_and_dataset_the_corpus(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Gadre et al.'s table names them params_no_embed and dataset: stored in their own
    columns, so --x N=params_non_embedding (which fit's note suggests) fits on them."""
    rows = _law_rows(7)
    table = tmp_path / "models.csv"
    table.write_text(
        "name,dataset,params,params_no_embed,tokens,loss\n"
        + "".join(
            f"m{k},{'c4' if k % 2 else 'rpj'},{n:g},{0.8 * n:g},{d:g},{loss:g}\n"
            for k, (n, d, loss) in enumerate(rows)
        )
    )
    store = tmp_path / "s.duckdb"
    assert _cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    stored = {r.name: r for r in RunStore(store).runs()}
    assert stored["m1"].params_non_embedding == pytest.approx(0.8 * rows[1][0])
    assert stored["m1"].params == pytest.approx(rows[1][0])
    assert "params_no_embed" not in stored["m1"].extra
    assert (stored["m1"].corpus, stored["m2"].corpus) == ("c4", "rpj")
    assert stored["m1"].config["dataset"] == "c4"  # --where dataset=c4 still selects on it
    law = ("--law", "E + A*N**-alpha", "--bootstrap", "0", "--json")
    code, out, _ = _cli(capsys, "fit", "--store", str(store), "--x", "N=params_non_embedding", *law)
    assert code == 0, out
    assert sorted(json.loads(out)["runs"]) == [f"m{k}" for k in range(7)]


@pytest.mark.parametrize("kind", [(), ("--kind", "wandb")])
def test_a_wandb_panel_export_alone_is_named_and_sent_to_history(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: tuple[str, ...]
) -> None:
    panel = tmp_path / "wandb_panel.csv"
    panel.write_text(
        "Step,run-00 - eval/loss,run-00 - eval/loss__MIN,run-00 - eval/loss__MAX,"
        "run-01 - eval/loss,run-01 - eval/loss__MIN,run-01 - eval/loss__MAX\n"
        "0,5.0,5.0,5.0,4.8,4.8,4.8\n100,4.1,4.1,4.1,3.9,3.9,3.9\n"
    )
    store = tmp_path / "s.duckdb"
    code, _, err = _cli(capsys, "ingest", str(panel), "--store", str(store), *kind)
    assert code == 2
    assert (
        f"error: {panel}: a W&B panel export (a chart's history: 'Step' and '<run> - <metric>' "
        "columns, 2 runs of 'eval/loss'), not a run table" in err
    )
    assert "scalinglab ingest RUNS.csv --history wandb_panel.csv" in err
    assert "no loss column" not in err and not store.exists()


def test_the_lr_is_the_configs_peak_and_its_history_the_curves_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A W&B export with optimizer.lr in the config and train/learning_rate logged: the
    peak is the config's (what hparams reads), the schedule the curves' lr, and read: says
    the config's name; with no config lr, a note says no peak was stored."""
    steps = [0, 50, 100]
    table = pd.DataFrame(
        [
            {"Name": f"r{k}", "State": "finished", "ID": f"id{k}", "model.n_params": n,
             "data.tokens": 20 * n, "optimizer.lr": 3e-4 * (k + 1), "eval/loss": 4.0 - k}
            for k, n in enumerate((1e7, 2e7))
        ]
    )  # fmt: skip
    history = pd.DataFrame(
        [
            {"run_id": f"id{k}", "_step": s, "eval/loss": 5.0 - k - s / 100,
             "train/learning_rate": 3e-4 * (k + 1) * (1 - s / 100)}
            for k in range(2) for s in steps
        ]
    )  # fmt: skip
    table.to_csv(tmp_path / "export.csv", index=False)
    history.to_parquet(tmp_path / "history.parquet")
    store = tmp_path / "s.duckdb"
    args = ("ingest", str(tmp_path / "export.csv"), "--history", str(tmp_path / "history.parquet"))
    code, out, _ = _cli(capsys, *args, "--store", str(store))
    said = " ".join(out.split())
    assert code == 0 and "lr <- optimizer.lr" in said and "lr <- train/learning_rate" not in said
    assert (
        "note: lr: each run's peak from its config's 'optimizer.lr', its schedule (the curves' "
        "lr) from the history of 'train/learning_rate'" in said
    )
    stored = RunStore(store)
    for run in stored.runs():
        k = int(run.name[1])
        assert run.extra["lr"] == pytest.approx(3e-4 * (k + 1))
        curve = stored.curve(run.run_id)
        assert curve["lr"].tolist() == pytest.approx(
            [3e-4 * (k + 1) * (1 - s / 100) for s in steps]
        )
    table.drop(columns="optimizer.lr").to_csv(tmp_path / "export.csv", index=False)
    code, out, _ = _cli(capsys, *args, "--store", str(tmp_path / "s2.duckdb"))
    said = " ".join(out.split())
    assert code == 0 and "lr <- train/learning_rate" in said
    assert (
        "note: lr: 'train/learning_rate' is a logged schedule, stored as each run's lr curve; "
        "no config value gives the runs' peak lr" in said
    )
    assert all("lr" not in r.extra for r in RunStore(tmp_path / "s2.duckdb").runs())


def test_rows_without_a_run_id_are_known_by_their_values_not_their_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Removing a row no longer shifts every run below it onto its neighbour's key (and
    'updated' their sizes): the others are unchanged, a corrected loss updates its run, two
    rows of the same sizes (seeds) are two runs, and names stay as first stored."""
    table = tmp_path / "runs.csv"
    table.write_text(
        "params,tokens,seed,loss\n10M,200M,0,4.1\n20M,400M,0,3.8\n20M,400M,0,3.81\n40M,800M,0,3.5\n"
    )
    store = tmp_path / "s.duckdb"
    code, out, _ = _cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0 and "4 added" in out
    assert (
        "note: 4 runs without a run id (named row<k>) are known by their sizes, "
        "other settings and labels, not their losses, scores or other measurements"
        in " ".join(out.split())
    )
    table.write_text("params,tokens,seed,loss\n20M,400M,0,3.8\n20M,400M,0,3.81\n40M,800M,0,3.45\n")
    code, out, _ = _cli(capsys, "ingest", str(table), "--store", str(store))
    said = " ".join(out.split())
    assert code == 0 and f"into {store}: 1 updated, 2 unchanged" in said
    assert "replaced by other values under the same key: row5 (loss 3.5 -> 3.45)" in said
    stored = {r.name: (r.params, r.loss) for r in RunStore(store).runs()}
    assert stored == {
        "row2": (1e7, 4.1),  # removed from the file, still stored: ingest never deletes
        "row3": (2e7, 3.8),
        "row4": (2e7, 3.81),
        "row5": (4e7, 3.45),
    }


def test_a_missing_loss_column_hints_ingests_own_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # once "--y loss=COLUMN", an option ingest does not have
    table = tmp_path / "runs.csv"
    table.write_text("params,tokens,val\n1e8,2e9,3.1\n2e8,4e9,2.9\n")
    args = ("ingest", str(table), "--store", str(tmp_path / "s.duckdb"), "--map", "loss=loss_x")
    code, _, err = _cli(capsys, *args)
    assert code == 2 and "hint: pass an existing column: --map loss=COLUMN" in err


def test_an_ambiguous_or_missing_loss_hints_ingests_own_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # both said --y loss=COLUMN, which ingest does not have
    store = str(tmp_path / "s.duckdb")
    two = tmp_path / "two.csv"
    two.write_text("params,tokens,train_loss,val_loss\n1e8,2e9,3.1,3.2\n2e8,4e9,2.9,3.0\n")
    code, _, err = _cli(capsys, "ingest", str(two), "--store", store)
    assert code == 2 and "hint: say which: --map loss=COLUMN" in err
    none = tmp_path / "none.csv"
    none.write_text("params,tokens,val\n1e8,2e9,3.1\n")
    code, _, err = _cli(capsys, "ingest", str(none), "--store", store)
    assert code == 2 and "hint: say which column holds the loss: --map loss=COLUMN (" in err
