"""Runs ingested by a relative path: stored as typed, with the folder the ingest ran in, so
`runs rm --source` and `runs --where source=` find them from any folder, and an ingest of
the same relative path from another folder is a move; runs stored before the folder was
recorded keep matching by their text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab._errors import StoreError
from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _write(path: Path, names: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    k = pd.Series(range(len(names)), dtype=float)
    frame = pd.DataFrame({"run": names, "params": 1e7 * 2**k, "tokens": 2e8 * 2**k})
    frame.assign(loss=3.0 - 0.1 * k).to_csv(path, index=False)
    return path


def _experiment(tmp_path: Path) -> Path:
    exp = tmp_path / "exp"
    _write(exp / "runs" / "a.csv", ["a", "b"])
    _write(exp / "runs" / "b.csv", ["c"])
    return exp


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_a_relative_source_is_found_from_another_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, store = _experiment(tmp_path), str(tmp_path / "s.duckdb")
    monkeypatch.chdir(exp)
    for name in ("runs/a.csv", "runs/b.csv"):
        ingest(name, store=store)
    stored = RunStore(store).runs()
    assert sorted({r.source for r in stored}) == ["runs/a.csv", "runs/b.csv"]  # as typed
    assert {r.extra["ingested_in"] for r in stored} == {str(exp)}
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    # the text typed at ingest names another file from here: no run came from it, and the
    # hint gives the stored sources nearest to it as the full paths they are
    code, _, err = cli(
        capsys, "runs", "rm", "--store", store, "--source", "runs/a.csv", one_line=True
    )
    assert code == 2 and f"{store}: no stored run came from runs/a.csv" in err
    a, b = exp / "runs" / "a.csv", exp / "runs" / "b.csv"
    assert f"the stored sources nearest to it are {a}, {b}" in err
    code, out, err = cli(capsys, "runs", "--store", store, "--where", "source=../exp/runs/a.csv",
                         "--json")  # fmt: skip
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["a", "b"], err
    code, _, err = cli(capsys, "runs", "--store", store, "--where", "source=runs/a.csv",
                       one_line=True)  # fmt: skip
    assert code == 2 and "--where source=runs/a.csv: no stored run came from runs/a.csv" in err
    assert f"nearest to it are {a}, {b}" in err
    code, out, err = cli(capsys, "runs", "rm", "--store", store, "--source", "../exp/runs/a.csv")
    assert code == 0 and "removed 2 runs" in " ".join(out.split()), err
    b.unlink()  # a folder given: every run stored from inside it, the file gone or not
    code, out, err = cli(capsys, "runs", "rm", "--store", store, "--source", str(exp / "runs"))
    assert code == 0 and "removed 1 run from" in " ".join(out.split()), err
    assert RunStore(store).runs() == []


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_the_same_relative_path_from_another_folder_is_a_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, store = _experiment(tmp_path), tmp_path / "s.duckdb"
    monkeypatch.chdir(exp)
    ingest("runs/a.csv", store=store)
    again = ingest("runs/a.csv", store=store).written  # from the same folder: unchanged
    assert len(again.unchanged) == 2 and again.moved == ()
    shutil.copytree(exp, tmp_path / "exp2")
    monkeypatch.chdir(tmp_path / "exp2")
    result = ingest("runs/a.csv", store=store)
    assert len(result.written.moved) == 2 and result.written.unchanged == ()
    assert result.written.updated == () and result.written.filled == ()
    old = exp / "runs" / "a.csv"  # still there: another file of the same name
    assert (
        f"2 stored runs of {old} found again, unchanged, in runs/a.csv, another file of the "
        f"same name ({old} is still there): their source is now runs/a.csv"
    ) in result.notes
    stored = RunStore(store).runs()
    assert {(r.source, r.extra["ingested_in"]) for r in stored} == {
        ("runs/a.csv", str(tmp_path / "exp2"))
    }
    third = ingest("runs/a.csv", store=store).written
    assert len(third.unchanged) == 2 and third.moved == ()
    # the same file typed another way from another folder: unchanged, stored as it was
    monkeypatch.chdir(tmp_path)
    fourth = ingest("exp2/runs/a.csv", store=store).written
    assert len(fourth.unchanged) == 2 and fourth.moved == ()
    assert {r.source for r in RunStore(store).runs()} == {"runs/a.csv"}


def _as_stored_before(store: Path) -> None:
    """The store as the version before the folder was recorded wrote it: the same rows
    (and content hashes) less ``extra["ingested_in"]``."""
    with duckdb.connect(str(store)) as con:
        for run_id, extra in con.execute("SELECT run_id, extra FROM runs").fetchall():
            data = json.loads(extra)
            data.pop("ingested_in")
            con.execute(
                "UPDATE runs SET extra = ? WHERE run_id = ?",
                [json.dumps(data, sort_keys=True), run_id],
            )


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_runs_stored_without_their_folder_keep_matching_by_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, store = _experiment(tmp_path), tmp_path / "s.duckdb"
    monkeypatch.chdir(exp)
    ingest("runs/a.csv", store=store)
    ingest("runs/b.csv", store=store)
    _as_stored_before(store)
    assert all("ingested_in" not in r.extra for r in RunStore(store).runs())
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, _, err = cli(capsys, "runs", "rm", "--store", str(store), "--source", ".")
    assert code == 2 and "no stored run came from ." in err  # not every relative source
    code, out, err = cli(capsys, "runs", "rm", "--store", str(store), "--source", "runs/a.csv")
    assert code == 0 and "removed 2 runs" in " ".join(out.split()), err  # as typed
    code, out, err = cli(capsys, "runs", "--store", str(store), "--where", "source=runs/b.csv",
                         "--json")  # fmt: skip
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["c"], err


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_an_unchanged_reingest_records_the_folder_of_runs_stored_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found again unchanged from their folder, old runs get the folder (and are still
    counted unchanged, their content hash and updated_at as stored); from then on they
    match as the full path they name, from any folder."""
    exp, store = _experiment(tmp_path), tmp_path / "s.duckdb"
    monkeypatch.chdir(exp)
    ingest("runs/a.csv", store=store)
    ingest("runs/b.csv", store=store)
    _as_stored_before(store)
    query = "SELECT run_id, content_hash, updated_at FROM runs ORDER BY run_id"
    with duckdb.connect(str(store), read_only=True) as con:
        before = con.execute(query).fetchall()
    again = ingest("runs/a.csv", store=store)  # an old run found again: not moved
    assert len(again.written.unchanged) == 2 and again.written.moved == ()
    assert again.written.filled == () and again.written.updated == ()
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute(query).fetchall() == before
    folders = {r.name: r.extra.get("ingested_in") for r in RunStore(store).runs()}
    assert folders == {"a": str(exp), "b": str(exp), "c": None}  # b.csv: not ingested again
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, _, err = cli(capsys, "runs", "rm", "--store", str(store), "--source", "runs/a.csv",
                       one_line=True)  # fmt: skip
    assert code == 2 and "no stored run came from runs/a.csv" in err, err  # not the text now
    code, out, err = cli(
        capsys, "runs", "rm", "--store", str(store), "--source", "../exp/runs/a.csv"
    )
    assert code == 0 and "removed 2 runs" in " ".join(out.split()), err
    code, out, err = cli(capsys, "runs", "--store", str(store), "--where", "source=runs/b.csv",
                         "--json")  # fmt: skip
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["c"], err


