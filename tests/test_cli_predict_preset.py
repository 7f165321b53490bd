"""``scalinglab predict --preset NAME``: a published law's loss at (N, D), as ``plan --preset``
plans from it, checked against the paper's closed form; no interval (its paper's values);
--fit and --preset exclusive; ``--fit hoffmann2022`` with no such file names ``--preset``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from tests._cli import cli


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code, out, err = cli(capsys, "predict", *args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


def test_hoffmann2022_is_its_closed_form(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--preset", "hoffmann2022", "--params", "70B,7B", "--tokens", "1.4T")
    # Hoffmann et al. 2022, eq. 10: E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28
    want = [1.69 + 406.4 / n**0.34 + 410.7 / 1.4e12**0.28 for n in (70e9, 7e9)]
    assert [p["loss"] for p in data["points"]] == pytest.approx(want, rel=1e-12)
    assert want[0] == pytest.approx(1.9366, abs=1e-4)  # the table's number, by hand
    assert data["interval_kind"] == "none" and data["warnings"] == []
    assert all(p["lower"] == p["upper"] == "nan" for p in data["points"])
    assert data["source"]["kind"] == "preset" and data["source"]["name"] == "hoffmann2022"


def test_kaplan2020_at_flops_is_its_closed_form(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--preset", "kaplan2020", "--params", "7B", "--flops", "5.9e22")
    d = 5.9e22 / (6 * 7e9)  # D = C/(6·N), as for a fit
    # Kaplan et al. 2020 eq. 1.5 with eq. 1.1-1.2's constants
    want = ((8.8e13 / 7e9) ** (0.076 / 0.095) + 5.4e13 / d) ** 0.095
    assert data["tokens"] == pytest.approx(d, rel=1e-12)
    assert data["loss"] == pytest.approx(want, rel=1e-12)


def test_text_says_there_is_no_interval(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "predict", "--preset", "epoch2024", "--params", "7B",
                       "--tokens", "1.4T")  # fmt: skip
    assert code == 0
    want = 1.8172 + 482.01 / 7e9**0.3478 + 2085.43 / 1.4e12**0.3658  # Besiroglu et al. 2024
    assert f"{want:.4f}" in out and "interval" not in out.splitlines()[2]  # the header row
    assert "no intervals: a preset is a point estimate" in out
    assert "preset: --preset epoch2024 — Besiroglu et al. 2024" in out
    assert "beyond data" not in out and not math.isnan(want)


def test_fit_and_preset_are_exclusive(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "predict", "--preset", "hoffmann2022", "--fit",
                       str(tmp_path / "f.json"), "--params", "7B", "--tokens", "1T")  # fmt: skip
    assert code == 2 and "give exactly one of --fit FIT.json or --preset NAME, not both" in err
    code, _, err = cli(capsys, "predict", "--params", "7B", "--tokens", "1T")
    assert code == 2 and "error: give exactly one of --fit FIT.json or --preset NAME\n" in err


@pytest.mark.parametrize("command", [["predict", "--params", "7B", "--tokens", "1T"],
                                     ["plan", "--compute", "1e24"]])  # fmt: skip
def test_a_preset_given_as_fit_names_preset(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # no file hoffmann2022 here
    code, _, err = cli(capsys, *command, "--fit", "hoffmann2022", one_line=True)
    assert code == 2 and "error: hoffmann2022: fit file not found" in err
    assert "hint: hoffmann2022 is a published law, not a file: --preset hoffmann2022" in err
