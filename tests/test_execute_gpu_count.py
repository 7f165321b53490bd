"""Counting GPUs for the ladder driver without importing PyTorch where the answer is known
(execute/_local.py: ``CUDA_VISIBLE_DEVICES``, no GPU driver here), and PyTorch's own count
wherever a GPU may be."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scalinglab.execute import _local as local

torch = pytest.importorskip("torch")

DRIVER_FILES = ("dev/nvidiactl", "dev/nvidia0", "dev/dxg", "dev/kfd")


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine with no GPU driver files and no nvidia-smi, where PyTorch would count two
    CUDA devices if asked (so an answer of two says it was asked)."""
    monkeypatch.setattr(local, "_ROOT", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    return tmp_path


def test_no_driver_means_no_gpu_without_asking_pytorch(bare: Path) -> None:
    assert not local.gpu_driver()
    assert local.visible_gpus() == () and local.cuda_gpus() == ()
    (bare / "proc" / "driver" / "nvidia" / "gpus").mkdir(parents=True)  # loaded, no GPU
    assert not local.gpu_driver() and local.visible_gpus() == ()


@pytest.mark.parametrize("driver_file", DRIVER_FILES)
def test_a_driver_file_leaves_the_count_to_pytorch(bare: Path, driver_file: str) -> None:
    (bare / driver_file).parent.mkdir(parents=True)
    (bare / driver_file).touch()
    assert local.gpu_driver()
    assert local.visible_gpus() == ("0", "1") and local.cuda_gpus() == ("0", "1")


def test_a_driver_gpu_entry_or_nvidia_smi_leaves_the_count_to_pytorch(bare: Path) -> None:
    gpus = bare / "proc" / "driver" / "nvidia" / "gpus"
    gpus.mkdir(parents=True)
    (gpus / "0000:01:00.0").mkdir()
    assert local.visible_gpus() == ("0", "1")
    (gpus / "0000:01:00.0").rmdir()
    smi = bare / "bin" / "nvidia-smi"
    smi.parent.mkdir()
    smi.write_text("#!/bin/sh\n")
    smi.chmod(0o755)
    assert local.gpu_driver() and local.visible_gpus() == ("0", "1")


def test_cuda_visible_devices_is_read_before_anything_else(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for value, ids in (("", ()), ("-1", ()), ("1, 3", ("1", "3")), ("GPU-5f0e", ("GPU-5f0e",))):
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", value)
        assert local.visible_gpus() == ids, value
    # CUDA hides every device after an invalid id (its guide's own example: 0,2,-1,1)
    for value, ids in (("0,-1,1", ("0",)), ("0,2,-1,1", ("0", "2")), ("0,gpu1,1", ("0",))):
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", value)
        assert local.visible_gpus() == ids, value
    # a rung's ids are checked only where PyTorch sees a device: none without a driver
    assert local.cuda_gpus() == ()


def test_without_pytorch_there_is_nothing_to_check(
    bare: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bare / "dev").mkdir()
    (bare / "dev" / "nvidiactl").touch()
    monkeypatch.setattr(local, "_has_torch", lambda: False)
    assert local.cuda_gpus() is None and local.visible_gpus() == ()


def test_the_driver_counts_gpus_without_importing_pytorch(tmp_path: Path) -> None:
    """A fresh interpreter on a machine without GPU driver files: the local backend and the
    ``--gpus auto`` check answer, and PyTorch was never imported."""
    code = (
        "import json, sys\nfrom pathlib import Path\nfrom scalinglab.execute import _local\n"
        f"_local._ROOT = Path({str(tmp_path)!r})\n"
        "b = _local.LocalBackend()\n"
        "print(json.dumps([b.gpus, _local.cuda_gpus(), 'torch' in sys.modules]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "CUDA_VISIBLE_DEVICES"}
    env["PATH"] = str(tmp_path)  # no nvidia-smi
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(out.stdout) == [[], [], False]
