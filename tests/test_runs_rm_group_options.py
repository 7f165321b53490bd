"""``runs`` options given before ``rm``: ``--store`` and ``--json`` are passed on (they mean
there what they mean after ``rm``; ``--json`` was ignored), and the listing's ``--where``,
``--status``, ``--evals`` and ``--limit`` are refused, removing nothing (they were ignored:
``runs --where status=failed rm small`` removed ``small``, which that filter leaves out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli, refused
from tests.test_store_runs_where_cli import _store


def test_where_before_rm_is_refused_and_removes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    args = ["runs", "--store", str(store.path), "--where", "status=failed", "rm", "small"]
    error, hint = refused(capsys, args)
    assert error == (
        "error: --where status=failed given before rm selects the runs listed, not those "
        "removed; give it after rm (--where status=failed)"
    )
    assert (
        hint
        == "hint: scalinglab runs rm --where status=failed --dry-run lists the runs it would remove"
    )
    assert len(store.runs()) == 3


def test_a_comparison_before_rm_is_shown_quoted_as_the_shell_needs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    args = ["runs", "--store", str(store.path), "--where", "params<1e8", "rm", "small"]
    error, _ = refused(capsys, args)
    assert error.endswith("give it after rm (--where 'params<1e8')")
    assert len(store.runs()) == 3


def test_status_before_rm_is_refused_naming_its_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    error, hint = refused(capsys, ["runs", "--store", str(store.path), "--status", "failed", "rm", "small"])  # fmt: skip
    assert error.startswith("error: --status failed given before rm") and error.endswith(
        "give it after rm (--where status=failed)"
    )
    assert "runs rm --where status=failed --dry-run" in hint
    assert len(store.runs()) == 3


@pytest.mark.parametrize("given", [["--evals"], ["--limit", "1"]])
def test_listing_only_options_before_rm_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: list[str]
) -> None:
    store = _store(tmp_path / "s.duckdb")
    error, _ = refused(capsys, ["runs", "--store", str(store.path), *given, "rm", "small"])
    assert error.startswith(f"error: {given[0]} given before rm: it shapes the runs listing only")
    assert error.endswith("leave it out")
    assert len(store.runs()) == 3


def test_json_before_rm_prints_json_as_after_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = _store(tmp_path / "s.duckdb")
    code, out, err = cli(capsys, "runs", "--store", str(store.path), "--json", "rm", "big", "--dry-run")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] and [r["run_id"] for r in data["removed"]] == ["c"]
    args = ["runs", "--store", str(store.path), "--json", "rm", "big", "--json"]
    error, _ = refused(capsys, args)  # one switch, set twice
    assert error.startswith("error: --json given 2 times")
    assert len(store.runs()) == 3
