"""A W&B history export of a Hugging Face Trainer run logs the optimizer step as
``train/global_step`` (Lightning: ``trainer/global_step``) beside W&B's own count of log
calls, ``_step``: every reader of curves (``curves fit``, ``ingest --history`` of a W&B
export or of a plain run table, a W&B JSON's inline history) reads the trainer's step, with a
note naming both columns; a file with only ``train/global_step`` is read as well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.curves._data import read_noted
from scalinglab.data._curve_columns import CURVE_ALIASES
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: The optimizer steps logged (every 100), and W&B's log counter beside them: the trainer
#: logs twice a step (train and eval), so ``_step`` runs at twice the rate.
_STEPS = [100, 200, 300, 400, 500]
_COUNTER = [1, 3, 5, 7, 9]


def _history(
    path: Path, step: str, *, counter: bool, runs: tuple[str, ...] = ("a",), run: str = "run_name"
) -> Path:
    """A long history export: ``run``, (``_step``), ``step``, learning_rate, train/loss."""
    head = [run, *(["_step"] if counter else []), step, "learning_rate", "train/loss"]
    lines = [",".join(head)]
    for r, run in enumerate(runs):
        for s, c in zip(_STEPS, _COUNTER, strict=True):
            cells = [
                run,
                *([str(c)] if counter else []),
                str(s),
                "0.001",
                f"{4 - s / 1000 - r / 10}",
            ]
            lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def _note(source: Path, step: str) -> str:
    return (
        f"{source}: step read from column {step!r} (the trainer's optimizer step), not '_step' "
        "(W&B's count of its log calls)"
    )


def test_one_list_of_step_names_holds_the_trainers() -> None:
    assert CURVE_ALIASES["step"] == (
        "step", "steps", "iter", "iteration", "global_step", "train/global_step",
        "trainer/global_step", "_step",
    )  # fmt: skip


@pytest.mark.parametrize("step", ["train/global_step", "trainer/global_step", "global_step"])
def test_curves_read_the_trainers_step_before_wandbs_counter(tmp_path: Path, step: str) -> None:
    alone = _history(tmp_path / "alone.csv", step, counter=False)
    (curve,), notes, _, _ = read_noted(alone)
    assert curve.step.tolist() == _STEPS and not any("step read from" in n for n in notes)
    both = _history(tmp_path / "both.csv", step, counter=True)
    (curve,), notes, _, _ = read_noted(both)
    assert curve.step.tolist() == _STEPS
    assert notes[0] == _note(both, step)
    # mapped: the column asked for, without the note
    (curve,), notes, _, _ = read_noted(both, columns={"step": "_step"})
    assert curve.step.tolist() == _COUNTER and not any("step read from" in n for n in notes)


def _runs(path: Path, runs: tuple[str, ...]) -> Path:
    """A W&B run-table export of ``runs``."""
    lines = ["Name,State,ID,n_params,tokens,train/loss"]
    lines += [
        f"{r},finished,id{k},{1e7 * 2**k:g},{2e8 * 2**k:g},{3.5 - k / 10}"
        for k, r in enumerate(runs)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_wandb_ingest_reads_the_trainers_step_with_the_note(tmp_path: Path) -> None:
    runs = ("a", "b")
    table = _runs(tmp_path / "runs.csv", runs)
    history = _history(
        tmp_path / "hist.csv", "train/global_step", counter=True, runs=runs, run="name"
    )
    done = ingest(table, store=tmp_path / "s.duckdb", kind="wandb", history=history)
    assert done.kind == "wandb" and _note(history, "train/global_step") in done.notes
    stored = RunStore(tmp_path / "s.duckdb").curves()
    assert sorted(set(stored["step"].tolist())) == _STEPS


def test_wandb_inline_history_reads_the_trainers_step(tmp_path: Path) -> None:
    rows = [{"_step": c, "trainer/global_step": s, "train/loss": 4 - s / 1000}
            for s, c in zip(_STEPS, _COUNTER, strict=True)]  # fmt: skip
    run = {"name": "a", "id": "id0", "state": "finished",
           "config": {"n_params": 1e7, "tokens": 2e8}, "summary": {"train/loss": 3.5},
           "history": rows}  # fmt: skip
    path = tmp_path / "runs.json"
    path.write_text(json.dumps([run]))
    done = ingest(path, store=tmp_path / "s.duckdb", kind="wandb")
    assert _note(path, "trainer/global_step") in done.notes
    assert RunStore(tmp_path / "s.duckdb").curves()["step"].tolist() == _STEPS


def test_a_plain_tables_history_reads_the_trainers_step(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_text("name,params,tokens,loss\na,1e8,1e9,3.5\n")
    history = _history(tmp_path / "hist.csv", "train/global_step", counter=True)
    done = ingest(tmp_path / "runs.csv", store=tmp_path / "s.duckdb", history=history)
    assert _note(history, "train/global_step") in done.notes
    assert RunStore(tmp_path / "s.duckdb").curves()["step"].tolist() == _STEPS
