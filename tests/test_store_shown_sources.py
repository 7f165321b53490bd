"""Messages that name where a stored run came from name it as ``scalinglab runs`` shows it
from the folder the command runs in (a relative source joined to its ingest's folder), so
the text pasted into ``runs rm --source`` selects that run: they named the source as typed
at ingest (``one.csv``), which from another folder is another file or none."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.cli import main
from scalinglab.store import RunStore


def _two_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A store holding runs 'a' and 'b' twice, from ``one.csv`` and ``two.csv`` ingested by
    relative paths in ``tmp_path/exp``; the command then runs in ``tmp_path/elsewhere``."""
    exp, elsewhere = tmp_path / "exp", tmp_path / "elsewhere"
    exp.mkdir()
    elsewhere.mkdir()
    runs = pd.DataFrame({"run": ["a", "b"], "params": [1e7, 1e8], "tokens": [2e8, 2e9],
                         "loss": [4.0, 3.2]})  # fmt: skip
    runs.to_csv(exp / "one.csv", index=False)
    runs.assign(loss=[4.01, 3.21]).to_csv(exp / "two.csv", index=False)
    store = tmp_path / "s.duckdb"
    monkeypatch.chdir(exp)
    for name in ("one.csv", "two.csv"):
        assert main(["ingest", name, "--store", str(store)]) == 0
    monkeypatch.chdir(elsewhere)
    return store, exp


@pytest.mark.heavy  # two ingests and two commands: about 1.5 s
def test_a_shared_name_names_each_source_as_runs_shows_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, exp = _two_copies(tmp_path, monkeypatch)
    capsys.readouterr()
    code, _, err = cli(capsys, "runs", "rm", "a", "--store", str(store), one_line=True)
    assert code == 2
    ids = {(r.name, Path(str(r.source)).name): r.run_id for r in RunStore(store).runs()}
    assert (
        f"2 stored runs are named 'a': {ids['a', 'one.csv']} (from {exp / 'one.csv'}), "
        f"{ids['a', 'two.csv']} (from {exp / 'two.csv'})"
    ) in err
    # the source named, pasted into --source, selects that run from here
    code, out, err = cli(
        capsys, "runs", "rm", "--store", str(store), "--source", str(exp / "two.csv"),
        "--dry-run", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert f'"run_id": "{ids["a", "two.csv"]}"' in out
    assert ids["a", "one.csv"] not in out


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_evaluations_of_a_shared_name_name_each_source_as_runs_shows_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, exp = _two_copies(tmp_path, monkeypatch)
    evals = tmp_path / "elsewhere" / "evals.csv"
    evals.write_text("run,task,metric,value\na,piqa,acc,0.6\n")
    capsys.readouterr()
    code, _, err = cli(capsys, "ingest", "evals.csv", "--store", str(store), one_line=True)
    assert code == 2
    ids = {(r.name, Path(str(r.source)).name): r.run_id for r in RunStore(store).runs()}
    assert (
        f"'a': {ids['a', 'one.csv']} from {exp / 'one.csv'}, "
        f"{ids['a', 'two.csv']} from {exp / 'two.csv'}"
    ) in err


def test_named_runs_left_out_by_a_source_name_theirs_as_runs_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, exp = _two_copies(tmp_path, monkeypatch)
    ids = {(r.name, Path(str(r.source)).name): r.run_id for r in RunStore(store).runs()}
    with pytest.warns(UserWarning, match="not stored from") as said:
        gone = RunStore(store).remove_runs(
            [ids["a", "one.csv"], ids["b", "two.csv"]], source=exp / "two.csv", dry_run=True
        )
    assert [r.run_id for r in gone] == [ids["b", "two.csv"]]
    assert f"{ids['a', 'one.csv']} (stored from {exp / 'one.csv'})" in str(said[0].message)
