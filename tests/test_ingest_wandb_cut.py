"""A W&B run-table CSV cut short mid-row (a download or copy stopped early) is refused at
that row, as a run table's reader refuses one, rather than storing its last run with the
cut cells blank and no word."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.cli import main

_HEADER = "Name,State,model.n_params,num_tokens,val/loss,hellaswag/acc"
_ROWS = [
    "a,finished,1e7,2e8,4.1,0.26",
    "b,finished,4e7,8e8,3.6,0.28",
    "c,finished,1.6e8,3.2e9,3.2",  # cut after its loss: no score, no newline
]


def test_a_row_cut_short_is_refused_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "wandb_export.csv"
    export.write_text("\n".join([_HEADER, *_ROWS]))
    store = tmp_path / "runs.duckdb"
    assert main(["ingest", str(export), "--store", str(store)]) == 2
    err = " ".join(capsys.readouterr().err.split())  # messages wrap at the console width
    assert f"{export}, row 4: has 5 fields but the header has 6" in err
    assert "cut short" in err
    assert not store.exists()  # nothing stored of a file read in part


def test_a_whole_export_and_a_quoted_multi_line_note_are_read(tmp_path: Path) -> None:
    export = tmp_path / "wandb_export.csv"
    rows = [*_ROWS[:2], '"c\nnote",finished,1.6e8,3.2e9,3.2,0.31', ""]
    export.write_text("\n".join([_HEADER, "", *rows]))
    store = tmp_path / "runs.duckdb"
    assert main(["ingest", str(export), "--store", str(store)]) == 0