def test_the_hint_of_a_store_of_runs_with_and_without_their_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs stored before the folder was recorded beside runs stored with it: the hint of
    a source no run came from was an internal error (a TypeError on a float folder)."""
    exp, store = _experiment(tmp_path), tmp_path / "s.duckdb"
    monkeypatch.chdir(exp)
    ingest("runs/a.csv", store=store)
    _as_stored_before(store)
    ingest("runs/b.csv", store=store)
    code, _, err = cli(capsys, "runs", "rm", "--store", str(store), "--source", "runs/c.csv",
                       one_line=True)  # fmt: skip
    assert code == 2 and "no stored run came from runs/c.csv" in err, err
    assert f"the stored sources nearest to it are {exp / 'runs' / 'b.csv'}, runs/a.csv" in err


@pytest.mark.heavy
def test_the_hint_names_the_nearest_sources_not_the_first_ones(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    for k in range(10):  # a.csv ... j.csv sort before the one nearest the typo
        ingest(_write(tmp_path / f"{chr(97 + k)}.csv", [f"r{k}"]), store=store)
    ingest(_write(tmp_path / "ratios.csv", ["x"]), store=store)
    with pytest.raises(StoreError) as caught:
        RunStore(store).remove_runs(source=tmp_path / "ratio.csv")
    assert caught.value.hint.startswith(
        f"the stored sources nearest to it (of 11) are {tmp_path / 'ratios.csv'}, "
    )


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_source_shown_is_the_text_that_matches(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exp, store = _experiment(tmp_path), str(tmp_path / "s.duckdb")
    monkeypatch.chdir(exp)
    ingest("runs/a.csv", store=store)
    code, out, err = cli(capsys, "runs", "--store", store)
    # one source for both runs: said once under the table, from the ingest's folder as typed
    assert code == 0 and "source of every run listed: runs/a.csv\n" in out, err
    monkeypatch.chdir(tmp_path)  # the parent: relative to here, not as typed
    code, out, err = cli(capsys, "runs", "--store", store)
    assert code == 0 and "source of every run listed: exp/runs/a.csv\n" in out, err
    code, out, err = cli(capsys, "runs", "--store", store, "--where", "source=exp/runs/a.csv",
                         "--json")  # fmt: skip
    assert code == 0, err
    full = str(exp / "runs" / "a.csv")  # --json: the full path, wherever it runs
    assert [r["source"] for r in json.loads(out)["runs"]] == [full, full]
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # not below here: the full path
    code, out, err = cli(capsys, "runs", "--store", store)
    assert code == 0 and f"source of every run listed: {full}\n" in out, out  # whole, never cut
    code, out, err = cli(capsys, "runs", "rm", "--store", store, "--source", full, "--json")
    assert code == 0 and [r["source"] for r in json.loads(out)["removed"]] == [full, full], err
    assert RunStore(store).runs() == []
