"""A strict ``json.loads`` for run files and tracker exports: repeated keys, numbers beyond
float64 and nesting too deep to read are refused by name, never guessed at."""

from __future__ import annotations

import json

from scalinglab._errors import DataError

__all__ = ["load_json"]

_MAX_NUMBER_CHARS = 40  # any float64 written out in full fits; more is not a measurement


class _RefusedJsonError(ValueError):
    """Raised inside the JSON parser's hooks; turned into a DataError with the file's name."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


_NUMBER_HINT = "write each number as a float64 value, e.g. 1.5e21"


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _RefusedJsonError(
                f"the key {key!r} appears twice in one object",
                "keep one of the two: which value is meant is not clear",
            )
        out[key] = value
    return out


def _number(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise _RefusedJsonError(
            f"a number of {len(text)} characters ({text[:12]}...)", _NUMBER_HINT
        )
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _RefusedJsonError(f"the number {text} is beyond float64's range", _NUMBER_HINT)
    return value


def _integer(text: str) -> int | float:
    value = _number(text)
    return int(text) if abs(value) < 2**53 else value


def load_json(text: str, source: str, row: int | None = None, hint: str = "") -> object:
    """``json.loads`` that refuses repeated keys, huge numbers and deep nesting by name."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_int=_integer,
            parse_float=_number,
            parse_constant=lambda name: _number(name.replace("Infinity", "inf")),
        )
    except _RefusedJsonError as err:
        raise DataError(str(err), source=source, row=row, hint=err.hint) from None
    except RecursionError:
        raise DataError(
            "the JSON is nested too deeply to read", source=source, row=row, hint=hint
        ) from None
