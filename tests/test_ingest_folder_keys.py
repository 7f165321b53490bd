"""A run read from a folder is one run wherever the folder is read from: ingesting the
TensorBoard folder above it, or the run's own folder (or one Ray Tune trial's), finds the
runs stored already (keeping their names) instead of adding them again, a copy of a run's
folder beside it is read once, a run that logged more since is updated, and Keras's split
folders are one run."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from tests._ingest_sources import ladder, write_tensorboard

from scalinglab.cli import main
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

_tensorboard = pytest.mark.skipif(
    importlib.util.find_spec("tensorboard") is None,
    reason="the tensorboard package is the [trackers] extra",
)


@_tensorboard
def test_the_folder_above_or_below_finds_the_same_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = ladder(n_sizes=3, ratios=(20.0,))
    write_tensorboard(tmp_path / "exp" / "tb", runs)
    store = tmp_path / "s.duckdb"
    first = ingest(tmp_path / "exp" / "tb", store=store)
    assert len(first.written.added) == 3
    names = sorted(r.name for r in RunStore(store).runs())
    assert names == [r.name for r in runs]
    above = ingest(tmp_path / "exp", store=store, kind="tensorboard")
    assert len(above.written.unchanged) == 3 and above.written.added == ()
    assert (
        "3 stored runs found again keep the names they were stored under ('tb/n0-r0' as "
        "'n0-r0', 'tb/n1-r0' as 'n1-r0', 'tb/n2-r0' as 'n2-r0'): a name that says where a run "
        "was read (its folder below the one ingested, its row) is not the run's"
    ) in above.notes
    below = ingest(tmp_path / "exp" / "tb" / "n1-r0", store=store)
    assert below.written.unchanged == (first.written.added[1],)
    assert sorted(r.name for r in RunStore(store).runs()) == names
    assert main(["fit", "--store", str(store), "--law", "power-law:flops", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["runs"]) == 3


@_tensorboard
def test_a_copied_run_folder_is_read_once_and_a_longer_run_is_updated(tmp_path: Path) -> None:
    from tensorboard.summary import Writer

    runs = ladder(n_sizes=2, ratios=(20.0,))
    write_tensorboard(tmp_path / "tb", runs)
    shutil.copytree(tmp_path / "tb" / "n0-r0", tmp_path / "tb" / "backup")
    store = tmp_path / "s.duckdb"
    result = ingest(tmp_path / "tb", store=store)
    assert len(result.written.added) == 2
    # copies hold the same points: the first in folder order is read
    assert result.skipped == (("n0-r0", "a copy of backup (the same first event file)"),)
    # the run went on in a new event file (a restart): the same run, with its new last loss
    writer = Writer(str(tmp_path / "tb" / "n1-r0"))
    writer.add_scalar("eval/loss", 2.5, 5000)
    writer.close()
    again = ingest(tmp_path / "tb", store=store)
    assert len(again.written.updated) == 1 and again.written.added == ()
    assert {r.name: r.loss for r in RunStore(store).runs()}["n1-r0"] == pytest.approx(2.5)


@_tensorboard
def test_keras_train_and_validation_folders_are_one_run_with_its_config(tmp_path: Path) -> None:
    """tf.keras.callbacks.TensorBoard writes <run>/train/ and <run>/validation/ (epoch_loss
    in each), and the run's hparams.json sits in <run>/: one run, the validation split's
    loss its loss, the train split's its training loss, the sizes from hparams.json."""
    from tensorboard.summary import Writer

    truth = {"small": (2e7, 4e8, 4.2), "large": (1e8, 2e9, 3.4)}
    for name, (n, d, loss) in truth.items():
        for split, offset in (("train", -0.05), ("validation", 0.0)):
            writer = Writer(str(tmp_path / "logs" / name / split))
            for epoch in range(5):
                writer.add_scalar("epoch_loss", loss + offset + (4 - epoch) * 0.3, epoch)
            writer.close()
        (tmp_path / "logs" / name / "hparams.json").write_text(
            json.dumps({"n_params": n, "tokens": d})
        )
    result = ingest(tmp_path / "logs", store=tmp_path / "s.duckdb")
    assert len(result.written.added) == 2 and result.skipped == ()
    assert result.mapping["loss"] == "validation/epoch_loss"
    assert result.mapping["train_loss"] == "train/epoch_loss"
    assert (
        "2 Keras runs (large, small): the train/ and validation/ folders "
        "tf.keras.callbacks.TensorBoard writes read as one run each"
    ) in " ".join(result.notes)
    for run in RunStore(tmp_path / "s.duckdb").runs():
        n, d, loss = truth[run.name]
        assert (run.params, run.tokens) == (n, d)
        assert run.loss == pytest.approx(loss, rel=1e-6)
        assert run.train_loss == pytest.approx(loss - 0.05, rel=1e-6)


def test_one_ray_tune_trial_ingested_alone_is_its_stored_self(tmp_path: Path) -> None:
    """Ray Tune keys by trial id and folder name; the experiment stored with a trial is its
    parent folder's name, also when the trial's own folder is ingested."""
    from tests._ingest_sources import write_raytune

    write_raytune(tmp_path / "exp", ladder(n_sizes=2, ratios=(20.0,)))
    store = tmp_path / "s.duckdb"
    assert len(ingest(tmp_path / "exp", store=store).written.added) == 2
    trial = sorted(p for p in (tmp_path / "exp").iterdir() if p.is_dir())[1]
    again = ingest(trial, store=store).written
    assert len(again.unchanged) == 1 and again.added == () and again.updated == ()
    assert {r.extra["experiment"] for r in RunStore(store).runs()} == {"exp"}


@_tensorboard
def test_a_restart_whose_event_file_sorts_first_as_text_is_the_same_run(tmp_path: Path) -> None:
    """The writer's counter ends an event file's name: the file opened tenth (``.10``) comes
    before the ninth (``.9``) in text order, so the run's key changed and a restarted run was
    added a second time instead of updated (seen when the suite's other writers ran first)."""
    from tensorboard.summary import Writer

    runs = ladder(n_sizes=2, ratios=(20.0,))
    write_tensorboard(tmp_path / "tb", runs)
    folder = tmp_path / "tb" / "n1-r0"
    (logged,) = folder.glob("events.out.tfevents.*")
    logged.rename(folder / "events.out.tfevents.1700000000.host.1.9")
    store = tmp_path / "s.duckdb"
    assert len(ingest(tmp_path / "tb", store=store).written.added) == 2
    writer = Writer(str(tmp_path / "restart"))
    writer.add_scalar("eval/loss", 2.5, 5000)
    writer.close()
    (later,) = (tmp_path / "restart").glob("events.out.tfevents.*")
    shutil.move(later, folder / "events.out.tfevents.1700000000.host.1.10")
    again = ingest(tmp_path / "tb", store=store)
    assert len(again.written.updated) == 1 and again.written.added == ()
    assert {r.name: r.loss for r in RunStore(store).runs()}["n1-r0"] == pytest.approx(2.5)
