"""Ingest of a W&B export whose runs did not all finish (a table with ``name`` and ``State``
is one): the runs stored as not finished are counted in a note, as a plain table's state
column has them counted, and where the store's one status holds several of W&B's states
(``failed``: crashed, killed, preempted, failed) the note says what each run was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: (name, state) of the runs: six not finished, of four W&B states that are one store status.
STATES = [
    ("r1", "running"), ("r2", "finished"), ("r3", "crashed"), ("r4", "finished"),
    ("r5", "failed"), ("r6", "killed"), ("r7", "finished"), ("r8", "preempted"),
    ("r9", "diverged"), ("r10", "finished"),
]  # fmt: skip


def _counted(store: Path) -> str:
    """The count of the runs not finished, and the commands listing them in ``store``."""
    runs = f"`scalinglab runs --store {store} --status"
    return (
        "1 running (r1); 4 failed (1 crashed, 1 failed, 1 killed, 1 preempted: r3, r5, r6 and "
        f"1 more); 1 diverged (r9); a fit of the store leaves them out ({runs} running` and "
        f"{runs} failed` and {runs} diverged` list them)"
    )


def _rows() -> list[tuple[str, str, float, float, float]]:
    out = []
    for k, (name, state) in enumerate(STATES):
        n = 1e7 * (k + 1)
        out.append((name, state, n, 20 * n, 1.7 + 400 * n**-0.34 + 410 * (20 * n) ** -0.28))
    return out


def test_the_csv_states_are_counted_as_a_tables_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "state.csv"
    lines = ["name,params,tokens,loss,State"]
    lines += [f"{n},{p:g},{d:g},{loss!r},{s}" for n, s, p, d, loss in _rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code, out, err = cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert "(wandb) into" in out  # read as a W&B export
    assert f"note: stored 6 runs as not finished, as column 'State' says: {_counted(store)}" in (
        " ".join(out.split())
    )
    stored = {r.name: r.status for r in RunStore(store).runs()}
    assert [stored[n] for n in ("r1", "r3", "r5", "r6", "r8", "r9")] == [
        "running", "failed", "failed", "failed", "failed", "diverged",
    ]  # fmt: skip
    # the same table with a status column, read as a plain table: the same count
    plain = tmp_path / "status.csv"
    plain.write_text(path.read_text(encoding="utf-8").replace(",State\n", ",status\n"))
    result = ingest(plain, store=tmp_path / "p.duckdb")
    assert result.kind == "table"
    counted = _counted(tmp_path / "p.duckdb")
    assert f"stored 6 runs as not finished, as column 'status' says: {counted}" in result.notes


def test_the_api_json_says_the_runs_state(tmp_path: Path) -> None:
    path = tmp_path / "runs.json"
    runs = [
        {"name": n, "id": f"id{k}", "state": s, "config": {"params": p, "tokens": d},
         "summary": {"loss": loss}}
        for k, (n, s, p, d, loss) in enumerate(_rows())
    ]  # fmt: skip
    path.write_text(json.dumps(runs), encoding="utf-8")
    result = ingest(path, store=tmp_path / "s.duckdb")
    counted = _counted(tmp_path / "s.duckdb")
    assert f"stored 6 runs as not finished, as the runs' state says: {counted}" in result.notes


def test_every_run_finished_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state.csv"
    lines = ["name,params,tokens,loss,State"]
    lines += [f"{n},{p:g},{d:g},{loss!r},finished" for n, _, p, d, loss in _rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert not [n for n in result.notes if "not finished" in n]


def test_a_running_run_stored_diverged_is_not_counted_running(tmp_path: Path) -> None:
    """A run W&B calls running whose loss is NaN is stored 'diverged': the note counting the
    runs stored as not finished names it apart with its real status (it counted it as stored
    'running')."""
    path = tmp_path / "state.csv"
    path.write_text(
        "name,params,tokens,loss,State\n"
        "a,7e7,1.4e9,nan,running\nb,7e7,1.4e9,3.2,running\nc,7e7,1.4e9,3.1,finished\n",
        encoding="utf-8",
    )
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert result.kind == "wandb"
    assert [n for n in result.notes if "did not finish" in n or "not finished" in n] == [
        "stored 1 run as not finished, as column 'State' says: 1 running (b); a fit of the "
        f"store leaves it out (`scalinglab runs --store {tmp_path / 's.duckdb'} --status "
        "running` lists it)",
        "1 run column 'State' says did not finish (a: running) is stored 'diverged', not "
        "as that state: its loss diverged (see the warning on diverged runs)",
    ]
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored == {"a": "diverged", "b": "running", "c": "finished"}
