"""A name one slip off a preset says the one meant where a law's name is read for a preset
too: ``laws hoffman2022`` (as ``plan --preset hoffman2022`` does); and ``hparams backtest
--holdout larges:1`` says the form ``largest:1`` reads as there (``top-scales:1``), where it
said only "cannot read"."""

from __future__ import annotations

import pytest
from tests._cli import refused
from tests._hparam_sweeps import SEQ_LEN, sweep

from scalinglab import ConfigError
from scalinglab.hparams import read_sweep
from scalinglab.hparams._holdout import split_sweep
from scalinglab.validate._rule_names import near_form

_HINT = (
    "hint: choose one of chinchilla, overtraining, kaplan, kaplan-n, power-law, "
    "power-law-plus-constant, bnsl (see `scalinglab laws`), or write a formula such as "
    "'E + A*N**-alpha'; or a preset: hoffmann2022, epoch2024, kaplan2020, steplaw2025, "
    "deepseek2024, porian2024"
)


@pytest.mark.parametrize(
    ("name", "meant"),
    [("hoffman2022", "hoffmann2022"), ("epoch2042", "epoch2024"), ("steplaw2024", "steplaw2025")],
)
def test_laws_names_the_preset_meant(
    capsys: pytest.CaptureFixture[str], name: str, meant: str
) -> None:
    error, hint = refused(capsys, ["laws", name])
    assert error == f"error: unknown law or preset {name!r}; did you mean {meant!r}?"
    assert hint == _HINT


def test_laws_keeps_the_law_meant_and_reads_a_preset_in_any_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error, _ = refused(capsys, ["laws", "chinchila"])
    assert error == "error: unknown law 'chinchila'; did you mean 'chinchilla'?"
    from scalinglab.cli import main

    assert main(["laws", "Hoffmann2022"]) == 0
    assert "preset hoffmann2022: E = 1.69" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("rule", "meant"),
    [
        ("larges:1", "top-scales:1"),
        ("Largst:2", "top-scales:2"),
        ("larges:2:params", "top-scales:2"),
        ("larges:2:flops", "largest:2:flops"),  # backtest's form, which hparams reads too
    ],
)
def test_hparams_backtest_names_the_form_largest_reads_as(rule: str, meant: str) -> None:
    cells = read_sweep(sweep(1), seq_len=SEQ_LEN)
    with pytest.raises(ConfigError) as err:
        split_sweep(cells, rule)
    assert err.value.message.endswith(f"cannot read {rule!r}; did you mean {meant!r}?")


def test_backtest_still_names_its_own_largest() -> None:
    assert near_form("larges:1") == "largest:1"
    assert near_form("larges:1", {"largest": "top-scales"}) == "top-scales:1"
