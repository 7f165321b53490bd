"""Matplotlib's config and cache folder where the home folder cannot hold it.

Matplotlib keeps its font cache in ``$MPLCONFIGDIR`` or ``~/.config/matplotlib``. Where that
cannot be made (``HOME`` unset with no passwd entry, ``HOME=/nonexistent``, a read-only
home), each figure-drawing command printed four lines of warnings and rebuilt the font
cache, seconds each time, in a fresh temporary folder. :func:`settle_matplotlib` gives it
one folder of this user's in the temporary folder instead, kept between commands, before
matplotlib loads; a ``MPLCONFIGDIR`` the user set is left alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from scalinglab._own_temp import own_temp_folder

__all__ = ["settle_matplotlib"]

ENV = "MPLCONFIGDIR"


def settle_matplotlib() -> None:
    """Set ``MPLCONFIGDIR`` where matplotlib's own folder cannot be written."""
    if os.environ.get(ENV) or _usable(_default()):
        return
    try:
        folder = own_temp_folder("scalinglab-matplotlib")
    except OSError:
        return  # matplotlib makes a temporary folder of its own, and says so
    if folder is not None and _usable(folder):
        os.environ[ENV] = str(folder)


def _default() -> Path | None:
    """Where matplotlib would keep its config (its ``get_configdir``)."""
    try:
        if not sys.platform.startswith(("linux", "freebsd")):
            return Path.home() / ".matplotlib"
        return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "matplotlib"
    except RuntimeError:  # no home folder known
        return None


def _usable(folder: Path | None) -> bool:
    """Whether ``folder`` is, or can be made, a folder this process writes."""
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)  # as matplotlib makes it
    except OSError:
        return False
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
