"""The rows of a product of start-value axes, strided down to a limit when it is larger."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["strided_product"]


def strided_product(axes: list[tuple[float, ...]] | list[Any], limit: int) -> NDArray[np.float64]:
    """The product of ``axes`` as rows ``(S, K)`` (last axis fastest), or, when it has more
    than ``limit`` rows, ``limit`` rows evenly strided through it, picked by index so that
    memory stays ``limit x K`` however many axes there are."""
    sizes = [len(axis) for axis in axes]
    total = math.prod(sizes)  # a Python int: exact for any number of axes
    if total <= limit:
        picks = np.arange(total, dtype=np.int64)
    elif total < 2**53:  # float64 indices are exact here (and match the full-grid stride)
        picks = np.linspace(0, total - 1, limit).round().astype(np.int64)
    else:
        picks = np.array([(total - 1) * i // (limit - 1) for i in range(limit)], dtype=object)
    out = np.empty((len(picks), len(axes)), dtype=np.float64)
    rest = picks
    for k in range(len(axes) - 1, -1, -1):  # mixed-radix digits, last axis fastest
        digit = (rest % sizes[k]).astype(np.int64)
        out[:, k] = np.asarray(axes[k], dtype=np.float64)[digit]
        rest = rest // sizes[k]
    return out
