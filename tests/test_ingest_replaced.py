"""Runs found again elsewhere: a moved folder's runs are reported as moved (not re-added or
updated), and another file of the same name that replaces stored runs under their keys is
counted and named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_history, wandb_table
from tests.test_ingest_store import ingest

import scalinglab
from scalinglab.store import RunStore


@pytest.mark.heavy
def test_moving_a_folder_does_not_re_add_its_runs(tmp_path: Path) -> None:
    """Ingest keys do not hold absolute paths (issue 12), and runs whose only change is where
    they now live are reported as moved, not updated: a table, a W&B export without run ids,
    one with ids and its history, a Ray Tune experiment and TensorBoard logs, ingested, moved
    to another folder and ingested again."""
    import shutil

    from tests._ingest_sources import write_raytune, write_tensorboard

    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    runs = ladder(n_sizes=2)
    before = tmp_path / "before"
    before.mkdir()
    pd.DataFrame(
        {"run": [r.name for r in runs], "N": [r.params for r in runs],
         "D": [r.tokens for r in runs], "loss": [r.loss for r in runs]}
    ).to_csv(before / "runs.csv", index=False)  # fmt: skip
    wandb_table(runs, with_id=False).to_csv(before / "export.csv", index=False)
    ids, history = before / "ids.csv", before / "history.parquet"
    wandb_table(runs).to_csv(ids, index=False)
    wandb_history(runs).to_parquet(history)
    write_raytune(before / "tune", runs)
    write_tensorboard(before / "tb", runs)
    store = RunStore(tmp_path / "s.duckdb")
    sources = ("runs.csv", "export.csv", ids.name, "tune", "tb")

    def options(folder: Path, source: str) -> dict[str, Any]:
        return {"history": folder / history.name} if source == ids.name else {}

    added = [
        len(ingest(before / s, store=store.path, **options(before, s)).written.added)
        for s in sources
    ]
    assert added == [len(runs)] * len(sources)
    after = tmp_path / "elsewhere" / "moved"
    shutil.move(before, after)
    for source in sources:
        result = ingest(after / source, store=store.path, **options(after, source))
        again = result.written
        # the same runs, not new ones, and not "updated" because only the path changed
        assert again.added == () and again.conflicts == () and again.updated == (), source
        assert len(again.moved) == len(runs) and again.curve_points == 0, source
        assert f"{len(runs)} stored runs moved: the same runs, now read from {after}" in " ".join(
            result.notes
        )
        stored = store.runs_frame().set_index("run_id").loc[list(again.moved), "source"]
        assert all(str(after) in where for where in stored), source
        third = ingest(after / source, store=store.path, **options(after, source)).written
        assert len(third.unchanged) == len(runs) and third.moved == (), source
    assert store.counts()["finished"] == len(sources) * len(runs)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_runs_replaced_by_other_values_under_the_same_key_get_a_note(tmp_path: Path) -> None:
    """Two experiments' files of one name share run keys: the second replaces the first,
    which is the documented rule, but not without saying so: every replaced run is counted
    (those whose labels alone changed too), and while the first file is still there the
    note is a warning naming both files and how to keep both."""
    for folder, size, data in (("exp1", "10M", "c4"), ("exp2", "30M", "pile")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "runs.csv").write_text(
            f"name,params,tokens,loss,dataset\nbase,{size},200M,4.1,{data}\n"
            f"other,50M,1B,3.5,{data}\nsame,90M,2B,3.3,c4\n"
        )
    store = tmp_path / "s.duckdb"
    exp1, exp2 = tmp_path / "exp1" / "runs.csv", tmp_path / "exp2" / "runs.csv"
    first = scalinglab.ingest(exp1, store=store)
    assert not any("replaced by other values" in n for n in first.notes)
    again = scalinglab.ingest(exp1, store=store)  # unchanged
    assert not any("replaced by other values" in n for n in again.notes)
    second = scalinglab.ingest(exp2, store=store)
    assert len(second.written.updated) == 2 and len(second.written.moved) == 1
    (note,) = [n for n in second.notes if "replaced by other values" in n]
    assert note.startswith(
        "warning: 2 stored runs replaced by other values under the same key: base (params "
        "10M -> 30M, dataset c4 -> pile); other (dataset c4 -> pile). They were stored from "
        f"{exp1}, another file of the same name that is still there"
    )
    assert note.endswith(
        f"and the runs of {exp2} replaced them. To keep both, ingest each file under a name "
        "of its own (a copy of this one as exp2-runs.csv) or into another --store; to keep "
        "the stored runs, --on-conflict keep"
    )
    assert (
        f"1 stored run of {exp1} found again, unchanged, in {exp2}, another file of the "
        f"same name ({exp1} is still there): its source is now {exp2}"
    ) in second.notes
    assert not any(" moved: the same run" in n for n in second.notes)
    back = tmp_path / "exp3" / "runs.csv"  # exp2 moved and edited: no other file to name
    back.parent.mkdir()
    back.write_text(exp2.read_text().replace("30M", "20M"))
    exp2.unlink()
    third = scalinglab.ingest(back, store=store)
    (note,) = [n for n in third.notes if "replaced by other values" in n]
    assert note.startswith("1 stored run replaced by other values under the same key: base")
