"""PyTorch Lightning's TensorBoard runs (``<save_dir>/<name>/version_<n>/``) are named by
their experiment folder (``gpt-70M``), as W&B names the same runs, the version kept only
where that folder holds several (``gpt-160M/version_1``), not ``.../version_0``; a store
whose runs an earlier version named by their folder is found again, without a run twice.
The event files are written by PyTorch's ``SummaryWriter``, which Lightning's logger uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.ingest import _tensorboard, ingest
from scalinglab.store import RunStore

tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")

#: experiment -> its versions' params, as Lightning lays them out below save_dir.
LAYOUT = {"gpt-70M": [7e7], "gpt-160M": [1.6e8, 1.6e8]}


def _lightning(root: Path) -> Path:
    for experiment, sizes in LAYOUT.items():
        for version, params in enumerate(sizes):
            folder = root / experiment / f"version_{version}"
            writer = tb.SummaryWriter(str(folder))
            for step in range(1, 11):
                writer.add_scalar("val_loss", 5 - 0.1 * step - 0.05 * version, step)
            writer.close()
            (folder / "hparams.yaml").write_text(f"n_params: {params:g}\ntokens: 1400000000\n")
    return root


def _names(store: Path) -> list[str]:
    return sorted(r.name for r in RunStore(store).runs())


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_lightning_runs_are_named_by_their_experiment(tmp_path: Path) -> None:
    root, store = _lightning(tmp_path / "lightning_logs"), tmp_path / "s.duckdb"
    first = ingest(root, store=store)
    assert _names(store) == ["gpt-160M/version_0", "gpt-160M/version_1", "gpt-70M"]
    assert len(first.written.added) == 3
    again = ingest(root, store=store)  # idempotent: each run found again by its key
    assert again.written.added == () and len(again.written.unchanged) == 3
    assert _names(store) == ["gpt-160M/version_0", "gpt-160M/version_1", "gpt-70M"]
    # the experiment folder, or the version folder, ingested alone: the same name
    for below in (root / "gpt-70M", root / "gpt-70M" / "version_0"):
        alone = tmp_path / f"{below.name}.duckdb"
        ingest(below, store=alone)
        assert _names(alone) == ["gpt-70M"]
        assert ingest(below, store=store).written.added == ()
    assert len(RunStore(store).runs()) == 3


def test_a_store_named_by_folder_is_ingested_again_without_a_run_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store as the version before this one wrote it: every run named by its folder
    below the one ingested (``gpt-70M/version_0``)."""
    from scalinglab.ingest._tb_names import where_read  # (as runs were named then)

    root, store = _lightning(tmp_path / "lightning_logs"), tmp_path / "s.duckdb"
    with monkeypatch.context() as m:
        m.setattr(_tensorboard, "run_name", where_read)
        ingest(root, store=store)
    old = ["gpt-160M/version_0", "gpt-160M/version_1", "gpt-70M/version_0"]
    assert _names(store) == old
    again = ingest(root, store=store)
    assert again.written.added == () and len(again.written.unchanged) == 3
    assert _names(store) == old  # a run found again keeps the name it was stored under
    assert any("'gpt-70M' as 'gpt-70M/version_0'" in n for n in again.notes)
