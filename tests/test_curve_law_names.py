"""Every option that takes a curve law lists the catalog's laws: ``fit --curve-law`` and
``report --curve-law`` listed four, leaving out multipower-after-warmup, which they take."""

from __future__ import annotations

import re

import pytest

from scalinglab._defaults import CURVE_LAW_NAMES
from scalinglab.cli import main
from scalinglab.curves import CURVE_LAWS, get_curve_law


def test_the_help_names_are_the_catalogs() -> None:
    assert tuple(CURVE_LAWS) == CURVE_LAW_NAMES
    assert [get_curve_law(name).name for name in CURVE_LAW_NAMES] == list(CURVE_LAW_NAMES)


@pytest.mark.parametrize(
    ("command", "option"),
    [(["fit"], "--curve-law"), (["report"], "--curve-law"), (["curves", "fit"], "--law")],
)
def test_every_curve_law_option_lists_every_law(
    command: list[str],
    option: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*command, "--help"]) == 0
    helped = " ".join(capsys.readouterr().out.replace("│", " ").split())
    helped = re.sub(r"(\w)- (\w)", r"\1-\2", helped)  # a name wrapped at its hyphen
    said = helped[helped.index(option) :]
    assert said.split("]")[0].count("multipower-after-warmup") == 1, said[:300]
    assert ", ".join(CURVE_LAW_NAMES) in said
