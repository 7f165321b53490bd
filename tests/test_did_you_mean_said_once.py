"""Every "did you mean" a refusal says is worded in one place (:mod:`scalinglab._errors`:
``meant``, ``did_you_mean``, ``keyword_meant``), so a name meant is always quoted and the
question always reads alike; a few suggest a value, not a name, and say it their own way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scalinglab import ConfigError
from scalinglab._errors import keyword_meant, meant
from scalinglab.data._where_errors import no_text_column

SRC = Path(__file__).resolve().parents[1] / "src" / "scalinglab"

#: Suggestions of a value, not a name: quoting it would make it read as a name.
ALLOWED = {
    "downstream/_plan.py": "an accuracy as a fraction (0.6 for 60), written bare as it is typed",
    "cli/_options.py": "a size with its unit (7B), written bare as it is typed",
}


def _literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant and f-string part, docstrings left out (they may quote one)."""
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


@pytest.mark.heavy
def test_no_did_you_mean_is_written_outside_errors() -> None:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where == "_errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lines = [n for n, text in _literals(tree) if "did you mean" in text.lower()]
        if lines:
            found[where] = lines
    assert set(found) == set(ALLOWED), found


def test_the_words_are_one_form() -> None:
    assert meant("tiny") == "; did you mean 'tiny'?"
    assert meant("a", "b", hint=True) == "did you mean 'a' or 'b'?"
    assert meant("x", aside="(y)") == "; did you mean 'x' (y)?"
    assert keyword_meant("level") == "did you mean level=?"


def test_a_column_meant_is_quoted() -> None:
    err = no_text_column("stat", ["state"], source="runs.csv", run_column="run")
    assert isinstance(err, ConfigError)
    assert err.hint.startswith("did you mean 'state'? ")
