"""An unknown preset's error names the preset meant: a law's name means the preset citing the
law's paper (``chinchilla``: ``hoffmann2022``), a misspelling the preset spelt so."""

from __future__ import annotations

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab._errors import ConfigError

CHOOSE = "choose one of hoffmann2022, epoch2024, kaplan2020"


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("chinchilla", "'hoffmann2022' (Chinchilla, Hoffmann et al. 2022)"),
        ("Hoffmann", "'hoffmann2022' (Chinchilla, Hoffmann et al. 2022)"),  # the law's alias
        ("kaplan", "'kaplan2020' (Kaplan, Kaplan et al. 2020)"),
        ("hoffman2022", "'hoffmann2022'"),  # quoted, as every suggestion (did_you_mean)
        ("epoch", "'epoch2024'"),  # a part of the name still finds it
    ],
)
def test_the_preset_meant_is_named(name: str, meant: str) -> None:
    with pytest.raises(ConfigError) as err:
        sl.get_preset(name)
    assert err.value.args[0] == f"unknown preset {name!r}; did you mean {meant}?"
    assert err.value.hint == CHOOSE


@pytest.mark.parametrize("name", ["overtraining", "gopher", "E + A*N**-alpha"])
def test_no_preset_is_guessed_where_none_cites_the_paper(name: str) -> None:
    with pytest.raises(ConfigError) as err:  # Gadre et al. 2024 ship no preset
        sl.get_preset(name)
    assert err.value.args[0] == f"unknown preset {name!r}" and err.value.hint == CHOOSE


def test_plan_from_a_law_s_name_is_told_the_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "plan", "--compute", "1e23", "--preset", "chinchilla")
    assert code == 2
    assert "did you mean 'hoffmann2022' (Chinchilla, Hoffmann et al. 2022)?" in err


def test_plan_from_a_misspelt_preset_quotes_the_one_meant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "plan", "--compute", "1e23", "--preset", "hoffman2022")
    assert code == 2
    assert err.splitlines() == [
        "error: unknown preset 'hoffman2022'; did you mean 'hoffmann2022'?",
        f"hint: {CHOOSE}",
    ]
