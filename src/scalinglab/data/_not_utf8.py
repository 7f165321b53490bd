"""The one refusal of a table file that is not UTF-8 text, for every reader of one (run
tables, and the evaluation tables ``downstream`` reads), naming the line it stops at."""

from __future__ import annotations

from scalinglab._errors import DataError

__all__ = ["not_utf8"]


def not_utf8(err: UnicodeDecodeError, source: str) -> DataError:
    """The error to raise for ``err``, a file ``source`` that does not decode as UTF-8.

    Args:
        err: The decoding error, its ``object`` the bytes read so far.
        source: The file as the user named it.

    Returns:
        A :class:`~scalinglab.DataError` naming the file, the line of the first byte that is
        no UTF-8, and how to save the file as UTF-8.
    """
    # the whole file is decoded at once: the line is counted in the bytes it holds
    line = bytes(err.object[: err.start]).count(b"\n") + 1
    return DataError(
        f"not UTF-8 text (byte {err.start})",
        source=source,
        row=line,
        hint="save the file as UTF-8 (a spreadsheet: Save As 'CSV UTF-8'); a file "
        "written in Windows-1252 or Latin-1 reads with pandas.read_csv(path, "
        "encoding='cp1252'), its DataFrame passed to the function in Python",
    )
