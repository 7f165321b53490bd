"""``ladder plan RECIPE --toml`` prints the ladder as a TOML file that reads back into the
same ladder (rungs, run ids, name, notes, lr cap); the hints for a ladder file point at it,
not at ``examples/ladder.toml``, which a wheel does not ship."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab._errors import ConfigError
from scalinglab.ladder import get_recipe, recipe_names


@pytest.mark.parametrize("name", recipe_names())
def test_a_recipe_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = cli(capsys, "ladder", "plan", name, "--toml")
    assert code == 0 and err == ""
    assert out.startswith(f'name = "{name}"\n')
    path = tmp_path / f"{name}.toml"
    path.write_text(out, encoding="utf-8")
    spec, again = get_recipe(name), get_recipe(str(path))
    assert again.rungs == spec.rungs
    assert [r.run_id for r in again.rungs] == [r.run_id for r in spec.rungs]
    assert (again.name, again.notes, again.max_lr) == (spec.name, spec.notes, spec.max_lr)
    # and the command line reads it as LADDER: the same plan
    assert cli(capsys, "ladder", "plan", str(path), "--json")[1].count('"run_id"') == len(
        spec.rungs
    )


def test_toml_takes_no_plan_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "ladder", "plan", "tiny", "--toml", "--json", one_line=True)
    assert code == 2 and out == ""
    assert err == (
        "error: --toml prints the ladder, not a plan: it takes no --json, --out, --store or "
        "--flops-per-s hint: leave those out, or drop --toml for the plan"
    )


def test_hints_point_at_the_command(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[rungs]]\nwidth = 32\ndepth = 1\nheads = 2\nzzz = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key") as caught:
        get_recipe(str(path))
    assert "scalinglab ladder plan tiny --toml" in caught.value.hint
    assert "examples/" not in caught.value.hint
    example = Path(__file__).resolve().parents[1] / "examples" / "ladder.toml"
    assert "ladder._toml" not in example.read_text(encoding="utf-8")


def test_a_rule_s_lr_and_batch_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab.cli._cmd_ladder_plan import recipe_of

    words = ("ladder", "plan", "tiny", "--hparams-preset", "steplaw2025")
    code, out, _ = cli(capsys, *words, "--toml")
    assert code == 0
    path = tmp_path / "hp.toml"
    path.write_text(out, encoding="utf-8")
    spec, _ = recipe_of("tiny", None, "steplaw2025")
    again = get_recipe(str(path))
    assert again.rungs == spec.rungs
    assert again.rungs[0].train.lr != get_recipe("tiny").rungs[0].train.lr
