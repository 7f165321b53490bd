"""Chance levels: built in for common tasks (:data:`KNOWN_CHANCE`), or read from a file
(``--chance``: fractions, percentages, or ``25%``) or a mapping, which take precedence, with
a note where they differ from the built-in level.

Accuracies are fractions. A file's or a mapping's plain levels above 1 are percentages
(``25`` is 0.25), read so with a note, as the evaluations' reader reads a column in percent;
levels above 100, or percentages mixed with fractions, are refused: one scale would misread
the others 100-fold."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from scalinglab._checks import check_mapping, check_number
from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g, join_more
from scalinglab.data._percent import percent_span
from scalinglab.downstream._chance_near import near_known_note
from scalinglab.downstream._chance_unused import given_name, unused_note
from scalinglab.downstream._frames import file_rows
from scalinglab.downstream._frames import read_frame as _read_frame
from scalinglab.downstream._task_names import builtin_for

__all__ = ["KNOWN_CHANCE", "chance_levels", "given_name", "read_chance", "read_chance_noted"]

_K = TypeVar("_K")

#: Random-chance accuracy of common tasks (answer options of multiple-choice tasks; 0 for
#: generation tasks). Tasks not here take their level from ``chance=`` or stay unknown.
KNOWN_CHANCE: Mapping[str, float] = {
    "hellaswag": 0.25, "hellaswag_zeroshot": 0.25, "arc_easy": 0.25, "arc_challenge": 0.25,
    "mmlu": 0.25, "mmlu_zeroshot": 0.25, "openbook_qa": 0.25, "openbookqa": 0.25,
    "commonsense_qa": 0.2, "piqa": 0.5, "winogrande": 0.5, "winograd": 0.5, "boolq": 0.5,
    "copa": 0.5, "siqa": 1 / 3, "social_iqa": 1 / 3, "lambada_openai": 0.0, "lambada": 0.0,
    "sciq": 0.25, "coqa": 0.0, "squad": 0.0, "jeopardy": 0.0, "triviaqa": 0.0, "gsm8k": 0.0,
}  # fmt: skip


def chance_levels(
    tasks: Iterable[str] | Mapping[str, str],
    chance: Mapping[str, float] | str | os.PathLike[str] | None,
) -> tuple[dict[str, float], list[str]]:
    """Each task's chance level: ``chance``'s (a mapping, or a file :func:`read_chance`
    reads), else the built-in one (:data:`KNOWN_CHANCE`, also for the task a suite's name
    holds: ``harness|piqa|0`` is piqa's, and for the task a column's name holds before its
    unit: ``HellaSwag (%)`` is hellaswag's, each with a note), else NaN; a note for each
    given level that replaces a different built-in one, naming both (a typo in a chance
    file moves every verdict on that task); and one for the given levels of no task
    (:func:`~._chance_unused.unused_note`). ``tasks`` may map each task to its column, by
    which the notes name it.
    """
    if isinstance(chance, str | os.PathLike):
        given, notes = read_chance_noted(chance)
        source = os.fspath(chance)
    else:  # chance=5 or {"piqa": "a"}: not Python's "not iterable" or float() error
        said = "a mapping of task -> chance accuracy, or a chance file's path"
        mapping = check_mapping("chance", chance, example="{'piqa': 0.5}", what=said)
        source = "chance="
        for task, level in mapping.items():
            check_number(f"chance[{task!r}]", level, least=0.0, what="a chance accuracy",
                         example=f"chance={{{task!r}: 0.25}}")  # fmt: skip
        given, notes = _mapping_fractions({str(k): float(v) for k, v in mapping.items()})
    columns = dict(tasks) if isinstance(tasks, Mapping) else {t: t for t in tasks}
    levels: dict[str, float] = {}
    held: list[str] = []  # harness|piqa|0 read as piqa: said in one note
    unit: list[str] = []  # HellaSwag (%) read as hellaswag: said in one note
    cased: list[str] = []  # MyTask's level read for the task mytask: said in one note
    united: list[str] = []  # hellaswag's level read for HellaSwag (%): said in one note
    for task, column in columns.items():
        found = builtin_for(KNOWN_CHANCE, task)
        known = found[0] if found is not None else math.nan
        name = given_name(given, task)
        if name is not None and name != task:  # MyTask for mytask; hellaswag for HellaSwag (%)
            alike = name.lower() == task.lower()
            (cased if alike else united).append(f"{name!r} for {task if alike else repr(column)}")
        levels[task] = float(given[name]) if name is not None else float(known)
        if name is not None and math.isfinite(known) and not math.isclose(levels[task], known):
            notes.append(
                f"chance level of {task}: {format_g(levels[task])} from {source}, in place of its "
                f"built-in {format_g(known)}"
            )
        elif name is None and found is not None and found[1] != task:
            # the user's column, as the file spells it: its unit is what was set aside
            shown = f"{task} as" if "|" in task else f"{column!r} as task"
            (held if "|" in task else unit).append(f"{shown} {found[1]} ({format_g(known)})")
    notes += unused_note(given, columns, source)
    notes += near_known_note(levels, KNOWN_CHANCE)  # winogrnade: its floor fitted, unsaid
    if cased:  # a task goes by its column's name lower-cased (MyTask is mytask)
        notes.append(f"chance levels of {source} read regardless of case: {', '.join(cased)}")
    before = "by the task each column's name holds before its unit"
    if united:
        notes.append(f"chance levels of {source} read {before}: {', '.join(united)}")
    if unit:
        notes.append(f"built-in chance levels read {before}: {', '.join(unit)}")
    if held:
        notes.append(
            "built-in chance levels read by the task each suite's name holds (suite|task|shots): "
            + ", ".join(held)
        )
    return levels, notes


def read_chance(path: str | os.PathLike[str]) -> dict[str, float]:
    """Chance levels from a table: a task column (``task`` or ``Eval Task``) and a level
    column (``chance`` or ``Random baseline``).

    A level written ``25%`` is a percentage; plain numbers are fractions, or percentages
    when the column is in percent (most of them above 1; :func:`read_evals` notes it). A
    blank level is no level (the built-in one, if any, stands). A task listed twice with one
    level is read once.

    Args:
        path: The table file.

    Returns:
        Task -> chance level, as a fraction.

    Raises:
        DataError: No task or level column; a level that is not a number (named by its
            row); a column mixing plain fractions and percentages (the odd rows named: one
            scale would misread them 100-fold); a level outside [0, 1] once read; a task
            listed twice with different levels (its rows named).
    """
    return read_chance_noted(path)[0]


def read_chance_noted(path: str | os.PathLike[str]) -> tuple[dict[str, float], list[str]]:
    """:func:`read_chance`'s levels, and a note when its plain numbers were read as
    percentages (as the evaluations' reader notes a column in percent).

    Raises:
        DataError: As :func:`read_chance`.
    """
    source = os.fspath(path)
    frame = _read_frame(Path(path), rows="one row per task (task, chance)")
    task = next((c for c in ("task", "Eval Task") if c in frame.columns), None)
    level = next((c for c in ("chance", "Random baseline") if c in frame.columns), None)
    if task is None or level is None:
        raise DataError(
            "a chance file needs a task column ('task') and a level column ('chance')",
            source=source,
        )
    rows = file_rows(Path(path), len(frame))
    read: dict[int, tuple[float, bool]] = {}  # record -> (number, written with "%")
    for i, raw in enumerate(frame[level]):
        text = str(raw).strip() if not (isinstance(raw, float) and math.isnan(raw)) else ""
        if not text:
            continue
        marked = text.endswith("%")
        try:
            read[i] = (float(text[:-1] if marked else text), marked)
        except ValueError:
            raise DataError(
                f"not a chance level: {raw!r} for task {frame[task].iloc[i]!r}",
                source=source, row=rows[i], column=str(level),
                hint="write a fraction (0.25) or a percentage (25 or 25%)",
            ) from None  # fmt: skip
    plain = {i: v for i, (v, marked) in read.items() if not marked}
    above, low, percent = _scales(plain)
    odd = low if percent else above
    if above and low:  # one scale misreads the others 100-fold
        first = odd[0]
        listed = join_more([f"{format_g(plain[i])} (row {rows[i]})" for i in odd], sep="; ")
        raise DataError(
            f"chance levels mix percentages ({len(above)} above 1) and fractions ({len(low)} "
            f"at most 1): {listed}",
            source=source, row=rows[first], column=str(level),
            hint="write every level on one scale (0.25 or 25), or mark percentages with %",
        )  # fmt: skip
    levels: dict[str, float] = {}
    at: dict[str, list[int]] = {}  # task -> its records: one level each
    for i, (v, marked) in read.items():
        value = v / 100.0 if marked or percent else v
        if not 0.0 <= value <= 1.0:
            raise DataError(
                f"chance level {frame[level].iloc[i]!r} of task {frame[task].iloc[i]!r} is "
                "outside 0-100%",
                source=source, row=rows[i], column=str(level),
            )  # fmt: skip
        name = str(frame[task].iloc[i])
        at.setdefault(name, []).append(i)
        if name in levels and not math.isclose(levels[name], value):
            twice = at[name]
            raise DataError(
                f"task {name!r} has {len(twice)} different chance levels: "
                + ", ".join(f"{frame[level].iloc[j]} (row {rows[j]})" for j in twice),
                source=source, row=rows[i], column=str(level),
                hint=f"keep one row for {name!r}: which level is its chance?",
            )  # fmt: skip
        levels[name] = value
    # the plain numbers read as percent: every one of them, when some are above 1
    said = {str(frame[task].iloc[i]): levels[str(frame[task].iloc[i])] for i in plain}
    return levels, [_percent_note(f"of {source}", said)] if above else []


def _scales(plain: Mapping[_K, float]) -> tuple[list[_K], list[_K], bool]:
    """The keys of the levels above 1 and of those in (0, 1], and whether the levels are
    percentages: as many above 1 as at most 1 (0 is 0 on either scale)."""
    above = [k for k, v in plain.items() if v > 1]
    low = [k for k, v in plain.items() if 0 < v <= 1]
    return above, low, len(above) >= len(low)


def _percent_note(where: str, read: Mapping[str, float]) -> str:
    """The note that the levels ``read`` (as fractions) ``where`` (``"of chance.csv"``) were
    given in percent, in the words of the evaluations' reader's note on a column in percent."""
    span = percent_span(list(read.values()), unit="task")
    return f"chance levels {where} read as percent ({span}): read as fractions (divided by 100)"


def _mapping_fractions(given: dict[str, float]) -> tuple[dict[str, float], list[str]]:
    """A ``chance=`` mapping's levels as fractions, and a note when they were percentages
    (levels above 1, at most 100, none in (0, 1]: as a chance file's are read).

    Raises:
        ConfigError: A level above 100; percentages mixed with fractions (the odd tasks named).
    """
    if not given:
        return given, []
    above, low, percent = _scales(given)
    example = f"chance={{{next(iter(given))!r}: 0.25}}"
    if above and low:  # one scale misreads the others 100-fold
        listed = join_more([f"{t!r}: {format_g(given[t])}" for t in (low if percent else above)])
        raise ConfigError(
            f"chance= mixes percentages ({len(above)} above 1) and fractions ({len(low)} at "
            f"most 1): {listed}",
            hint=f"give every level as a fraction of 1 (accuracies are fractions), e.g. {example}",
        )
    if over := [t for t in above if given[t] > 100]:
        raise ConfigError(
            f"chance[{over[0]!r}] is {format_g(given[over[0]])}: above 100%, no chance accuracy",
            hint=f"give a fraction of 1 (accuracies are fractions), e.g. {example}",
        )
    if not above:
        return given, []
    levels = {t: v / 100.0 for t, v in given.items()}
    return levels, [_percent_note("in chance=", levels)]
