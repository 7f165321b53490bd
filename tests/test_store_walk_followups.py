"""A new user's walk of the run store, followed up: a slipped ``--where`` key among a
table's many score keys, ``runs rm`` with nothing selected, a 0-byte store file, a store cut
in the middle, the ingest line after ``--on-conflict keep``, and the notes' one style."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused

import scalinglab
from scalinglab._errors import StoreError
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._check import CORRUPT_HINT

_TASKS = ("arc_easy", "boolq", "copa", "mmlu", "piqa", "siqa")
_TABLE = "name,params,tokens,loss,dataset\nm1,1e7,2e8,3.5,rpj\nm2,2e7,4e8,3.3,rpj\n"


def _ingested(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str) -> Path:
    table, store = tmp_path / "runs.csv", tmp_path / "runs.duckdb"
    table.write_text(text)
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0, err
    return store


def test_a_slipped_where_key_is_suggested_and_score_keys_counted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: every acc_* key listed (cut at 16, all scores), and no 'corpus' offered."""
    head, *rows = _TABLE.splitlines()
    text = "\n".join(
        [head + "".join(f",acc_{t}" for t in _TASKS)] + [row + ",0.5" * len(_TASKS) for row in rows]
    )
    store = _ingested(capsys, tmp_path, text + "\n")
    _, hint = refused(capsys, ["runs", "--store", str(store), "--where", "corpsu=rpj"])
    assert hint == (
        "hint: did you mean 'corpus'? the runs' values are corpus, dataset, flops, loss, "
        "name, params, run, run_id, source, status, tokens, and 6 acc_* keys"
    )
    _, hint = refused(capsys, ["runs", "--store", str(store), "--where", "extra.acc_mmmlu=1"])
    assert (
        hint == "hint: did you mean 'extra.acc_mmlu'? the runs' extra values are 6 extra.acc_* keys"
    )


def test_runs_rm_with_nothing_selected_says_how_to_select(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _ingested(capsys, tmp_path, _TABLE)
    error, hint = refused(capsys, ["runs", "rm", "--store", str(store)])
    assert error == (
        "error: name the runs to remove, a --source whose runs to remove, or --where COLUMN=VALUE"
    )
    assert hint == (
        f"hint: `scalinglab runs --store {store}` lists the runs; then `scalinglab runs rm "
        f"--store {store}` with NAME... (as listed), --source FILE (every run ingested from "
        "it) or --where COLUMN=VALUE (as `runs --where` selects); --dry-run lists them first"
    )
    assert len(RunStore(store).runs()) == 2


def test_a_zero_byte_store_file_is_a_store_not_started_for_readers_and_writers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: `runs` called it "not a scalinglab run store" (point --store elsewhere),
    while `ingest` wrote into it without a word."""
    store, table = tmp_path / "empty.duckdb", tmp_path / "runs.csv"
    store.write_bytes(b"")
    table.write_text(_TABLE)
    error, hint = refused(capsys, ["runs", "--store", str(store)])
    assert (
        error == f"error: {store}: an empty file (0 bytes): no run store has been started in it yet"
    )
    assert hint == (
        f"hint: ingest runs into it to start one (scalinglab ingest RUNS --store {store}), "
        "or point --store at an existing run store"
    )
    assert store.read_bytes() == b""
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store))
    said = f"note: {store} was an empty file (0 bytes): started a new run store in it"
    assert code == 0 and said in out.splitlines(), out + err
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0 and "was an empty file" not in out, out + err  # a store now
    new = tmp_path / "new.duckdb"  # no file at all: nothing taken over, nothing said
    assert not any("empty file" in n for n in scalinglab.ingest(table, store=new).notes)


def _big_store(path: Path) -> None:
    """A store of a few MB (7.6): 40 runs of 4,000 curve points, its schema version read
    from blocks past 70% of the file (DuckDB 1.5)."""
    rng = np.random.default_rng(0)
    runs = [StoredRun(run_id=f"r{i}", name=f"r{i}", params=1e6 * (i + 1), tokens=2e7,
                      loss=3.0 + i / 100) for i in range(40)]  # fmt: skip
    steps = np.arange(4000)
    curves = pd.concat(
        pd.DataFrame({"run_id": r.run_id, "step": steps, "train_loss": rng.random(4000)})
        for r in runs
    )
    RunStore(path).put_runs_frame(runs, curves)


@pytest.mark.parametrize("fraction", [0.1, 0.4, 0.75, 0.85])
def test_a_store_cut_anywhere_is_called_corrupt_with_the_restore_hint(
    tmp_path: Path, fraction: float
) -> None:
    """Before: a store cut before the blocks its schema version is read from said "could
    not be read or written ... may be damaged", one cut later "the run store is corrupt"."""
    path = tmp_path / "s.duckdb"
    _big_store(path)
    os.truncate(path, int(path.stat().st_size * fraction))
    with pytest.raises(StoreError) as info:
        RunStore(path).runs()
    assert "the run store is corrupt (IO Error: " in info.value.message, info.value.message
    assert info.value.hint == CORRUPT_HINT


def test_a_checksum_error_on_opening_is_damage_not_a_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's checksum error names the "block" it read, which holds "lock": before, the
    store was waited on as if another process held it, then called locked."""
    path = tmp_path / "s.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, tokens=2e7, loss=3.0))
    said = (
        "IO Error: Corrupt database file: computed checksum 1 does not match stored "
        "checksum 2 in block at location 4096"
    )

    def damaged(*_: object, **__: object) -> None:
        raise duckdb.IOException(said)

    monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "1")
    monkeypatch.setattr(duckdb, "connect", damaged)
    with pytest.raises(StoreError) as info:
        RunStore(path).runs()
    assert info.value.message == f"{path}: the run store is corrupt ({said})"
    assert info.value.hint == CORRUPT_HINT


def test_a_permission_error_is_not_called_damage(tmp_path: Path) -> None:
    from scalinglab.store._check import is_damage

    denied = duckdb.IOException('IO Error: Cannot open file "s.duckdb": Permission denied')
    assert not is_damage(denied)
    assert is_damage(duckdb.IOException('Could not read enough bytes from file "s.duckdb"'))


def test_the_ingest_line_says_a_conflict_was_kept_and_notes_end_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: "1 unchanged, 1 conflict (nothing new)", and the note on replaced runs alone
    ended with a period."""
    store = _ingested(capsys, tmp_path, _TABLE)
    (tmp_path / "runs.csv").write_text(_TABLE.replace("3.5,", "3.4,"))
    args = ("ingest", str(tmp_path / "runs.csv"), "--store", str(store))
    code, out, err = cli(capsys, *args, "--on-conflict", "keep")
    assert code == 0, err
    headline = " ".join(out.split("┏")[0].split())
    assert headline.endswith(": 1 unchanged, 1 conflict kept as stored"), headline
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    (note,) = [n for n in out.splitlines() if "replaced by other values" in n]
    assert note.endswith(": m1 (loss 3.5 -> 3.4)"), note
