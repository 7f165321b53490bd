"""A W&B JSON-lines export names a run by its line, blank lines counted, as its reader's
own errors (and fit's JSON-lines reader) count them: not by its place among the runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab import DataError
from scalinglab.ingest._wandb import read_wandb


def _line(k: int, name: str | None = None) -> str:
    run = {"name": name or f"r{k}", "id": f"id{k}", "state": "finished",
           "config": {"n_params": 1e7 * 2**k, "tokens": 2e8 * 2**k},
           "summary": {"eval/loss": 4.0 - 0.1 * k, "_step": 1000}}  # fmt: skip
    return json.dumps(run)


def test_a_repeat_after_a_blank_line_is_named_by_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    lines = [_line(k) for k in range(4)]
    path.write_text("\n".join([*lines[:2], "", *lines[2:], lines[2]]) + "\n")
    with pytest.raises(DataError) as caught:
        read_wandb(path)  # lines 4 and 6; counted as runs: 3 and 5
    assert str(caught.value).startswith(
        f"{path}, row 6, column 'id': run 'r2' (id2) is given twice, identical (rows 4 and 6)"
    )


def test_a_nameless_run_after_a_blank_line_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    nameless = json.dumps({"id": "x", "config": {"n_params": 1e7}, "summary": {"loss": 3.0}})
    path.write_text("\n".join([_line(0), "", "", nameless]) + "\n")
    with pytest.raises(DataError) as caught:
        read_wandb(path)
    assert str(caught.value).startswith(f"{path}, row 4: a run object without a name")
