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
    assert data["format"] == "scalinglab.hparams_preset/1" and data["reads"] == ["params"]
    code, out, _ = cli(capsys, "laws", "kaplan2020")  # the loss law, then its critical batch
    assert code == 0 and out.startswith("kaplan")
    assert "kaplan2020 is also a hyperparameter preset: scalinglab hparams predict --preset " in (
        " ".join(out.split())
    )
