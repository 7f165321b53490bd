"""``--where extra.KEY=`` and ``config.KEY=`` (as ``runs --json`` nests a run's values) read
that key of the run's extra or config only: ``extra.status=failed`` selected the runs whose
own status is failed, ``config.name=r-a`` the run named r-a; an error names the column as
written (``extra.nothere`` was reported as ``nothere``), and ``extra.`` with no key says
the key is missing (it reported a column ``''``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun


def _store(path: Path) -> str:
    runs = [
        StoredRun(run_id="a", name="r-a", params=2e7, tokens=4e8, loss=3.5,
                  config={"dataset": "c4", "lr": 0.003}, extra={"note": "x"}),
        StoredRun(run_id="c", name="r-c", status="failed", params=1.2e8, tokens=3.2e9,
                  loss=3.0, config={"dataset": "pile", "train": {"lr": 1e-3}},
                  extra={"wandb_state": "crashed", "status": "done", "ingested_from": "w"}),
    ]  # fmt: skip
    RunStore(path).put_runs((r, None) for r in runs)
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], store: str, where: str) -> tuple[int, str, str]:
    return cli(capsys, "runs", "--store", store, "--where", where, "--json")


def _names(capsys: pytest.CaptureFixture[str], store: str, where: str) -> list[str]:
    code, out, err = _run(capsys, store, where)
    assert code == 0, err
    return [r["name"] for r in json.loads(out)["runs"]]


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_a_prefix_reads_that_part_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = _store(tmp_path / "s.duckdb")
    assert _names(capsys, store, "status=failed") == ["r-c"]
    assert _names(capsys, store, "extra.status=done") == ["r-c"]  # the extra's own key
    code, _, err = _run(capsys, store, "extra.status=failed")
    assert code == 2 and err.splitlines() == [
        f"error: --where extra.status=failed: no stored run has extra.status = 'failed' in {store}",
        "hint: its values are done",
    ]
    assert _names(capsys, store, "config.train.lr=0.001") == ["r-c"]
    assert _names(capsys, store, "config.dataset=c4") == ["r-a"]


def test_a_key_no_run_keeps_is_named_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, _, err = _run(capsys, store, "extra.nothere=1")
    assert code == 2 and err.splitlines() == [
        f"error: --where extra.nothere=1: no stored run has a key 'nothere' in its extra "
        f"in {store}",
        "hint: the runs' extra values are extra.note, extra.status, extra.wandb_state",
    ]
    code, _, err = _run(capsys, store, "config.name=r-a")
    assert code == 2 and err.splitlines() == [
        f"error: --where config.name=r-a: no stored run has a key 'name' in its config in {store}",
        "hint: the runs' config values are config.dataset, config.lr, config.train.lr; "
        "--where name=r-a selects by the run's name",
    ]


def test_a_prefix_with_no_key_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, _, err = _run(capsys, store, "extra.=x")
    assert code == 2 and err.splitlines() == [
        "error: --where extra.=x: the key is missing after 'extra.': extra.KEY names a key "
        "of the run's extra, as `runs --json` nests it",
        "hint: the runs' extra values are extra.note, extra.status, extra.wandb_state",
    ]
