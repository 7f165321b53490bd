"""Checks of a fit file's fields that a fit could not have written: refused when the file
is read, in one line naming the file and the field, rather than as a crash (``"coefs"`` as
a list), a misleading message later (a NaN coefficient: "the fit has no bootstrap"; no
column for ``D``: "does not read --tokens"), an error that names no file (``"level": 5``)
or nothing at all (a NaN bootstrap sample, which made every interval NaN; ``true`` as an
interval's end, read as 1).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_grouped
from scalinglab.laws import Law

__all__ = ["check_columns", "check_fields", "check_samples", "law_coefs", "sample_rows"]

_REFIT = "write it again with `scalinglab fit ... --out fit.json`"


def check_fields(d: Mapping[str, Any], *, source: str) -> None:
    """Refuse a ``"coefs"`` that is not a mapping of finite numbers, ``"intervals"`` that
    is not a mapping of pairs of numbers, a ``"level"`` that is not a coverage strictly
    between 0 and 1, ``"columns"`` that is not a mapping of names, and a ``"plan_withheld"``
    that is neither a reason nor null; a missing key is left to the reader, which names it."""
    key = "coefs" if "coefs" in d or "params" not in d else "params"  # older: "params"
    if key in d:
        _check_coefs(d[key], key=key, source=source)
    if "intervals" in d:
        _check_intervals(d["intervals"], source=source)
    level = d.get("level")
    as_level = _float(level) if _number(level) else None  # "0.9" as a string: refused
    if "level" in d and not (as_level is not None and 0.0 < as_level < 1.0):
        raise DataError(
            f'the fit\'s "level" is {level!r}, not a coverage strictly between 0 and 1 '
            "(0.9: 90% intervals)",
            source=source, hint=_REFIT,
        )  # fmt: skip
    columns = d.get("columns")
    if "columns" in d and not (
        isinstance(columns, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise DataError(
            f'the fit\'s "columns" must map each variable of the law to the column it '
            f"read (e.g. {{\"N\": \"params\"}}), got {_shown(columns)}",
            source=source, hint=_REFIT,
        )  # fmt: skip
    withheld = d.get("plan_withheld")
    if withheld is not None and not isinstance(withheld, str):  # an edited `true`: no reason
        raise DataError(
            f'the fit\'s "plan_withheld" must be why no plan may be made from it (a string, as '
            f"fit writes it) or null where one may, got {json.dumps(withheld, default=str)}",
            source=source, hint=_REFIT,
        )  # fmt: skip


def check_columns(columns: Mapping[str, str], law: Law, *, source: str) -> None:
    """Refuse ``columns`` that lack a variable ``law`` reads (a file edited since the fit)."""
    missing = [s for s in law.variables if s not in columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise DataError(
            f'the fit\'s "columns" names no column for variable{plural} '
            f"{', '.join(missing)}, which law {law.name!r} reads "
            f"(its variables: {', '.join(law.variables)})",
            source=source, hint=_REFIT,
        )  # fmt: skip


def sample_rows(samples: Any, names: tuple[str, ...], source: str) -> NDArray[np.float64]:
    """The bootstrap samples as an ``(R, K)`` array, each row as the file holds it (never
    reshaped into other rows); ``names``: the file's coefficients (``K`` of a file with
    none). A value that is not a finite number is refused: a fit keeps only the resamples
    whose every coefficient is finite (:func:`scalinglab.fit._bootstrap.kept`), so NaN
    there is an edit, and it would make every interval computed from them NaN."""
    if not isinstance(samples, list) or not all(isinstance(r, list) for r in samples):
        raise DataError(
            'the fit\'s "samples" must be a list of rows, one value per coefficient',
            source=source, hint=_REFIT,
        )  # fmt: skip
    lengths = [len(r) for r in samples]
    odd = next((i for i, n in enumerate(lengths) if n != lengths[0]), None)
    if odd is not None:
        raise DataError(
            f"bootstrap sample {odd + 1} of {len(samples)} holds {lengths[odd]} values, "
            f"sample 1 holds {lengths[0]}: each holds one per coefficient",
            source=source, hint=_REFIT,
        )  # fmt: skip
    for i, row in enumerate(samples):
        bad = next((k for k, v in enumerate(row) if not _finite(v)), None)
        if bad is not None:
            which = repr(names[bad]) if bad < len(names) else f"{bad + 1}"
            raise DataError(
                f"bootstrap sample {format_grouped(i + 1)} of {format_grouped(len(samples))} holds {_value(row[bad])} for "
                f"coefficient {which}, not a finite number (a fit keeps only resamples whose "
                "every coefficient is finite, and notes those it left out)",
                source=source, hint=_REFIT,
            )  # fmt: skip
    return np.array(samples, dtype=np.float64).reshape(
        len(samples), lengths[0] if samples else len(names)
    )


def law_coefs(coefs: Mapping[str, float], law: Law, *, source: str) -> None:
    """Refuse coefficients that are not ``law``'s: one it needs and the file lacks, or
    one it does not have."""
    names = law.param_names
    missing = [n for n in names if n not in coefs]
    extra = [n for n in coefs if n not in names]
    for which, *what in ((missing, "lacks", "needs"), (extra, "has", "does not have")):
        if which:
            listed = ", ".join(repr(n) for n in which)
            plural = "s" if len(which) > 1 else ""
            raise DataError(
                f"the fit {what[0]} coefficient{plural} {listed}, which law {law.name!r} "
                f"{what[1]} (its coefficients: {', '.join(names)})",
                source=source, hint=_REFIT,
            )  # fmt: skip


def check_samples(
    samples: NDArray[np.float64] | None, names: tuple[str, ...], *, law: str | None, source: str
) -> None:
    """Refuse bootstrap samples that do not hold one value per coefficient (``names``, of
    ``law`` where the file's law is known)."""
    if samples is None or not len(samples) or samples.shape[1] == len(names):
        return
    whose = f"law {law!r}" if law else "the fit"
    raise DataError(
        f"the fit's {len(samples)} bootstrap samples hold {samples.shape[1]} values each, "
        f"not the {len(names)} coefficients of {whose} ({', '.join(names)})",
        source=source, hint=_REFIT,
    )  # fmt: skip


def _check_coefs(coefs: object, *, key: str, source: str) -> None:
    if not isinstance(coefs, Mapping):
        raise DataError(
            f'the fit\'s "{key}" must map each coefficient\'s name to its value, '
            f"got {_shown(coefs)}",
            source=source, hint=_REFIT,
        )  # fmt: skip
    for name, value in coefs.items():
        # inf/NaN are written as strings ("nan"): a fit never keeps either
        as_float = _float(value)
        if as_float is None or not math.isfinite(as_float):
            shown = "null" if value is None else repr(value)
            raise DataError(
                f'the fit\'s coefficient {name!r} in "{key}" is {shown}, not a finite number',
                source=source, hint=_REFIT,
            )  # fmt: skip


def _check_intervals(intervals: object, *, source: str) -> None:
    """Refuse intervals that are not ``{name: [low, high]}`` with each end a number or
    the string of one (``"nan"`` is what a fit without bootstrap writes)."""
    if not isinstance(intervals, Mapping):
        raise DataError(
            'the fit\'s "intervals" must map each coefficient\'s name to its [low, high] '
            f"interval, got {_shown(intervals)}",
            source=source, hint=_REFIT,
        )  # fmt: skip
    for name, ends in intervals.items():
        if not (
            isinstance(ends, list | tuple)
            and len(ends) == 2
            and all(_float(v) is not None for v in ends)
        ):
            shown = _value(ends) if not isinstance(ends, list | tuple) else _listed(ends)
            raise DataError(
                f"the fit's interval of coefficient {name!r} in \"intervals\" is {shown}, "
                "not two numbers (its low and high ends; \"nan\" where there is no bootstrap)",
                source=source, hint=_REFIT,
            )  # fmt: skip


def _finite(value: object) -> bool:
    as_float = _float(value)
    return as_float is not None and math.isfinite(as_float)


def _value(value: object) -> str:
    """``value`` as the file holds it: ``null``, ``true``, ``'abc'``, ``nan``."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return repr(value)


def _listed(values: list[object] | tuple[object, ...]) -> str:
    return f"[{', '.join(_value(v) for v in values)}]"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _float(value: object) -> float | None:
    """``value`` as a float where it is a number or the string of one, else ``None``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _shown(value: object) -> str:
    """``value``'s kind for a message: ``a list``, ``a str``."""
    kind = type(value).__name__
    return "null" if value is None else f"a {kind}" if kind[0] not in "aeiou" else f"an {kind}"
