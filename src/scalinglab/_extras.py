"""How an error's hint says to install one of scalinglab's optional extras.

A hint names the published distribution (``pip install "scalinglab[ray]"``), never the
current folder (an editable install of ``.`` with the extra): from a wheel, ``.`` is some
other project.
"""

from __future__ import annotations

__all__ = ["TORCH_PIN", "UPGRADE", "install_hint"]

#: The PyTorch the README and CI install before the training extra: with it already there,
#: the extra's ``torch>=2.4,<2.14`` is satisfied and pip fetches no multi-GB build of its own.
TORCH_PIN = "torch==2.13.0"

#: How to get a newer scalinglab: it is on no package index (``pip install -U scalinglab``
#: finds nothing), so from the sdist or checkout of the newer version, as a rebuild of the
#: solver is reinstalled (:mod:`scalinglab._builds`).
UPGRADE = (
    "upgrade scalinglab from the newer version's sdist or checkout (pip install PATH, PATH "
    "being the sdist .tar.gz or the checkout; scalinglab is on no package index)"
)


def install_hint(*extras: str) -> str:
    """The pip command that installs ``extras`` (``"train"``, ``"ray"``, ...), in one line.

    Args:
        *extras: Names from ``[project.optional-dependencies]``, at least one.

    Returns:
        ``pip install "scalinglab[ray]"``; where the training extra is among them, the pinned
        PyTorch first, and why.
    """
    command = f'pip install "scalinglab[{",".join(extras)}]"'
    if "train" not in extras:
        return command
    return (
        f"pip install {TORCH_PIN} && {command} (PyTorch first, so pip keeps the wheel you "
        "chose, CPU or CUDA, and fetches no other)"
    )
