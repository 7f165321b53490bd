"""A preset a notebook shows (``scalinglab.get_preset("hoffmann2022")`` as a cell's last line)
prints one line: its name, form and the paper's numbers as the paper gives them, the citation cut
short. The dataclass reprs ran to 600-900 characters, every convention written out, and a
hyperparameter preset's rules showed as ``<function <lambda> at 0x7f...>``."""

from __future__ import annotations

import re

import pytest

import scalinglab
from scalinglab.hparams import CRITICAL_BATCH_PRESETS, HPARAM_PRESETS

SHORT = 250  # characters; test_python_api_repr holds results under 400


def _short(text: str, cls: str) -> None:
    assert text.startswith(f"{cls}(name=") and text.endswith(")"), text
    assert len(text) < SHORT and "\n" not in text, f"{len(text)} characters: {text}"
    assert not re.search(r"<function|0x[0-9a-f]{6,}|Conventions\(", text), text


def test_a_loss_preset_shows_the_papers_numbers_as_published() -> None:
    text = repr(scalinglab.get_preset("hoffmann2022"))
    _short(text, "Preset")
    assert text.startswith(
        "Preset(name='hoffmann2022', law='chinchilla', E=1.69, A=406.4, B=410.7, alpha=0.34, "
        "beta=0.28, citation='Hoffmann et al. 2022, "
    ), text
    # the Epoch refit's B is 2085.43 (DESIGN.md, Besiroglu et al. 2024): not cut to 2085.4
    epoch = repr(scalinglab.get_preset("epoch2024"))
    assert "E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658" in epoch
    kaplan = repr(scalinglab.get_preset("kaplan2020"))
    assert "law='kaplan', N_c=8.8e13, alpha_N=0.076, D_c=5.4e13, alpha_D=0.095" in kaplan


@pytest.mark.parametrize("name", sorted(scalinglab.PRESETS))
def test_every_loss_preset_is_one_short_line(name: str) -> None:
    _short(repr(scalinglab.get_preset(name)), "Preset")


@pytest.mark.parametrize("name", sorted(HPARAM_PRESETS))
def test_every_hparam_preset_shows_its_formulas_not_function_addresses(name: str) -> None:
    preset = scalinglab.get_hparam_preset(name)
    text = repr(preset)
    _short(text, "HparamPreset")
    assert f"lr={preset.lr_formula!r}, batch={preset.batch_formula!r}" in text
    assert f"reads={', '.join(preset.reads)}" in text


def test_the_step_law_preset_reads_n_and_d() -> None:
    text = repr(scalinglab.get_hparam_preset("steplaw2025"))
    assert text.startswith(
        "HparamPreset(name='steplaw2025', lr='lr* = 1.79 * N^-0.713 * D^0.307', "
        "batch='B* = 0.58 * D^0.571 (tokens)', reads=params, tokens, citation=\"Li et al. 2025"
    ), text


@pytest.mark.parametrize("name", sorted(CRITICAL_BATCH_PRESETS))
def test_a_critical_batch_preset_is_one_short_line(name: str) -> None:
    text = repr(scalinglab.get_critical_batch_preset(name))
    _short(text, "CriticalBatchPreset")
    assert "batch='B_crit(L) = 2e8 / L^(1/0.21) (tokens)', dataset='WebText2'" in text
