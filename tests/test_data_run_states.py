"""A run table's state column (W&B's ``State``, a ``status`` column): the runs that did not
finish are left out of a fit of the table, named with their count per state in the words a
fit of the store uses, and an ingest of a plain table stores each with its status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab import DataError
from scalinglab.data import read_runs
from scalinglab.data._run_states import store_status
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: A W&B run-table export's columns (Name, State, config and summary keys), 8 runs.
STATES = ["finished", "crashed", "finished", "running", "finished", "finished", "finished",
          "Finished"]  # fmt: skip


def _export(path: Path, states: list[str], *, column: str = "State") -> Path:
    n = np.repeat([2e7, 5e7, 1.25e8, 3.5e8], 2)
    d = n * np.tile([20.0, 80.0], 4)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    loss[3] += 1.0  # the running run's loss is not final yet: far above the law, diverged
    # by the trend were it finished (26% above it; at most 17% expected)
    frame = pd.DataFrame({"Name": [f"gpt-{k}" for k in range(8)], column: states})
    frame["model/params"], frame["train/tokens_seen"], frame["eval/loss"] = n, d, loss
    frame.to_csv(path, index=False)
    return path


def test_runs_that_did_not_finish_are_left_out_of_a_fit_of_the_table(tmp_path: Path) -> None:
    path = _export(tmp_path / "wandb.csv", STATES)
    table = read_runs(path)
    assert table.runs == ("gpt-0", "gpt-2", "gpt-4", "gpt-5", "gpt-6", "gpt-7")
    assert table.rows == (2, 4, 6, 7, 8, 9)
    assert (
        "left out 2 runs that are not finished: 1 crashed (gpt-1); 1 running (gpt-3) "
        "(as column 'State' says)"
    ) in table.notes
    result = scalinglab.fit("E + A*N**-alpha + B*D**-beta", path, bootstrap=0)
    assert "gpt-3" not in result.runs and len(result.runs) == 6


def test_the_fit_and_its_report_say_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from scalinglab.report._html_sections import data_section

    path = _export(tmp_path / "wandb.csv", STATES)
    code, out, _ = cli(capsys, "fit", str(path), "--bootstrap", "0", "--law", "chinchilla")
    assert code == 0
    assert f"data: {path} (6 runs)" in out
    assert "note: left out 2 runs that are not finished: 1 crashed (gpt-1); 1 running" in out
    runs = read_runs(path)
    result = scalinglab.fit("chinchilla", runs, bootstrap=0)
    table, notes = data_section(result, runs, y="loss").body.split("</table>")
    assert "<td>gpt-5</td>" in table and "gpt-3" not in table and "gpt-1" not in table
    assert "left out 2 runs that are not finished" in notes  # named there, not as fitted


def test_a_status_column_of_other_words_is_no_state_column(tmp_path: Path) -> None:
    path = _export(tmp_path / "runs.csv", ["baseline", "ablation"] * 4, column="status")
    table = read_runs(path)
    assert len(table) == 8
    assert not [n for n in table.notes if "not finished" in n]
    assert table.labels["status"][:2] == ("baseline", "ablation")


def test_a_table_whose_runs_all_are_running_is_refused(tmp_path: Path) -> None:
    path = _export(tmp_path / "runs.csv", ["running"] * 8, column="status")
    with pytest.raises(DataError) as info:
        read_runs(path)
    assert info.value.message == (
        f"{path}, column 'status': no run finished: 8 running (gpt-0, gpt-1, gpt-2 and 5 more)"
    )
    assert info.value.hint == (
        "fit the runs once they finish: a run's loss before then is not its final loss"
    )


@pytest.mark.parametrize(
    ("state", "status"),
    [("Finished", "finished"), ("success", "finished"), ("CRASHED", "failed"),
     ("preempted", "failed"), ("killed", "failed"), ("diverged", "diverged"),
     ("running", "running"), ("", "finished"), ("Interrupted", "failed")],
)  # fmt: skip
def test_a_state_is_the_store_status_ingest_gives_it(state: str, status: str) -> None:
    assert store_status(state) == status


def test_an_ingest_of_a_plain_table_stores_each_run_with_its_status(tmp_path: Path) -> None:
    frame = pd.read_csv(_export(tmp_path / "w.csv", STATES))
    frame.columns = ["name", "status", "params", "tokens", "loss"]  # a plain table's names
    path, stateless = tmp_path / "runs.csv", tmp_path / "finished.csv"
    frame.to_csv(path, index=False)
    frame.drop(columns="status").to_csv(stateless, index=False)
    flagged = ingest(stateless, store=tmp_path / "other.duckdb").notes
    assert [
        n for n in flagged if n.startswith("run 'gpt-3' (row 5 of finished.csv) looks diverged")
    ]
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(path, store=store.path)
    assert result.kind == "table" and len(result.written.added) == 8
    assert (
        "stored 2 runs as not finished, as column 'status' says: 1 failed (1 crashed: gpt-1); "
        f"1 running (gpt-3); a fit of the store leaves them out (`scalinglab runs --store "
        f"{store.path} --status failed` and `scalinglab runs --store {store.path} --status "
        "running` list them)"
    ) in result.notes
    assert not [n for n in result.notes if "looks diverged" in n]  # gpt-3 did not finish
    stored = {r.name: r for r in store.runs()}
    assert stored["gpt-1"].status == "failed" and stored["gpt-3"].status == "running"
    assert "status" not in stored["gpt-0"].config  # the status says it, not a label
    table = store.to_run_table()
    assert len(table) == 6
    assert _left_out(store.path) in table.notes


def _left_out(store: Path) -> str:
    """The store's note on STATES' two runs that did not finish (a failed and a running
    one), with the command that lists each status."""
    return (
        "left out 2 stored runs that are not finished: 1 failed (gpt-1); 1 running (gpt-3) "
        f"(`scalinglab runs --store {store} --status failed` and `scalinglab runs "
        f"--store {store} --status running` list them)"
    )


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_a_run_stored_from_two_sources_is_left_out_once(tmp_path: Path) -> None:
    """An export ingested twice (under two names) holds each run twice; a fit counts a
    finished run once, and names a run that did not finish once too, not ``1 failed``
    twice over (``2 failed (gpt-1, gpt-1)``)."""
    path = _export(tmp_path / "wandb.csv", STATES)
    copy = tmp_path / "wandb_again.csv"
    copy.write_bytes(path.read_bytes())
    store = RunStore(tmp_path / "s.duckdb")
    for source in (path, copy):
        ingest(source, store=store.path)
    table = store.to_run_table()
    assert len(table) == 6
    assert _left_out(store.path) in table.notes
    assert sorted(run for run, _ in table.skipped) == ["gpt-1", "gpt-3"]
