"""IsoFLOP budgets written in a ladder's TOML as strings, as a budget is written elsewhere
(``flops = ["1e11", "3e11 FLOPs"]``), are read as those numbers: the same rungs and run ids as
``flops = [1e11, 3e11]``. They were refused as "flops budgets must be positive", which they
are; a string that is no budget is refused naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import ConfigError
from scalinglab.ladder import get_recipe

SHAPES = (
    "[[rungs]]\nwidth = 16\ndepth = 2\nheads = 2\n[[rungs]]\nwidth = 32\ndepth = 2\nheads = 2\n"
)


def _ladder(tmp_path: Path, budgets: str) -> Path:
    path = tmp_path / "iso.toml"
    path.write_text(f'name = "iso"\n[model]\ncontext = 64\n[rules]\nflops = {budgets}\n{SHAPES}')
    return path


def test_string_budgets_give_the_rungs_of_numbers(tmp_path: Path) -> None:
    numbers = get_recipe(str(_ladder(tmp_path, "[1e11, 3e11]")))
    strings = get_recipe(str(_ladder(tmp_path, '["1e11", "3e11 FLOPs"]')))
    assert [r.name for r in strings.rungs] == [
        "w16-d2-1e11", "w32-d2-1e11", "w16-d2-3e11", "w32-d2-3e11",
    ]  # fmt: skip
    assert [r.run_id for r in strings.rungs] == [r.run_id for r in numbers.rungs]
    assert len(strings.rungs) == 4


@pytest.mark.parametrize(
    ("budgets", "message"),
    [
        ('["1e11 FLOPz", 3e11]', "flops budget '1e11 FLOPz' is not a number of FLOPs"),
        ("[true, 3e11]", "flops budget true is not a number of FLOPs"),
        ("[1e11, -1]", "flops budgets must be positive, got -1"),
    ],
)
def test_what_is_no_budget_is_refused_by_name(tmp_path: Path, budgets: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        get_recipe(str(_ladder(tmp_path, budgets)))
    assert "flops = [1e11, 3e11]" in str(caught.value.hint)
