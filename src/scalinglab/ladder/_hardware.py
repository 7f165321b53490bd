"""Which machine a run used, its software versions, and the GPU's dense bf16 peak (for MFU).

Peaks are looked up by the device name, never assumed (nanoGPT's MFU assumes an A100); an
unknown GPU gives ``None`` and the run records no MFU rather than a wrong one.
"""

from __future__ import annotations

import platform
import sys

import torch

__all__ = ["PEAK_BF16_FLOPS", "hardware_name", "peak_flops", "software_versions"]

#: Dense (no sparsity) bf16 tensor-core peak, FLOP/s, from the vendors' data sheets. Matched
#: by substring of ``torch.cuda.get_device_name()``, most specific first.
PEAK_BF16_FLOPS: tuple[tuple[str, float], ...] = (
    ("H200", 989e12),  # same SXM compute as H100 SXM
    ("H100 NVL", 835e12),
    ("H100 PCIe", 756e12),
    ("H100", 989e12),  # H100 SXM5 (e.g. "NVIDIA H100 80GB HBM3")
    ("GH200", 989e12),
    ("A100", 312e12),
    ("L40S", 362e12),
    ("A10G", 70e12),
    ("RTX 4090", 165e12),
    ("RTX 3090", 71e12),
)


def peak_flops(device_name: str) -> float | None:
    """Dense bf16 peak of the named GPU in FLOP/s, or ``None`` when unknown."""
    for key, value in PEAK_BF16_FLOPS:
        if key in device_name:
            return value
    return None


def hardware_name(device: torch.device) -> str:
    """Human description of ``device``."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    threads = torch.get_num_threads()
    return f"cpu {platform.machine()} ({threads} thread{'' if threads == 1 else 's'})"


def software_versions() -> dict[str, str]:
    """Versions that can change a run's numbers."""
    from scalinglab import __version__

    return {
        "python": sys.version.split()[0],
        "torch": str(torch.__version__),
        "cuda": str(torch.version.cuda) if torch.cuda.is_available() else "none",
        "scalinglab": __version__,
    }
