"""What a TensorBoard run is called: its folder's path below the folder ingested, but for
the ``version_<n>`` folders PyTorch Lightning's ``TensorBoardLogger`` writes each run to
(``<save_dir>/<name>/version_0/``): such a run is named by its experiment folder
(``gpt-70M``), as the same run is named in W&B, with its version only where that folder
holds several (``gpt-70M/version_1``), so that two Lightning runs are not both
``version_0``. A run's store key is its first event file (:func:`_tensorboard._key`), not
its name: a run stored under an earlier name is found again, and keeps that name."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["run_name", "where_read"]

#: The folders Lightning's logger numbers a name's runs by.
_VERSION = re.compile(r"version_\d+")


def where_read(folder: Path, root: Path) -> str:
    """``folder``'s path below ``root``, the folder ingested (``root``'s own name for itself)."""
    return folder.relative_to(root).as_posix() if folder != root else root.resolve().name


def _versions(parent: Path) -> int:
    """How many of ``parent``'s ``version_<n>`` folders hold event files: Lightning's runs."""
    return sum(
        1
        for d in parent.iterdir()
        if d.is_dir() and _VERSION.fullmatch(d.name) and any(d.glob("events.out.tfevents.*"))
    )


def run_name(folder: Path, root: Path) -> str:
    """The name of the run whose event files are in ``folder``, read below ``root``."""
    if not _VERSION.fullmatch(folder.name):
        return where_read(folder, root)
    parent = folder.parent
    if parent != root and parent.is_relative_to(root):
        experiment = parent.relative_to(root).as_posix()
    else:  # the experiment folder itself, or the version folder, was ingested
        experiment = folder.resolve().parent.name
    if not experiment:  # a version folder at the file system's root: no name above it
        return where_read(folder, root)
    return f"{experiment}/{folder.name}" if _versions(parent) > 1 else experiment
