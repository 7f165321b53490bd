"""A folder of this user's in the shared temporary folder, for what would live in the home
folder where that cannot be written (matplotlib's font cache, the ladder's corpora): one per
user, kept between commands, made ``0o700`` and used only where this user owns it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["own_temp_folder", "own_temp_path"]


def own_temp_path(name: str) -> Path:
    """``<temporary folder>/<name>-<user>``, not made."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"{name}-{user}"


def own_temp_folder(name: str) -> Path | None:
    """:func:`own_temp_path`, made now (``0o700``); ``None`` where another user owns it.

    Raises:
        OSError: Where it cannot be made.
    """
    folder = own_temp_path(name)
    folder.mkdir(mode=0o700, exist_ok=True)
    # the temporary folder is shared: only a folder of this user's is used
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        return None
    return folder
