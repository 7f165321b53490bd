"""``ladder plan``'s time estimate: a per-rung overhead, a GPU only when one answers (not
any ``nvidia-smi`` on PATH), and a non-finite --flops-per-s refused."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests._ladders import write_ladder

from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import main


def _fake_smi(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.mkdir()
    smi = folder / "nvidia-smi"
    smi.write_text("#!/bin/sh\n" + script)
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delitem(sys.modules, "torch", raising=False)  # judged by nvidia-smi alone


def test_a_failing_nvidia_smi_is_no_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_smi(tmp_path / "bin", 'echo "NVIDIA-SMI has failed"\nexit 9\n', monkeypatch)
    assert not plan.gpu_found()
    rate, why = plan.default_rate()
    assert rate == 1e10 and why.startswith("no GPU")


def test_a_working_nvidia_smi_is_a_gpu_unless_the_rungs_ask_for_the_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_smi(tmp_path / "bin", 'echo "GPU 0: NVIDIA H100 (UUID: GPU-1)"\n', monkeypatch)
    assert plan.gpu_found()
    assert plan.default_rate() == (1e14, "a GPU was found: assumed 1e14 FLOP/s")
    from scalinglab.ladder import get_recipe

    assert plan.default_rate(get_recipe("tiny"))[0] == 1e14  # tiny's rungs: device "auto"
    toml = write_ladder(tmp_path / "cpu.toml", steps=(10,), corpus=tmp_path)  # device "cpu"
    rate, why = plan.default_rate(get_recipe(str(toml)))
    assert rate == 1e10 and why.startswith("the rungs ask for the CPU")


def test_the_estimate_adds_the_rung_overhead(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "1e10", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [r["est_s"] for r in rows] == pytest.approx([r["flops"] / 1e10 + 5.0 for r in rows])
    assert main(["ladder", "plan", "tiny", "--flops-per-s", "1e10"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(an estimate: given by --flops-per-s, plus about 5 s a rung to start a worker" in out


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_speed_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ladder", "plan", "tiny", f"--flops-per-s={value}"]) == 2
    assert "--flops-per-s must be a positive finite number" in capsys.readouterr().err


def test_a_hparams_file_that_is_no_fit_names_hparams_in_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = tmp_path / "mini.toml"
    toml.write_text('name = "mini"\n')
    assert main(["ladder", "plan", "tiny", "--hparams", str(toml)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "fit file is not valid JSON" in err
    assert "hint: `--hparams` reads a fit written by `scalinglab hparams fit SWEEP" in err
    assert "--fit" not in err
