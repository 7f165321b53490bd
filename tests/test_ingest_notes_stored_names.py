"""Every per-run note of an ingest names a run as it is stored: a copied TensorBoard folder's
run found again keeps its stored name ('180M_10x'), and the note on its divergence (as every
per-run note) names it so, not by the folder it was read from now ('tb_copy/180M_10x')."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests._ingest_sources import write_nan_ending

from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _runs(root: Path) -> None:
    """A run ending in NaN (stored diverged) and one that does not."""
    write_nan_ending(root, "180M_10x", "90M_20x")


def test_notes_on_a_copied_folder_name_its_runs_as_stored(tmp_path: Path) -> None:
    _runs(tmp_path / "tb_logs")
    store = tmp_path / "s.duckdb"
    first = ingest(tmp_path / "tb_logs", store=store)
    shutil.copytree(tmp_path / "tb_logs", tmp_path / "exp" / "tb_copy")
    result = ingest(tmp_path / "exp", store=store)
    (diverged,) = [n for n in result.notes if "status 'diverged'" in n]
    assert "('180M_10x': its last logged 'eval/loss' is nan)" in diverged, diverged
    # the notes read as the first ingest's, the folder aside: the runs are the same runs
    said = [n for n in result.notes if "tb_copy/" in n]
    assert said == [n for n in said if "found again keep" in n], said
    assert diverged in first.notes
    assert sorted(r.name for r in RunStore(store).runs()) == ["180M_10x", "90M_20x"]
