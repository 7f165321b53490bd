"""A saved :class:`~scalinglab.hparams.HparamLaw` read back: :meth:`HparamLaw.from_dict`'s
work, older files' ``params`` (now ``coefs``) and missing fields included."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scalinglab.hparams._laws import HparamLaw

__all__ = ["law_from_dict"]


def law_from_dict(cls: type[HparamLaw], data: Mapping[str, object]) -> HparamLaw:
    """The law :meth:`HparamLaw.to_dict` wrote as ``data``."""
    samples = data.get("samples")
    coefs = dict(data["coefs"] if "coefs" in data else data["params"])  # type: ignore[call-overload]  # older files: "params"
    return cls(
        target=str(data["target"]),
        formula=str(data["formula"]),
        coefs={k: _f(v) for k, v in coefs.items()},
        intervals={k: (_f(v[0]), _f(v[1])) for k, v in dict(data["intervals"]).items()},  # type: ignore[call-overload]
        samples=None
        if samples is None
        else np.asarray(samples, dtype=np.float64).reshape(-1, len(coefs)),
        level=float(data["level"]),  # type: ignore[arg-type]
        status=str(data["status"]),
        n_cells=int(data["n_cells"]),  # type: ignore[call-overload]
        residual_scale=_f(data.get("residual_scale")),  # older files: none
        solver=None if data.get("solver") is None else str(data["solver"]),  # older: none
    )


def _f(v: object) -> float:
    return math.nan if v is None else float(v)  # type: ignore[arg-type]
