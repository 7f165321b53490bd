"""A store with runs, none of them finished (a ladder whose every rung diverged or failed),
is refused by ``fit --store`` and the other readers naming its runs by status and where
they are listed: it said only "no finished runs in the store", with a hint to run `scalinglab
ladder status` "to fill it" (status lists a store; it fills nothing)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import StoreError
from scalinglab.store import RunStore, StoredRun


def _rungs(path: Path, statuses: dict[str, str]) -> Path:
    """A store of ladder rungs named by ``statuses`` (name -> status), none finished."""
    store = RunStore(path)
    for k, (name, status) in enumerate(statuses.items()):
        n = 1e4 * 2**k
        store.put_run(StoredRun(run_id=f"id{k}", name=name, params=n, tokens=5 * n,
                                loss=7.7 if status == "diverged" else math.nan, status=status,
                                source="ladder:mine"))  # fmt: skip
    return path


@pytest.mark.parametrize(
    "command",
    # backtest and report read a store as fit does: the same refusal (a second each)
    ["fit", pytest.param("backtest", marks=pytest.mark.heavy),
     pytest.param("report", marks=pytest.mark.heavy)],
)  # fmt: skip
def test_a_store_of_diverged_and_failed_rungs_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = _rungs(tmp_path / "my runs.duckdb",
                  {"w16-d1": "diverged", "w24-d1": "diverged", "w32-d1": "failed"})  # fmt: skip
    code, _, err = cli(capsys, command, "--store", str(path), one_line=True)
    assert code == 2
    assert (
        f"error: {path}: no finished runs in the store, which a fit reads: it holds 3 runs of "
        "other statuses: 2 diverged (w16-d1, w24-d1); 1 failed (w32-d1)"
    ) in err
    quoted = f"'{path}'"  # a path with a space, quoted to paste
    assert (
        f"hint: `scalinglab runs --store {quoted} --status diverged` and `scalinglab runs "
        f"--store {quoted} --status failed` list them, and `scalinglab ladder status --store "
        f"{quoted}` says why a rung stopped; to fit, train a ladder into it (`scalinglab "
        f"ladder run LADDER --store {quoted}`)"
    ) in err
    assert "to fill it" not in err


def test_a_store_emptied_of_runs_says_how_to_fill_it(tmp_path: Path) -> None:
    path = _rungs(tmp_path / "s.duckdb", {"w16-d1": "failed"})
    store = RunStore(path)
    store.delete_run("id0")
    with pytest.raises(StoreError) as err:
        store.to_run_table()
    assert err.value.message == f"{path}: no runs in the store"
    assert err.value.hint == (
        f"train a ladder into it (`scalinglab ladder run LADDER --store {path}`) or ingest "
        f"finished runs (`scalinglab ingest RUNS --store {path}`)"
    )


def test_runs_ingested_not_finished_are_named_without_the_ladder_hint(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_run(StoredRun(run_id="a", name="crashed-run", params=1e6, tokens=2e7,
                            loss=math.nan, status="failed", source="mlruns"))  # fmt: skip
    with pytest.raises(StoreError) as err:
        store.to_run_table()
    assert err.value.message.endswith("it holds 1 run of other statuses: 1 failed (crashed-run)")
    assert "ladder status" not in err.value.hint
    assert err.value.hint.startswith(f"`scalinglab runs --store {store.path} --status failed`")
