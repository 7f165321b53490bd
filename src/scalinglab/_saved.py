"""The file of a result saved from Python (``Backtest.save``, ``IsoFLOPResult.save``): strict
JSON whose first key is its ``"format"`` (kind and version), read back by the same checks
every result file goes through (:func:`scalinglab._formats.read_result`): a missing, empty or
non-JSON file, a result of another kind (what it is and which ``load`` reads it), and a file
a newer scalinglab wrote are each a :class:`~scalinglab.DataError` naming the file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from scalinglab._errors import DataError
from scalinglab._formats import read_result
from scalinglab._json import dumps
from scalinglab._paths import write_text

__all__ = ["load_saved", "save_saved"]

_T = TypeVar("_T")


def save_saved(path: str | os.PathLike[str], format: str, state: Mapping[str, Any]) -> None:
    """Write ``state`` to ``path`` as strict JSON, ``"format"`` its first key.

    Args:
        path: The file to write (its folder must exist).
        format: The file's kind and version (``"scalinglab.rolling/1"``).
        state: The result as plain data, JSON-ready.
    """
    write_text(path, dumps({"format": format, **state}) + "\n")


def load_saved(
    path: str | os.PathLike[str],
    format: str,
    build: Callable[[Mapping[str, Any]], _T],
    *,
    what: str,
    saver: str,
    python: str,
) -> _T:
    """The result :func:`save_saved` wrote to ``path`` in ``format``, rebuilt by ``build``.

    Args:
        path: The file.
        format: The kind and version read here; another kind or version is refused.
        build: Makes the result of the file's JSON object.
        what: What is read, in words (``"rolling-origin backtest"``).
        saver: The method that writes such a file (``"Rolling.save"``).
        python: The Python call that makes such a result from runs (``{}``: the file),
            for a run table given instead.

    Raises:
        DataError: Naming the file: not found, not JSON, of another kind or version, or
            with a missing or malformed field.
    """
    write = f"write one with `{saver}(path)` in Python"
    data = read_result(path, what=what, reads=f"a {what} `{saver}` wrote", fit_with=python,
                       write=write, format=format, option="path")  # fmt: skip
    try:
        return build(data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        field = f"no {exc.args[0]!r} key" if isinstance(exc, KeyError) else f"{exc}"
        raise DataError(f"a {what} file with a missing or malformed field ({field})",
                        source=os.fspath(path), hint=f"{write} again") from None  # fmt: skip
