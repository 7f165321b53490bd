"""Tasks whose at-bound notes read the same share one note naming them all: a report of
46 tasks said "at bound: k" in 30 notes, one per task."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from scalinglab.downstream._task_table import task_notes

CEILING = (
    "at bound: a; a = 1 − chance = 0.75 is the sigmoid's ceiling, so the predictions assume "
    "accuracy reaches 100% at low loss"
)


def _chain(notes: dict[str, str]) -> Any:
    tasks = {
        name: SimpleNamespace(task=name, bound_note=f"{name}: {rest}" if rest else "")
        for name, rest in notes.items()
    }
    return SimpleNamespace(tasks=tasks, average=None)


def test_the_same_note_is_said_once_naming_its_tasks() -> None:
    chain = _chain({"bbq": "at bound: k", "coqa": CEILING, "copa": "at bound: k",
                    "piqa": "", "hellaswag": CEILING, "boolq": "at bound: k",
                    "siqa": "at bound: L0"})  # fmt: skip
    notes = task_notes(chain)
    assert notes == [
        "bbq, copa, boolq: at bound: k",
        f"coqa, hellaswag: {CEILING}",
        "siqa: at bound: L0",
    ]
    assert sum("at bound: k" in n for n in notes) == 1


def test_a_note_of_its_own_keeps_its_task() -> None:
    chain = _chain({"hellaswag": "at bound: a (in 3 of 20 resamples)", "piqa": "at bound: k"})
    assert task_notes(chain) == [
        "hellaswag: at bound: a (in 3 of 20 resamples)",
        "piqa: at bound: k",
    ]
