"""A rung whose loss became NaN is recorded as `diverged`, not `failed` (issue 12, item 3).

The real trainer needs PyTorch; these tests follow the record the worker leaves (error.json
with the exception's type) through the driver's reading of it, without training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.execute import LadderReport, RungOutcome
from scalinglab.execute._backend import ERROR, read_error
from scalinglab.store import STATUSES, StoredRun


def _error(tmp_path: Path, kind: str) -> Path:
    (tmp_path / ERROR).write_text(
        json.dumps({"type": kind, "message": "rung 'r1' diverged: training loss is nan at step 40"})
    )
    return tmp_path


def test_the_workers_diverged_error_reads_as_diverged(tmp_path: Path) -> None:
    error = read_error(_error(tmp_path, "DivergedError"))
    assert error is not None and error.diverged
    other = read_error(_error(tmp_path, "ConfigError"))
    assert other is not None and not other.diverged


def test_the_trainer_raises_the_type_the_driver_looks_for() -> None:
    pytest.importorskip("torch", reason="the ladder trainer needs PyTorch")
    from scalinglab.ladder._train import DivergedError

    assert DivergedError.__name__ == "DivergedError"


def test_diverged_is_a_status_and_counts_as_not_finished() -> None:
    assert "diverged" in STATUSES
    run = StoredRun(run_id="r1", name="r1", status="diverged")
    assert run.status == "diverged"
    report = LadderReport(
        ladder="l",
        outcomes=(
            RungOutcome("r0", "r0", "finished", 3.1),
            RungOutcome("r1", "r1", "diverged", error="diverged"),
        ),
    )
    assert [o.rung for o in report.failed] == ["r1"]  # the CLI exits 1, as for a failure
