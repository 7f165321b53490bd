"""A compute budget written in time, not FLOPs: ``1000 GPU-hours``, ``50 H100-days``,
``3.5e3 PF-days``. Budgets are FLOP counts everywhere (``--compute``, ``flops=``,
``budgets=``); such a value was refused as "not a number", which said nothing of the unit
that was the trouble. Here it is recognised, and the hint gives the conversion: for
petaflop/s-days, the FLOPs themselves (a fixed rate); for accelerator time, the formula and
a worked figure (the rate and utilisation are the user's own, so they are not assumed).
"""

from __future__ import annotations

import re

from scalinglab._format import format_g, format_grouped

__all__ = ["time_budget"]

#: A number (units K, M, B, T allowed) and a time unit: accelerator hours or days, or
#: petaflop/s-days (``PF-days``, ``pfs-days``, ``petaflop-days``).
_TIME = re.compile(
    r"\s*(?P<num>[+-]?(?:\d[\d_,]*\.?\d*|\.\d+)(?:e[+-]?\d+)?[kmbt]?)?\s*"
    r"(?:(?P<pf>pf(?:lop)?s?|petaflops?(?:/s)?|pf/s)[-\s_]*(?P<pfunit>days?)"
    r"|(?P<chip>[a-z]*\d*)[-\s_]*(?P<unit>hours?|hrs?|h|days?|d))\s*",
    re.IGNORECASE,
)
#: The worked example of the hint: an H100's dense bf16 peak (989 TFLOP/s) at 40% of it.
_PEAK, _MFU = 989e12, 0.4
#: FLOPs of one petaflop/s-day: 1e15 FLOP/s for 86,400 s.
PF_DAY = 1e15 * 86_400


def time_budget(text: str, option: str) -> tuple[str, str] | None:
    """The message and hint for a budget ``text`` written in time, or ``None`` where it is
    not one (the caller's "not a number" stands).

    Args:
        text: The value as written (``"1000 GPU-hours"``).
        option: The command-line option (``--compute``) or Python argument (``flops``) it
            was given as, which the messages name and write the FLOPs for.
    """
    from scalinglab.data._units import parse_cell

    found = _TIME.fullmatch(text)
    if found is None or (found["unit"] is not None and not _accelerator(found)):
        return None
    cli = option.startswith("--")
    given, write = (
        (f"{option} {text!r}", f"{option} ") if cli else (f"{option}={text!r}", f"{option}=")
    )
    parsed = parse_cell(found["num"]) if found["num"] else None
    number = None if parsed is None else parsed[0]
    if found["pf"] is not None:
        said = f"{given} is in petaflop/s-days, not FLOPs"
        flops = f": {write}{format_g(number * PF_DAY, 3)}" if number is not None else ""
        return said, f"one PF-day is 1e15 FLOP/s × 86,400 s = 8.64e19 FLOPs{flops}"
    days = found["unit"].lower().startswith("d")
    per, seconds = ("day", 86_400) if days else ("hour", 3_600)
    said = f"{given} is accelerator time ({per}s), not FLOPs"
    count = 1000 if number is None else number
    worked = count * seconds * _PEAK * _MFU
    return said, (
        f"convert: FLOPs = {per}s × {format_grouped(seconds)} s × the accelerator's peak FLOP/s × the "
        f"utilisation you expect; e.g. {format_g(count)} H100-{per}s at 40% of its 989 "
        f"TFLOP/s (dense bf16): {write}{format_g(worked, 3)}"
    )


def _accelerator(found: re.Match[str]) -> bool:
    """Whether an hours or days value names accelerator time: a device word before the
    unit (``GPU``, ``H100``, ``TPU``), or the unit spelled out (``hours``, ``days``); a bare
    ``h`` or ``d`` after a number alone is too short a word to read as one."""
    chip, unit = found["chip"] or "", found["unit"].lower()
    return bool(chip) or len(unit) > 1
