"""The machine a benchmark ran on: CPU model, vector extensions, cores, load average."""

from __future__ import annotations

import os
import platform


def describe() -> str:
    model, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    vec = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f") if f in flags]
    return (
        f"{model}, {os.cpu_count()} cores, vector extensions {' '.join(vec) or 'unknown'}, "
        f"load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
