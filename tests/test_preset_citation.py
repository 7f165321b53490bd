"""A loss preset's paper is ``Preset.citation``, as a law's (``Law.citation``) and a
hyperparameter preset's (``HparamPreset.citation``) are, since ``source`` names where runs
came from; ``laws --json``'s presets, its hyperparameter presets and a preset's ``source``
block in ``predict --json`` and ``plan --json`` write ``"citation"``, with ``"source"``, the
old key, kept one release. ``Preset.source`` reads it for one release with a
DeprecationWarning."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli

from scalinglab import ConfigError
from scalinglab.hparams import get_hparam_preset
from scalinglab.laws import PRESETS, get_preset

#: Hoffmann et al.'s law as the paper gives it: the preset's citation names it.
PAPER = "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models, Approach 3 (eq. 10)"


def test_the_paper_is_preset_citation_and_the_old_name_warns() -> None:
    preset = get_preset("hoffmann2022")
    assert preset.citation == PAPER
    with pytest.warns(
        DeprecationWarning, match=r"Preset.source is deprecated .* use Preset.citation"
    ):
        old = preset.source  # type: ignore[deprecated]
    assert old == PAPER
    # a law's name given as a preset's finds the preset citing the law's paper
    with pytest.raises(ConfigError, match=r"did you mean 'hoffmann2022' \(Chinchilla, Hoffmann"):
        get_preset("chinchilla")


def test_laws_json_writes_each_presets_citation_and_keeps_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "laws", "--json")
    assert code == 0, err
    data = json.loads(out)
    written = {p["preset"]: p for p in data["presets"]}
    for name, preset in PRESETS.items():
        assert written[name]["citation"] == preset.citation
        assert written[name]["source"] == written[name]["citation"]  # the old key, one release
    steplaw = next(p for p in data["hparams_presets"] if p["preset"] == "steplaw2025")
    assert steplaw["citation"] == get_hparam_preset("steplaw2025").citation
    assert steplaw["source"] == steplaw["citation"]
    assert all("citation" in law for law in data["laws"])  # as each law names its paper


@pytest.mark.parametrize(
    "argv",
    [
        ["predict", "--preset", "hoffmann2022", "--params", "7B", "--tokens", "1.4T", "--json"],
        ["plan", "--preset", "hoffmann2022", "--compute", "1e22", "--json"],
    ],
)
def test_a_presets_source_block_names_its_paper_citation(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = cli(capsys, *argv)
    assert code == 0, err
    block = json.loads(out)["source"]
    assert block["kind"] == "preset" and block["citation"] == PAPER
    assert block["source"] == PAPER  # the old key, one release


def test_a_hyperparameter_presets_source_block_names_its_paper_citation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "hparams", "predict", "--preset", "steplaw2025", "--params",
                         "1B", "--tokens", "20B", "--json")  # fmt: skip
    assert code == 0, err
    block = json.loads(out)["source"]
    assert block["citation"] == get_hparam_preset("steplaw2025").citation
    assert block["source"] == block["citation"]


def test_the_text_output_names_the_presets_paper(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "predict", "--preset", "hoffmann2022", "--params", "7B",
                         "--tokens", "1.4T", one_line=True)  # fmt: skip
    assert code == 0, err
    assert " ".join(out.split()).count(" ".join(f"— {PAPER}".split())) == 1
