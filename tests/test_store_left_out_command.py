"""A fit of a store names the runs it leaves out for their status and the exact command that
lists them, for the store it read and the status they have (``scalinglab runs --store
st.duckdb --status failed``), one run said as ``it``: it said "(`scalinglab runs --status
STATUS` lists them)" for any count, with a literal STATUS and no store. An ingest's note on
the runs it stores not finished names the same commands, for the store it wrote."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_store import _ladder_runs

from scalinglab.store import RunStore, StoredRun


def _store(path: Path, statuses: tuple[str, ...]) -> RunStore:
    store = RunStore(path)
    others = [
        StoredRun(run_id=f"x{k}", name=f"x{k}", status=status, params=1e9, tokens=2e10)
        for k, status in enumerate(statuses)
    ]
    store.put_runs([(r, None) for r in [*_ladder_runs(), *others]])
    return store


def test_one_run_left_out_names_the_command_for_its_status(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _store(Path("st.duckdb"), ("failed",))
    code, out, err = cli(capsys, "fit", "--store", "st.duckdb", "--bootstrap", "0")
    command = "scalinglab runs --store st.duckdb --status failed"
    assert code == 0, err
    assert (
        f"note: left out 1 stored run that is not finished: 1 failed (x0) (`{command}` lists it)"
        in out.splitlines()
    )
    code, out, _ = cli(capsys, *shlex.split(command)[1:])  # as pasted: it lists that run
    assert code == 0 and "1 run in st.duckdb" in out and "x0" in out


def test_a_path_to_quote_is_quoted(tmp_path: Path) -> None:
    store = _store(tmp_path / "my runs.duckdb", ("running", "running"))
    quoted = shlex.quote(str(store.path))
    assert (
        f"left out 2 stored runs that are not finished: 2 running (x0, x1) (`scalinglab runs "
        f"--store {quoted} --status running` lists them)"
    ) in store.to_run_table().notes


def test_an_ingest_names_the_command_for_each_status_it_stored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("runs.csv").write_text(
        "run,status,params,tokens,loss\na,finished,1e7,2e8,4.0\nb,crashed,2e7,4e8,3.7\n"
        "c,running,4e7,8e8,3.5\nd,finished,8e7,1.6e9,3.2\n"
    )
    code, out, err = cli(capsys, "ingest", "runs.csv", "--store", "my runs.duckdb")
    failed, running = (f"scalinglab runs --store 'my runs.duckdb' --status {s}"
                       for s in ("failed", "running"))  # fmt: skip
    assert code == 0, err
    assert (
        "note: stored 2 runs as not finished, as column 'status' says: 1 failed (1 crashed: "
        f"b); 1 running (c); a fit of the store leaves them out (`{failed}` and `{running}` "
        "list them)"
    ) in " ".join(out.split())
    for command, run in ((failed, "b"), (running, "c")):  # as pasted: each lists its run
        code, out, _ = cli(capsys, *shlex.split(command)[1:])
        assert code == 0 and "1 run in my runs.duckdb" in out and f" {run} " in out, out
