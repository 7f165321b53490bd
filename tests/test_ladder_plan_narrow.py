"""``ladder plan`` at 80 columns leaves out the columns the others imply (6ND, non-emb,
tokens/param, depth...) and says so, rather than cutting every cell to ``4…``; a wide terminal
shows them all, with no such note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"
HEADS = ("rung", "width", "depth", "params", "non-emb", "tokens", "tokens/param", "steps", "batch")


def _plan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> tuple[list[str], str]:
    """The plan's table lines (the head, the rule, a line a rung) and all it printed."""
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["ladder", "plan", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    lines = [line.rstrip() for line in out.splitlines()]
    head = next(i for i, line in enumerate(lines) if line.split()[:1] == ["rung"])
    return lines[head : lines.index("", head)], out


def test_an_80_column_plan_cuts_no_cell(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["ladder", "plan", str(EXAMPLE), "--json"]) == 0
    rungs = json.loads(capsys.readouterr().out)["rungs"]
    table, out = _plan(capsys, monkeypatch, 80)
    assert len(table) == 2 + len(rungs) and all(len(line) <= 80 for line in table)
    assert "…" not in "\n".join(table)
    heads = table[0].split()
    assert heads == ["rung", "width", "params", "tokens", "steps", "batch", "lr", "flops", "time"]
    for line, rung in zip(table[2:], rungs, strict=True):
        cells = line.split()
        assert cells[0] == rung["rung"] and cells[1] == str(rung["width"])
        assert cells[4:6] == [str(rung["steps"]), str(rung["batch_size"])]
    said = " ".join(out.split())
    assert (
        "columns 6ND, non-emb, tokens/param, depth left out to fit 80 columns: a wider terminal shows "
        "them, --json holds every value"
    ) in said


def test_a_wide_plan_shows_every_column(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    table, out = _plan(capsys, monkeypatch, 160)
    heads = table[0].split()
    assert heads[: len(HEADS)] == list(HEADS) and heads[-3:] == ["flops", "6ND", "time"]
    assert "left out to fit" not in out
