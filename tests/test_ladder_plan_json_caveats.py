"""``ladder plan --json`` in the words of every other plan: ``notes`` and ``warnings`` as
lists (the rungs outside an ``--hparams`` rule's range a warning, not a line of one notes
string), both said on stderr beside the JSON, and a ``source`` block naming the recipe and
the rule that set lr and batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab.hparams import get_hparam_preset
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import get_recipe


def test_a_plan_with_a_rule_has_notes_and_warnings_lists_echoed_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "ladder", "plan", "tiny", "--hparams-preset", "steplaw2025",
                         "--flops-per-s", "1e12", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "scalinglab.ladder_plan/2"
    lines = with_hparams(get_recipe("tiny"), get_hparam_preset("steplaw2025")).notes.splitlines()
    warned = [n.removeprefix("warning: ") for n in lines if n.startswith("warning: ")]
    assert len(warned) == 1 and "rungs lie outside what the rule was fitted to" in warned[0]
    assert data["warnings"] == warned  # the warning alone, without its prefix
    assert data["notes"] == [n for n in lines if not n.startswith("warning: ")]
    assert data["notes"][0].startswith("recipe notes (its lr and batch rules replaced as below)")
    said = err.splitlines()  # on stderr, as every command with --json says its caveats
    assert f"warning: {warned[0]}" in said
    assert f"note: {data['notes'][0]}" in said
    assert data["source"] == {
        "kind": "recipe",
        "origin": "LADDER tiny",
        "name": "tiny",
        "hparams": {
            "kind": "preset",
            "name": "steplaw2025",
            "law": data["source"]["hparams"]["law"],
            "citation": get_hparam_preset("steplaw2025").citation,
            "source": get_hparam_preset("steplaw2025").citation,  # the old key, one release
        },
    }


def test_a_plan_of_a_toml_file_names_its_path_and_has_no_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    toml = Path(__file__).parents[1] / "examples" / "ladder.toml"
    code, out, err = cli(capsys, "ladder", "plan", str(toml), "--flops-per-s", "1e12", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["source"] == {
        "kind": "toml",
        "origin": f"LADDER {toml}",
        "path": str(toml),
        "hparams": None,
    }
    assert data["warnings"] == [] and all(isinstance(n, str) for n in data["notes"])
    assert [f"note: {n}" for n in data["notes"]] == err.splitlines()
