"""Runs deleted from a source since it was ingested: ingest names them and how to remove
them, and `scalinglab runs rm` does; a copy of a file stored twice says how to keep one."""

from __future__ import annotations

import importlib.util
import shlex
import shutil
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._ingest_sources import ladder, write_tensorboard

from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _write(path: Path, names: list[str]) -> Path:
    k = pd.Series(range(len(names)), dtype=float)
    frame = pd.DataFrame({"run": names, "params": 1e7 * 2**k, "tokens": 2e8 * 2**k})
    frame.assign(loss=3.0 - 0.1 * k).to_csv(path, index=False)
    return path


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_runs_deleted_from_the_file_are_named_and_removed_on_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = _write(tmp_path / "named.csv", ["a", "b", "c"])
    store = tmp_path / "s.duckdb"
    ingest(table, store=store)
    _write(table, ["a", "b"])  # c deleted from the file
    result = ingest(table, store=store)
    assert (
        f"1 stored run of {table} no longer in it: c; it stays in the store "
        f"(`scalinglab runs rm --store {store} c` removes it)"
    ) in result.notes
    code, out, err = cli(capsys, "runs", "rm", "--store", str(store), "c")
    assert code == 0 and "removed 1 run from" in out, err
    assert sorted(r.name for r in RunStore(store).runs()) == ["a", "b"]
    again = ingest(table, store=store)
    assert not any("no longer" in note for note in again.notes)


def test_runs_of_another_file_are_not_named_as_gone(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    ingest(_write(tmp_path / "one.csv", ["a", "b"]), store=store)
    result = ingest(_write(tmp_path / "two.csv", ["x"]), store=store)
    assert not any("no longer" in note for note in result.notes)


def test_a_copy_stored_twice_says_how_to_remove_one(tmp_path: Path) -> None:
    table = _write(tmp_path / "ot.csv", ["a", "b"])
    copy = tmp_path / "ot_copy.csv"
    shutil.copyfile(table, copy)
    store = tmp_path / "s.duckdb"
    ingest(table, store=store)
    note = next(n for n in ingest(copy, store=store).notes if "identical" in n)
    assert note.endswith(
        "to keep one copy, remove the other file's runs "
        f"(`scalinglab runs rm --store {store} --source FILE`)"
    )
    assert len(RunStore(store).remove_runs(source=copy)) == 2
    assert sorted(r.source for r in RunStore(store).runs()) == [str(table)] * 2


@pytest.mark.skipif(
    importlib.util.find_spec("tensorboard") is None,
    reason="the tensorboard package is the [trackers] extra",
)
@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_a_folders_runs_are_removed_by_the_folder_and_named_when_gone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """TensorBoard runs store each run's own folder as their source: the folder ingested
    still names them, for runs rm --source and for the runs gone from it since."""
    folder, store = tmp_path / "tb", tmp_path / "s.duckdb"
    write_tensorboard(folder, ladder(n_sizes=3, ratios=(20.0,)))
    ingest(folder, store=store)
    ingest(_write(folder / "table.csv", ["a"]), store=store)  # a table in it: not its run
    shutil.rmtree(folder / "n2-r0")
    result = ingest(folder, store=store)
    assert (
        f"1 stored run of {folder} no longer in it: n2-r0; it stays in the store "
        f"(`scalinglab runs rm --store {store} n2-r0` removes it)"
    ) in result.notes
    code, out, err = cli(capsys, "runs", "rm", "--store", str(store), "--source", str(folder))
    assert code == 0 and "removed 4 runs" in " ".join(out.split()), err
    assert RunStore(store).runs() == []


@pytest.mark.skipif(
    importlib.util.find_spec("tensorboard") is None,
    reason="the tensorboard package is the [trackers] extra",
)
@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_a_copied_folder_of_runs_names_the_folder_ingested_before(tmp_path: Path) -> None:
    """The copies of a TensorBoard folder's runs are named by the folder ingested, not each
    run's folder ("tb/n0-r0 (1), tb/n1-r0 (1), ..."), and the command to remove one copy
    takes a folder: pasted into it, the folder named removes those runs."""
    first, again, store = tmp_path / "tb", tmp_path / "tb2", tmp_path / "s.duckdb"
    runs = ladder(n_sizes=2, ratios=(20.0,))
    write_tensorboard(first, runs)
    write_tensorboard(again, runs)  # written again: event files of their own, other keys
    ingest(first, store=store)
    note = next(n for n in ingest(again, store=store).notes if "identical" in n)
    assert note == (
        f"2 runs of {again} are identical (same name, params, tokens, loss) to runs stored "
        f"from {first}: the store holds both copies (`scalinglab runs` lists them) and fits "
        "over it count each run once; to keep one copy, remove the other folder's runs "
        f"(`scalinglab runs rm --store {store} --source FOLDER`)"
    )
    assert len(RunStore(store).remove_runs(source=first)) == 2
    assert {Path(str(r.source)).parent for r in RunStore(store).runs()} == {again}


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_the_rm_command_of_gone_runs_runs_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Names with spaces or quotes are quoted, and a name another stored run has too is
    given by id, so the command removes exactly the runs named."""
    store = tmp_path / "my store.duckdb"
    table = _write(tmp_path / "named.csv", ["keep", "run 'b'", "twin"])
    ingest(table, store=store)
    ingest(_write(tmp_path / "other.csv", ["twin"]), store=store)
    _write(table, ["keep"])
    note = next(n for n in ingest(table, store=store).notes if "no longer in it" in n)
    twin = next(
        r.run_id for r in RunStore(store).runs() if r.name == "twin" and r.source == str(table)
    )
    assert note.endswith(
        f"(`scalinglab runs rm --store '{store}' 'run '\"'\"'b'\"'\"'' {twin}` removes them)"
    )
    code, out, err = cli(capsys, *shlex.split(note.split("`")[1])[1:])
    assert code == 0 and "removed 2 runs" in " ".join(out.split()), err
    assert sorted((r.name, r.source) for r in RunStore(store).runs()) == [
        ("keep", str(table)), ("twin", str(tmp_path / "other.csv"))
    ]  # fmt: skip


def test_a_source_that_is_no_path_is_never_inside_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`runs rm --source .` removed a ladder's runs: `ladder:tiny` read as `./ladder:tiny`."""
    from scalinglab.store._sources import same_source

    monkeypatch.chdir(tmp_path)
    (tmp_path / "tb" / "n0-r0").mkdir(parents=True)
    assert not same_source("ladder:tiny", ".")
    assert not same_source("ladder:tiny", str(tmp_path))
    assert same_source("ladder:tiny", "ladder:tiny")
    assert same_source("tb/n0-r0", "tb") and same_source("tb/n0-r0", ".")
    assert same_source(str(tmp_path / "tb" / "n1"), "tb")
    assert not same_source("/elsewhere/other.csv", ".")
    assert same_source("gone/n0", "gone")  # the folder is gone: by the paths' text
    # a run gone from the folder ingested is found by ingest's note, `.` and ../x too
    assert same_source("tb/n9-gone", "tb") and same_source("tb/n9-gone", ".")
    assert same_source("../data/tb/n9", "../data/tb")
    assert same_source(str(tmp_path / "gone2" / "n0"), "gone2")
    # removing: from another folder, `.` holds none of the relative sources stored here
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert not same_source("tb/n0-r0", ".", removing=True)
    assert not same_source("tb", ".", removing=True)
    assert same_source("tb/n9-gone", "tb", removing=True)  # a folder given by name: its text
