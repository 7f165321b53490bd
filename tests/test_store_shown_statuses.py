"""``interrupted`` is a status ``runs`` shows a stopped ladder rung with, never one the store
keeps: a table's (or ``runs --json``'s) ``interrupted`` run is ingested ``failed``, as
``killed`` is, and each place that takes a stored status says what it is kept as."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.ingest import ingest
from scalinglab.store import RunStore, StoredRun

#: What every refusal of ``interrupted`` says after the stored statuses.
KEPT_AS = (
    "status must be one of pending, running, finished, failed, diverged, not 'interrupted': "
    "a ladder rung its driver stopped is stored 'pending' (or 'running' with no worker left) "
    "and shown 'interrupted'; an ingested run a table or tracker calls interrupted is stored "
    "'failed'"
)


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    table = tmp_path / "runs.csv"
    table.write_text(
        "run,params,tokens,loss,status\na,1e6,2e7,3.1,finished\nb,2e6,4e7,2.9,finished\n"
        "c,4e6,8e7,2.7,interrupted\nd,8e6,1.6e8,2.6,finished\n"
    )
    result = ingest(table, store=tmp_path / "s.duckdb")
    assert (
        "stored 1 run as not finished, as column 'status' says: 1 failed (1 interrupted: c); "
        f"a fit of the store leaves it out (`scalinglab runs --store {tmp_path / 's.duckdb'} "
        "--status failed` lists it)"
    ) in result.notes
    return RunStore(tmp_path / "s.duckdb")


def test_a_tables_interrupted_run_is_stored_failed_and_left_out_of_a_fit(store: RunStore) -> None:
    assert {r.name: r.status for r in store.runs()} == {
        "a": "finished", "b": "finished", "c": "failed", "d": "finished",
    }  # fmt: skip
    assert sorted(store.to_run_table().runs) == ["a", "b", "d"]  # was fitted as finished


def test_the_store_says_what_interrupted_is_kept_as(store: RunStore) -> None:
    with pytest.raises(ConfigError) as caught:
        store.runs(status="interrupted")
    assert caught.value.message == KEPT_AS
    shown = "`scalinglab runs --status interrupted` lists the runs shown interrupted"
    assert caught.value.hint == shown
    with pytest.raises(ConfigError) as caught:
        store.set_status(store.runs()[0].run_id, "interrupted")
    assert caught.value.message == KEPT_AS
    with pytest.raises(ValueError, match=r"^status must be") as error:
        StoredRun(run_id="r", name="r", status="interrupted")
    assert str(error.value) == KEPT_AS
    with pytest.raises(ConfigError) as caught:  # any other word: the list alone
        store.runs(status="done")
    assert caught.value.message.endswith("diverged, not 'done'")


def test_where_status_interrupted_names_what_it_is_stored_as(
    store: RunStore, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--store", str(store.path), "--where", "status=interrupted"]
    code, _, said = cli(capsys, "runs", *where, one_line=True)
    assert code == 2
    assert f"error: --where status=interrupted: no run in {store.path} is shown " in said
    assert "an ingested run a table or tracker calls interrupted is stored 'failed'" in said
