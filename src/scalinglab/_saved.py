"""The file of a result saved from Python (``Backtest.save``, ``IsoFLOPResult.save``): strict
JSON whose first key is its ``"format"`` (kind and version), read back by the same checks
every result file goes through (:func:`scalinglab._formats.read_result`): a missing, empty or
non-JSON file, a result of another kind (what it is and which ``load`` reads it), and a file
a newer scalinglab wrote are each a :class:`~scalinglab.DataError` naming the file.

A result a command also writes (``scalinglab backtest --out``, ``isoflop --out``, ``envelope
--out``) is one file of the command's kind: the summary the command always wrote (its
``to_dict()``) at the top level, for scripts reading its keys, and the whole result under
:data:`WHOLE`, for ``load``. A file of that kind written before held the summary alone: it
is refused naming the command to re-run."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from scalinglab._errors import DataError
from scalinglab._format import with_article
from scalinglab._formats import check_format, current, legacy_kind, read_result

__all__ = ["WHOLE", "load_saved", "saved_file"]

_T = TypeVar("_T")
#: The key of a command's file that holds the whole result, beside the summary's keys.
WHOLE = "saved"


def saved_file(
    format: str, state: Mapping[str, Any], *, summary: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON object of a saved result: ``"format"`` first, then ``state``; or, with
    ``summary`` (a command's file), the summary's keys and ``state`` under :data:`WHOLE`.

    Args:
        format: The file's kind and version (``"scalinglab.isoflop/2"``).
        state: The result as plain data, JSON-ready.
        summary: What the command's ``--out`` writes of the result (its ``to_dict()``;
            a ``"format"`` there is replaced by ``format``).

    Returns:
        The file's JSON object, ``"format"`` its first key.
    """
    if summary is None:
        return {"format": format, **state}
    return {"format": format, **{k: v for k, v in summary.items() if k != "format"},
            WHOLE: dict(state)}  # fmt: skip


def load_saved(
    path: str | os.PathLike[str],
    format: str,
    build: Callable[[Mapping[str, Any]], _T],
    *,
    what: str,
    saver: str,
    python: str,
    command: str | None = None,
) -> _T:
    """The result saved to ``path`` in ``format``, rebuilt by ``build``.

    Args:
        path: The file.
        format: The kind and version read here; another kind or version is refused.
        build: Makes the result of the file's JSON object (its state).
        what: What is read, in words (``"rolling-origin backtest"``).
        saver: The method that writes such a file (``"Rolling.save"``).
        python: The Python call that makes such a result from runs (``{}``: the file),
            for a run table given instead.
        command: The command whose ``--out`` writes ``format`` (``"scalinglab isoflop
            RUNS"``): the state is under :data:`WHOLE`, and a file of its kind without it
            (an earlier release's summary) is refused naming the command; ``None``: the
            state is the file's top level.

    Raises:
        DataError: Naming the file: not found, not JSON, of another kind or version, a
            command's summary without the whole result, or with a missing or malformed
            field.
    """
    write = f"write one with `{saver}(path)` in Python"
    if command is not None:
        write += f" or `{command} --out {os.fspath(path)}`"
    loader = f"{saver.rpartition('.')[0]}.load"  # what the path was given to
    data = read_result(path, what=what, reads=f"{with_article(what)} `{saver}` wrote",
                       fit_with=python, write=write, option=loader)  # fmt: skip
    found = current(data.get("format"))
    found = legacy_kind(data) if found is None else found
    state: Mapping[str, Any]
    if command is not None and found == format and isinstance(data.get(WHOLE), Mapping):
        state = data[WHOLE]
    elif command is not None and isinstance(found, str) and _older(found, format):
        short, cls = found.removeprefix("scalinglab."), saver.rpartition(".")[0]
        raise DataError(
            f"holds the summary alone ({short}, as `{command} --out` wrote it before it "
            f"kept the whole {what}): {cls}.load cannot rebuild the {what} from it",
            source=os.fspath(path),
            hint=f"re-run `{command} ... --out {os.fspath(path)}` with the options that "
            f"wrote it (in Python: `{saver}(path)`)",
        )
    else:
        check_format(data, format, what, source=os.fspath(path), write=write)
        state = data
    try:
        return build(state)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        field = f"no {exc.args[0]!r} key" if isinstance(exc, KeyError) else f"{exc}"
        raise DataError(f"{with_article(what)} file with a missing or malformed field ({field})",
                        source=os.fspath(path), hint=f"{write} again") from None  # fmt: skip


def _older(found: str, format: str) -> bool:
    """Whether ``found`` is ``format``'s kind at its version or an earlier one."""
    kind, _, version = found.partition("/")
    want, _, latest = format.partition("/")
    return kind == want and version.isdigit() and int(version) <= int(latest)
