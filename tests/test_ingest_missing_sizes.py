"""Runs stored without params or without tokens are named at ingest, once, with how to map
the key (a fit of the store leaves them out; the user heard only then); and a W&B CSV whose
nested config is one JSON cell (``{"n_params": ...}``) is flattened to ``model.n_params``,
as the UI names it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

SIZES = [(2e7, 1e9, 4.26), (4e7, 5e8, 4.24), (8e7, 4e9, 3.36), (1.6e8, 2e9, 3.3)]


def _export(path: Path, model: list[object], tokens: list[object]) -> Path:
    pd.DataFrame(
        {"Name": [f"r{k}" for k in range(len(SIZES))], "State": "finished",
         "ID": [f"q{k}" for k in range(len(SIZES))], "model": model, "tokens": tokens,
         "eval/loss": [loss for _, _, loss in SIZES]}
    ).to_csv(path, index=False)  # fmt: skip
    return path


def test_runs_without_params_or_tokens_are_warned_once(tmp_path: Path) -> None:
    """As wb4's export, but one run's model cell not JSON (no params) and one run without
    tokens: one warning naming each quantity, its runs and the --map that names it."""
    model: list[object] = [json.dumps({"n_params": int(n)}) for n, _, _ in SIZES]
    model[3] = "small"
    tokens: list[object] = [d for _, d, _ in SIZES]
    tokens[1] = None
    path = _export(tmp_path / "export.csv", model, tokens)
    result = ingest(path, store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "has no" in n or "have no" in n]
    assert note == (
        "warning: 1 run has no params ('r3'); 1 run has no tokens ('r1'): stored, but "
        "a fit of loss on params and tokens leaves them out; name the config or metric that "
        "holds it with --map params=NAME / --map tokens=NAME"
    )
    assert len(RunStore(tmp_path / "s.duckdb").runs()) == 4


def test_runs_with_both_sizes_get_no_warning(tmp_path: Path) -> None:
    model = [json.dumps({"n_params": int(n), "d_model": 256}) for n, _, _ in SIZES]
    path = _export(tmp_path / "export.csv", model, [d for _, d, _ in SIZES])
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert not [n for n in result.notes if "has no" in n or "have no" in n]
    stored = {r.name: r for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored["r2"].params == pytest.approx(8e7)
    assert stored["r2"].config["model.d_model"] == 256
    assert stored["r2"].extra["mapping"]["params"] == "model.n_params"


def _flops_export(path: Path, tokens: list[object]) -> Path:
    """As /tmp/review-n/wb2_export.csv: params, flops and loss, tokens only where given."""
    pd.DataFrame(
        {"Name": [f"r{k}" for k in range(len(SIZES))], "State": "finished",
         "ID": [f"q{k}" for k in range(len(SIZES))],
         "model.n_params": [n for n, _, _ in SIZES],
         "flops": [6 * n * d for n, d, _ in SIZES], "tokens": tokens,
         "eval/loss": [loss for _, _, loss in SIZES]}
    ).to_csv(path, index=False)  # fmt: skip
    return path


def test_tokens_that_follow_from_flops_and_params_get_no_warning(tmp_path: Path) -> None:
    """No run has tokens, each has flops and params: a fit derives D = C/(6N) for every run,
    so none is warned of, and fit --store reads all four with their tokens."""
    path = _flops_export(tmp_path / "export.csv", [None] * len(SIZES))
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert not [n for n in result.notes if "has no" in n or "have no" in n]
    table = RunStore(tmp_path / "s.duckdb").to_run_table()
    assert table["tokens"].tolist() == pytest.approx([d for _, d, _ in SIZES])


def test_a_few_runs_without_tokens_beside_runs_with_them_are_warned(tmp_path: Path) -> None:
    """Tokens given for some runs: a fit derives no column, so the others are still named,
    their flops notwithstanding."""
    tokens: list[object] = [d for _, d, _ in SIZES]
    tokens[2] = None
    result = ingest(_flops_export(tmp_path / "export.csv", tokens), store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "has no" in n or "have no" in n]
    assert note.startswith("warning: 1 run has no tokens ('r2'): stored, but a fit")


def test_a_run_table_without_tokens_is_warned_as_a_trackers_export_is(tmp_path: Path) -> None:
    """A plain run table with params and no tokens column was stored silently; the fit of
    the store then left its runs out. Its runs are named at ingest, the --map naming a
    column; a table whose flops give the tokens (C/(6N)) is no gap and gets no warning."""
    runs = pd.DataFrame({"run": ["a", "b"], "params": [7e7, 1.6e8], "loss": [3.4, 3.1]})
    runs.to_csv(tmp_path / "no_tokens.csv", index=False)
    result = ingest(tmp_path / "no_tokens.csv", store=tmp_path / "s.duckdb")
    assert [n for n in result.notes if n.startswith("warning:")] == [
        "warning: 2 runs have no tokens ('a', 'b'): stored, but a fit of loss on params and "
        "tokens leaves them out; name the column that holds it with --map tokens=COLUMN"
    ]
    stored = RunStore(tmp_path / "s.duckdb").runs()
    assert sorted(r.name for r in stored) == ["a", "b"]
    assert all(r.tokens is None for r in stored)
    runs.assign(flops=[1e18, 2e18]).to_csv(tmp_path / "flops.csv", index=False)
    result = ingest(tmp_path / "flops.csv", store=tmp_path / "t.duckdb")
    assert not [n for n in result.notes if "has no" in n or "have no" in n]
    (kept,) = [r for r in RunStore(tmp_path / "t.duckdb").runs() if r.name == "a"]
    assert kept.tokens == pytest.approx(1e18 / (6 * 7e7))
