"""``runs --status VALUE`` that lists no run says so, in place of a table's head alone: the
store's runs counted by the status each is shown with, and the ``--status`` values that list
them; ``--json`` keeps its empty list on stdout and says it on stderr."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun


def _store(path: Path, statuses: list[str]) -> Path:
    """Ladder rungs w16-d1, w32-d1, ... (by size) of ``statuses``, none with a loss."""
    store = RunStore(path)
    for k, status in enumerate(statuses):
        n = 1e4 * 2**k
        store.put_run(StoredRun(run_id=f"id{k}", name=f"w{16 * (k + 1)}-d1", params=n,
                                tokens=5 * n, loss=math.nan, status=status,
                                source="ladder:mine"))  # fmt: skip
    return path


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_no_finished_run_is_said_with_the_statuses_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path / "s.duckdb", ["diverged", "failed", "diverged"])
    code, out, err = cli(capsys, "runs", "--store", str(path), "--status", "finished")
    said = (
        f"no run in {path} has status finished; its 3 runs: 1 failed (w32-d1); 2 diverged "
        "(w16-d1, w48-d1). --status failed or --status diverged list them"
    )
    assert code == 0 and " ".join(out.split()) == said and err == ""
    assert "┃" not in out  # no table's head
    # each value it names lists as many runs as it counts
    for status, names in (("failed", ["w32-d1"]), ("diverged", ["w16-d1", "w48-d1"])):
        code, out, _ = cli(capsys, "runs", "--store", str(path), "--status", status, "--json")
        assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == names
    # --json: the empty list alone on stdout, the line as a note on stderr
    code, out, err = cli(capsys, "runs", "--store", str(path), "--status", "Finished", "--json")
    assert code == 0 and json.loads(out)["runs"] == []
    assert " ".join(err.split()) == f"note: {said}"


def test_one_run_of_another_status_is_it_and_a_store_of_none_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path / "one.duckdb", ["failed"])
    code, out, _ = cli(capsys, "runs", "--store", str(path), "--status", "diverged")
    assert code == 0 and " ".join(out.split()) == (
        f"no run in {path} has status diverged; its 1 run: 1 failed (w16-d1). "
        "--status failed lists it"
    )
    RunStore(path).delete_run("id0")
    code, out, _ = cli(capsys, "runs", "--store", str(path), "--status", "finished")
    assert code == 0 and " ".join(out.split()) == (
        f"no run in {path} has status finished: it holds no run (`scalinglab ingest` or "
        "`scalinglab ladder run` fills it)"
    )
    # plain `runs` on the emptied store: said so too, where a table's head alone was printed
    code, out, _ = cli(capsys, "runs", "--store", str(path))
    assert code == 0 and " ".join(out.split()) == (
        f"{path} holds no run (`scalinglab ingest` or `scalinglab ladder run` fills it)"
    )
    code, out, err = cli(capsys, "runs", "--store", str(path), "--json")
    assert code == 0 and json.loads(out)["runs"] == [] and "holds no run" in err


def test_a_status_that_lists_runs_still_prints_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store(tmp_path / "s.duckdb", ["failed", "diverged"])
    code, out, _ = cli(capsys, "runs", "--store", str(path), "--status", "failed")
    assert code == 0 and out.startswith("1 run in") and "│ w16-d1 │ failed" in out
    assert "no run in" not in out and "w32-d1" not in out
