"""A TensorBoard run whose event file was written in the last ten minutes may still be
training (TensorBoard records no run status): ingest names it in a warning saying to ingest
again once it has ended; a run written earlier gets no such warning."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from tests._ingest_sources import write_nan_ending

from scalinglab.ingest import ingest
from scalinglab.ingest._tb_live import ago
from scalinglab.store import RunStore


def _live_run(root: Path) -> Path:
    """A run as /tmp/sweep-trackers/tb_live.py leaves it mid-training: flushed, not closed."""
    tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")
    folder = root / "runA"
    folder.mkdir(parents=True)
    (folder / "hparams.yaml").write_text("n_params: 30000000\ntokens: 600000000\n")
    writer = tb.SummaryWriter(str(folder))
    for s in range(1, 21):
        writer.add_scalar("eval/loss", 5 - s * 0.05, s * 10)
    writer.flush()
    writer.close()
    return folder


def test_a_run_written_just_now_is_named_as_maybe_still_training(tmp_path: Path) -> None:
    _live_run(tmp_path / "tb")
    result = ingest(tmp_path / "tb", store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "may still be training" in n]
    assert re.match(
        r"warning: 1 run wrote its event files in the last 10 minutes \('runA': "
        r"(just now|\d\d s ago)\) and may still be training",
        note,
    ), note
    assert note.endswith(
        ") and may still be training: TensorBoard records no run status, so it is "
        "stored 'finished' with its loss so far; ingest again once it has ended (a "
        "re-ingest updates it)"
    )
    assert RunStore(tmp_path / "s.duckdb").runs()[0].status == "finished"


def test_a_run_written_an_hour_ago_is_not(tmp_path: Path) -> None:
    folder = _live_run(tmp_path / "tb")
    hour_ago = time.time() - 3600
    for f in folder.glob("events.out.tfevents.*"):
        os.utime(f, (hour_ago, hour_ago))
    result = ingest(tmp_path / "tb", store=tmp_path / "s.duckdb")
    assert not [n for n in result.notes if "may still be training" in n]


def test_a_run_stored_diverged_is_not_named_as_stored_finished(tmp_path: Path) -> None:
    """Two runs written just now, one whose last point is NaN: that one is stored 'diverged'
    (named in that warning), so the warning on runs stored 'finished' names the other alone
    (it named both, saying both were stored 'finished')."""
    write_nan_ending(tmp_path / "tb", "nanend", "fine")
    result = ingest(tmp_path / "tb", store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "may still be training" in n]
    assert note.startswith("warning: 1 run wrote its event files in the last 10 minutes ('fine': ")
    assert "nanend" not in note
    (diverged,) = [n for n in result.notes if "status 'diverged'" in n]
    assert "('nanend': its last logged 'eval/loss' is nan)" in diverged
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored == {"fine": "finished", "nanend": "diverged"}


def test_ages_are_said_as_a_person_would() -> None:
    """Not "0.0 min ago" for a file written seconds ago."""
    assert [ago(a) for a in (0.0, -3.0, 9.9, 12.0, 59.0, 60.0, 150.0, 599.0)] == [
        "just now", "just now", "just now", "12 s ago", "59 s ago", "1 min ago", "2 min ago",
        "10 min ago",
    ]  # fmt: skip


def test_a_copied_folder_names_the_runs_as_stored(tmp_path: Path) -> None:
    """``cp -r tb_logs exp/tb_copy`` then ingesting ``exp``: the runs are found again and
    keep their stored names ('runA'), and the warning names them so, not 'tb_copy/runA'."""
    folder = _live_run(tmp_path / "tb_logs")
    ingest(tmp_path / "tb_logs", store=tmp_path / "s.duckdb")
    shutil.copytree(folder.parent, tmp_path / "exp" / "tb_copy")
    result = ingest(tmp_path / "exp", store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "may still be training" in n]
    assert "('runA': " in note and "tb_copy" not in note, note
    assert [r.name for r in RunStore(tmp_path / "s.duckdb").runs()] == ["runA"]
