"""``scalinglab ingest`` of a TensorBoard folder ingested again from the folder above: its
whole output, byte for byte. The runs found again keep their stored names, and every note
(the diverged one included) names them so: a pin for any rework of how names settle
(``ingest/_stored_names``) to leave what a user reads as it is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests._cli import cli
from tests._ingest_sources import write_nan_ending

from scalinglab.store import RunStore

_OLD = 1_700_000_000.0  # event files written long ago: no may-still-be-training warning

_TABLE = """\
┏━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━┓
┃ added ┃ updated ┃ unchanged ┃ moved ┃ conflicts ┃ skipped ┃ curve points ┃
┡━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━┩
│     0 │       0 │         2 │     0 │         0 │       0 │            0 │
└───────┴─────────┴───────────┴───────┴───────────┴─────────┴──────────────┘
"""

_AGAIN = (
    "read 2 runs from exp (tensorboard) into s.duckdb: 2 unchanged (nothing new)\n"
    + _TABLE
    + "read: params <- n_params, tokens <- tokens, loss <- eval/loss\n"
    "final values: last\n"
    "note: final loss = last logged value of 'eval/loss'\n"
    "warning: 1 run stored with status 'diverged', which fit --store leaves out ('180M_10x': "
    "its last logged 'eval/loss' is nan); a loss that turns inf, or NaN and stays so, or whose "
    "median over its last 5 points is above 1.5x its lowest median over 5 consecutive ones, "
    "counts as diverged\n"
    "note: 2 stored runs found again keep the names they were stored under "
    "('tb_logs/180M_10x' as '180M_10x', 'tb_logs/90M_20x' as '90M_20x'): a name that says "
    "where a run was read (its folder below the one ingested, its row) is not the run's\n"
)


@pytest.mark.heavy  # two ingests through torch's SummaryWriter: about 2 s
def test_reingest_from_the_folder_above_prints_as_pinned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_nan_ending(tmp_path / "exp" / "tb_logs", "180M_10x", "90M_20x")
    for path in (tmp_path / "exp").rglob("*"):
        os.utime(path, (_OLD, _OLD))
    monkeypatch.chdir(tmp_path)  # relative paths: the output names no temporary folder
    code, _, err = cli(capsys, "ingest", "exp/tb_logs", "--store", "s.duckdb")
    assert (code, err) == (0, "")
    code, out, err = cli(capsys, "ingest", "exp", "--store", "s.duckdb")
    assert (code, err) == (0, "")
    assert out == _AGAIN
    assert sorted(r.name for r in RunStore(tmp_path / "s.duckdb").runs()) == [
        "180M_10x",
        "90M_20x",
    ]
