"""A strict ``json.loads`` for run files and tracker exports: repeated keys, numbers beyond
float64 (``1e400``) and nesting too deep to read are refused by name, never guessed at;
``NaN`` and ``Infinity`` (a diverged run's loss, as Python writes it) are read as such; and a
record's nested objects become dotted columns (:func:`flat_record`)."""

from __future__ import annotations

import json
from collections.abc import Callable

from scalinglab._errors import DataError

__all__ = ["TRACKER_KEYS", "flat_record", "load_json"]

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


def _constant(name: str) -> float:
    """``NaN``, ``Infinity`` and ``-Infinity`` as Python's ``json.dumps`` writes a diverged
    loss: read as themselves (the readers judge them), unlike a number written too large."""
    return float(name.replace("Infinity", "inf"))


def load_json(text: str, source: str, row: int | None = None, hint: str = "") -> object:
    """``json.loads`` that refuses repeated keys, huge numbers and deep nesting by name.

    A refusal names where the value is, as a CSV's names row and column: the key (nested
    keys joined by ``.``), and for an array of records the record's 1-based index as its
    row (``row``: the line of a JSON-lines file, kept).
    """
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_int=_integer,
            parse_float=_number,
            parse_constant=_constant,
        )
    except _RefusedJsonError as err:
        row, column = _place(text, row)
        raise DataError(str(err), source=source, row=row, column=column, hint=err.hint) from None
    except RecursionError:
        raise DataError(
            "the JSON is nested too deeply to read", source=source, row=row, hint=hint
        ) from None


def _place(text: str, row: int | None) -> tuple[int | None, str | None]:
    """The row and key of the first value :func:`load_json` refuses in ``text``: the parser's
    hooks see a value, not where it is, so a lenient second parse marks that value (hooks
    run in the same order, so its first mark is the refused one) and a walk finds it."""
    marked: list[tuple[object, str | None]] = []  # the refused node, and a repeated key

    def lenient(parse: Callable[[str], object]) -> Callable[[str], object]:
        def hook(value: str) -> object:
            try:
                return parse(value)
            except _RefusedJsonError:
                node = object()
                marked.append((node, None))
                return node

        return hook

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in items:
            if key in out:
                marked.append((out, key))
            out[key] = value
        return out

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=lenient(_integer),
            parse_float=lenient(_number),
            parse_constant=lenient(_constant),
        )
        path = _path(data, marked[0][0]) if marked else None
    except (ValueError, RecursionError):  # found no place: the message names the value alone
        return row, None
    if path is None:
        return row, None
    keys = [*path, marked[0][1]] if marked[0][1] is not None else list(path)
    if row is None and keys and isinstance(keys[0], int):  # an array of records: its index
        row, keys = keys[0] + 1, keys[1:]
    column = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
    return row, column or None


def _path(node: object, target: object) -> tuple[str | int, ...] | None:
    """The keys and indices from ``node`` down to ``target`` (by identity), or ``None``."""
    if node is target:
        return ()
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found = _path(value, target)
        if found is not None:
            return (key, *found)
    return None


#: The top-level keys of a tracker's export of runs (W&B's API: ``config``, ``summary``):
#: a file of records holding them is one ``ingest`` reads as a tracker's runs.
TRACKER_KEYS = ("config", "summary")


def flat_record(record: dict[str, object], source: str, row: int) -> dict[str, object]:
    """``record`` with each nested object's values as columns of their own, named by the
    keys down to them joined with ``.`` (``{"config": {"n_params": 7e7}}``:
    ``config.n_params``), so that ``--map``, ``--x`` and ``--y`` can name them; a list stays
    one cell.

    Raises:
        DataError: For a dotted name a record holds twice (the key ``config.n_params``
            beside ``config: {n_params}``), naming its ``row``.
    """
    out: dict[str, object] = {}

    def add(prefix: str, node: dict[str, object]) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict):
                add(f"{name}.", value)
            elif name in out:
                raise DataError(
                    f"the key {name!r} appears twice in one object (as written, and as "
                    "nested objects' keys joined with '.')",
                    source=source,
                    row=row,
                    column=name,
                    hint="keep one of the two: which value is meant is not clear",
                )
            else:
                out[name] = value

    add("", {str(k): v for k, v in record.items()})
    return out
