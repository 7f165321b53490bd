"""A harness results file that is not JSON: cut short by a copy or a run stopped mid-write,
or broken, said so at its line and column; a file that is not meant as one says that."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scalinglab._errors import DataError

__all__ = ["HARNESS_OPENING", "broken_results"]

#: How every harness results file opens: ``results`` is the first key it writes.
HARNESS_OPENING = re.compile(r'\s*\{\s*"results"\s*:')


def _meant_as_results(file: Path, text: str) -> bool:
    """Whether a text that is not JSON was meant as a results file: an object in a file
    named ``results*``, or opening as the harness writes one."""
    named = text.lstrip().startswith("{") and file.name.startswith("results")
    return named or HARNESS_OPENING.match(text) is not None


def broken_results(file: Path, text: str, exc: json.JSONDecodeError) -> DataError:
    """A results file (by its name, or a text that opens as one) whose JSON is cut short or
    broken, said so at the place; any other file is no results file at all."""
    if not _meant_as_results(file, text):
        return DataError(f"not an lm-evaluation-harness results file (not JSON: {exc})",
                         source=str(file))  # fmt: skip
    # a string open at the end was cut too: JSON strings hold no raw newline to end one
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        line, column = text.count("\n") + 1, len(text) - text.rfind("\n")  # where it ends
        what = "is cut short"
    else:
        line, column, what = exc.lineno, exc.colno, f"is not valid JSON ({exc.msg})"
    return DataError(
        f"the lm-evaluation-harness results file {what} at line {line}, column {column}",
        source=str(file),
        hint="re-run the evaluation, or copy the file again (a copy or a run stopped "
        "mid-write leaves it cut)",
    )
