"""``scalinglab runs`` of a table ingested whole (95 runs of one CSV): every row folded the
same long path into five lines, and every flops cell carried "(6ND)". One source is said
once under the table, 6·N·D for every run likewise; runs of several sources, or FLOPs given
for some, keep the column and the marks. The title stands on its own line, whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import RunStore
from scalinglab.store import StoredRun


def _store(tmp_path: Path, runs: list[StoredRun]) -> str:
    store = str(tmp_path / "a store with a long name, so the title is wider than the table.duckdb")
    RunStore(store).put_runs((r, None) for r in runs)
    return store


def _run(name: str, source: str, *, flops: float | None = None) -> StoredRun:
    return StoredRun(run_id=name, name=name, params=1e7, tokens=2e8, flops=flops,
                     flops_6nd=1.2e16, loss=3.0, source=source)  # fmt: skip


def test_one_source_and_all_6nd_are_said_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = "/data/" + "a_long_folder_name/" * 5 + "models.csv"
    store = _store(tmp_path, [_run("a", source), _run("b", source)])
    code, out, _ = cli(capsys, "runs", "--store", store)
    assert code == 0
    assert out.splitlines()[0] == f"2 runs in {store}"  # not wrapped at the table's width
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert "source" not in head and "(6ND)" not in out
    assert f"source of every run listed: {source}\n" in out
    assert "flops: 6·N·D from params and tokens for every run listed (the source gave none)" in out
    assert sum(line.startswith("│") for line in out.splitlines()) == 2  # a line per run


def test_several_sources_and_given_flops_keep_the_column_and_the_marks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path, [_run("a", "one.csv", flops=5e16), _run("b", "two.csv")])
    code, out, _ = cli(capsys, "runs", "--store", store)
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert code == 0 and "source" in head and "source of every run" not in out
    assert "│ one.csv" in out and "│ two.csv" in out
    assert "1.2e16 (6ND)" in out and "flops marked (6ND): the source gave none" in out


def test_runs_without_a_source_have_no_source_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path, [_run("a", ""), _run("b", "")])
    code, out, _ = cli(capsys, "runs", "--store", store)
    head = next(line for line in out.splitlines() if line.startswith("┃"))
    assert code == 0 and "source" not in head and "source of every run" not in out
