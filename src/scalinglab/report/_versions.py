"""The software a report's fit ran on, for its reproducibility card."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

__all__ = ["software_versions"]

_PACKAGES = ("scalinglab", "numpy", "scipy", "pandas", "matplotlib")


def software_versions() -> dict[str, str]:
    """Python, the platform, and the installed version of each package the fit used."""
    out = {"Python": platform.python_version(), "platform": f"{sys.platform}-{platform.machine()}"}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # a source checkout without metadata
            out[name] = "unknown"
    return out
