"""A ladder run's lines write a loss as ``ladder status``, the live bar and the top rung's
prediction do, to a loss's 4 decimals (``2.8270``, format_loss: were ``2.827``, 5
significant figures with trailing zeros dropped), and a throughput as ``runs`` does
(``112K``; was ``111.8k``), and a resumed rung's time says that it counts the rung's
segments before and after the resume, not this call's alone."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from scalinglab.cli import main
from scalinglab.execute._events import ConsoleEvents
from scalinglab.execute._record import stored_run
from scalinglab.ladder import RungResult, get_recipe
from scalinglab.store import RunStore

_RUNG = get_recipe("tiny").rungs[0]


def _result(**changes: object) -> RungResult:
    base = RungResult(
        run_id=_RUNG.run_id, name=_RUNG.name, status="finished", steps=200, tokens=10**5,
        train_loss=2.9, loss=2.82701, wall_s=18.2, tokens_per_s=111_800.0, mfu=None,
        hardware="cpu", software={}, corpus="stdlib", corpus_hash="x",
        resumed_from_step=None, curve=(),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def _lines(say: str, **changes: object) -> str:
    out = io.StringIO()
    events = ConsoleEvents(Console(file=out, width=300))
    run = stored_run(_RUNG, ladder="tiny", backend="local", status="finished")
    run = replace(run, loss=2.82701)
    if say == "finished":
        events.rung_finished(_RUNG, run, _result(**changes))
    else:
        events.rung_skipped(_RUNG, run)
    return out.getvalue()


def test_the_finished_line_writes_loss_and_throughput_as_status_does() -> None:
    line = _lines("finished")
    assert "eval loss 2.8270, 200 steps, 18 s, 112K tok/s" in line
    assert "111.8k" not in line


def test_the_skip_line_writes_loss_as_status_does() -> None:
    assert "finished before (loss 2.8270)" in _lines("skip")


def test_a_resumed_rungs_time_says_it_counts_the_whole_rung() -> None:
    line = _lines("finished", resumed_from_step=120)
    assert "18 s in all (before and after its resume from step 120), 112K tok/s" in line


def test_status_writes_the_same_loss_and_throughput(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "s.duckdb"
    run = stored_run(_RUNG, ladder="tiny", backend="local", status="finished")
    RunStore(store).put_run(replace(run, loss=2.82701, wall_s=18.2, tokens_per_s=111_800.0))
    assert main(["ladder", "status", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert " 2.8270 " in out and " 112K\n" in out  # its line ends there: no note, no spaces


def test_the_recorded_line_writes_loss_as_a_loss_too(tmp_path: Path) -> None:
    out = io.StringIO()
    events = ConsoleEvents(Console(file=out, width=300))
    run = stored_run(_RUNG, ladder="tiny", backend="local", status="finished")
    events.rung_recorded(_RUNG, run, _result(loss=10.12345), tmp_path)
    assert "recorded w32-d2: eval loss 10.1235, 200 steps" in out.getvalue()  # not 10.123
