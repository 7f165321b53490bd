"""The README's printed refusals are what the commands print now: each ``$ scalinglab ...``
line of a console block that the README follows with ``error:`` and ``hint:`` lines is run
on the input its prose describes, and its two lines compared word for word (cheap: no fit
runs). Refusals that depend on the CPU (``SCALINGLAB_SOLVER=neon``) or on a file's bytes
(a store cut in half names its offsets) are left to the README walk."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _printed(command: str) -> list[str]:
    """The lines the README prints under ``$ COMMAND`` (its trailing comment dropped)."""
    lines = README.read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines):
        if line.startswith("$ ") and line[2:].split("  #")[0].rstrip() == command:
            out = []
            for after in lines[k + 1 :]:
                if after.startswith(("$ ", "```")):
                    break
                out.append(after)
            return out
    raise AssertionError(f"README has no '$ {command}' line")


def _bad_loss(folder: Path) -> list[str]:
    (folder / "runs.csv").write_text("run,params,tokens,loss\na,1e7,2e8,3.1\nb,2e7,4e8,abc\n")
    return ["fit", "runs.csv"]


def _duplicate_key(folder: Path) -> list[str]:
    (folder / "dup.json").write_text('[{"run": "a", "params": 1e7, "loss": 3.0, "loss": 3.1}]')
    return ["fit", "dup.json"]


def _deep_formula(folder: Path) -> list[str]:
    return ["fit", "--law", "+".join(["N"] * 700)]


def _other_sqlite(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "mlflow.db") as db:
        db.execute("create table notes (text)")
    return ["ingest", "mlflow.db", "--store", "runs.duckdb"]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "scalinglab fit runs.csv": _bad_loss,
    "scalinglab fit dup.json": _duplicate_key,
    'scalinglab fit --law "N+N+...+N"': _deep_formula,
    "scalinglab ingest mlflow.db --store runs.duckdb": _other_sqlite,
}


@pytest.mark.parametrize("command", list(CASES))
def test_readme_refusal_is_printed_as_the_command_prints_it(
    command: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = CASES[command](tmp_path)
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == ""
    printed = [line for line in _printed(command) if line.startswith(("error: ", "hint: "))]
    assert len(printed) == 2, printed
    assert err.splitlines() == printed
