"""``scalinglab laws`` lists the hyperparameter presets beside the loss laws' (its help
promises the published presets), and ``laws steplaw2025`` shows one; kaplan2020 names a loss
law and a critical batch, and its page says both."""

from __future__ import annotations

import json

import pytest
from tests._cli import cli


def test_laws_lists_the_hparams_presets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "laws")
    assert code == 0 and "hyperparameter presets (hparams predict --preset NAME" in out
    for name in ("steplaw2025", "deepseek2024", "porian2024"):
        assert name in out
    code, out, _ = cli(capsys, "laws", "--json")
    names = [p["preset"] for p in json.loads(out)["hparams_presets"]]
    assert code == 0 and names == ["steplaw2025", "deepseek2024", "porian2024", "kaplan2020"]


def test_laws_name_shows_an_hparams_preset(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "laws", "steplaw2025")
    assert code == 0, err
    assert "lr* = 1.79 * N^-0.713 * D^0.307" in out and "B* = 0.58 * D^0.571 (tokens)" in out
    assert "use: scalinglab hparams predict --preset steplaw2025" in out
    code, out, _ = cli(capsys, "laws", "porian2024", "--json")
    data = json.loads(out)
    assert data["format"] == "scalinglab.hparams_preset/2" and data["reads"] == ["params"]
    code, out, _ = cli(capsys, "laws", "kaplan2020")  # the loss law, then its critical batch
    assert code == 0 and out.startswith("kaplan")
    assert "kaplan2020 is also a hyperparameter preset: scalinglab hparams predict --preset " in (
        " ".join(out.split())
    )


def test_an_hparams_preset_in_json_has_its_fitted_range_and_conventions_as_a_mapping(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As the text shows it (fitted on ...), and in the shape a loss preset's conventions
    take in the same ``laws --json`` (a mapping with ``params``)."""
    code, out, _ = cli(capsys, "laws", "steplaw2025", "--json")
    data = json.loads(out)
    assert code == 0 and data["fitted"] == {
        "symbol": "N", "low": 214.7e6, "high": 1e9,
        "source": "Li et al. 2025's dense sweeps: published grids from N = 214.7M "
        "(step-law/steplaw, data/dense_lr_bs_loss.csv), Fig. 1's grid at 1B",
    }  # fmt: skip
    assert data["conventions"]["params"] == "non-embedding parameters"
    assert data["conventions"]["summary"].startswith("N non-embedding parameters, D training")
    code, out, _ = cli(capsys, "laws", "--json")
    catalog = json.loads(out)
    assert code == 0 and catalog["format"] == "scalinglab.laws/2"
    for preset in (*catalog["presets"], *catalog["hparams_presets"]):
        assert isinstance(preset["conventions"], dict) and "params" in preset["conventions"]
    by_name = {p["preset"]: p for p in catalog["hparams_presets"]}
    assert by_name["deepseek2024"]["fitted"] is None and by_name["kaplan2020"]["fitted"] is None
    assert by_name["porian2024"]["fitted"]["high"] == 901e6
    assert by_name["kaplan2020"]["conventions"]["params"].startswith("not read: ")
