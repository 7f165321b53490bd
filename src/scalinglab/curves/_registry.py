"""Curve laws by name: ``multipower`` (``multipower-after-warmup`` for the paper's
post-warm-up sums), ``tissue``, ``power-s1``, ``power-steps``, and
``sized:NAME`` for any of them across model sizes."""

from __future__ import annotations

from collections.abc import Mapping

from scalinglab._checks import given
from scalinglab._defaults import CURVE_LAW_NAMES
from scalinglab._errors import ConfigError, did_you_mean
from scalinglab.curves._laws import CurveLaw, PowerS1, PowerSteps
from scalinglab.curves._multipower import MultiPower, MultiPowerAfterWarmup
from scalinglab.curves._tissue import Tissue

__all__ = ["CURVE_LAWS", "get_curve_law"]


#: Curve laws by name (the names the command line's help lists, without importing these).
CURVE_LAWS: Mapping[str, type[CurveLaw]] = dict(
    zip(
        CURVE_LAW_NAMES,
        (MultiPower, MultiPowerAfterWarmup, Tissue, PowerS1, PowerSteps),
        strict=True,
    )
)


def get_curve_law(law: str | CurveLaw) -> CurveLaw:
    """A curve law from its name (one of :data:`CURVE_LAWS`: ``multipower``,
    ``multipower-after-warmup``, ``tissue``, ``power-s1``, ``power-steps``), or
    ``sized:NAME`` for that law across model sizes (:class:`~._sized.SizedLaw`).

    Args:
        law: The name, or a curve law (returned as it is).

    Returns:
        A new instance of the law.
    """
    if isinstance(law, CurveLaw):
        return law
    if not isinstance(law, str):  # law=5: not Python's "'int' object has no attribute 'strip'"
        raise ConfigError(
            f"law must be a curve law's name or a CurveLaw, got {given(law)}",
            hint=f"e.g. law='multipower'; the curve laws are {', '.join(CURVE_LAWS)}",
        )
    key = law.strip().lower().replace("_", "-")
    if key.startswith("sized:"):
        from scalinglab.curves._sized import SizedLaw

        return SizedLaw(get_curve_law(key.partition(":")[2]))
    if key not in CURVE_LAWS:
        raise ConfigError(
            f"unknown curve law {law!r}{did_you_mean(law, list(CURVE_LAWS))}",
            hint=f"use one of {', '.join(CURVE_LAWS)}",
        )
    return CURVE_LAWS[key]()
