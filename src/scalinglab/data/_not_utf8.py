"""The one refusal of a table file that is not UTF-8 text, for every reader of one (run
tables, and the evaluation tables ``downstream`` reads), naming the line it stops at; a
UTF-16 file (by its byte-order mark) and a zip archive (an .xlsx workbook renamed .csv) are
said to be what they are, since the hint for Windows-1252 text would not read them."""

from __future__ import annotations

from scalinglab._errors import DataError
from scalinglab._signatures import UTF16, ZIP

__all__ = ["not_utf8"]

_UTF8 = "save the file as UTF-8 (a spreadsheet: Save As 'CSV UTF-8')"


def not_utf8(err: UnicodeDecodeError, source: str) -> DataError:
    """The error to raise for ``err``, a file ``source`` that does not decode as UTF-8.

    Args:
        err: The decoding error, its ``object`` the bytes read so far.
        source: The file as the user named it.

    Returns:
        A :class:`~scalinglab.DataError` naming the file, the line of the first byte that is
        no UTF-8 (or what the file is instead), and how to save the file as UTF-8.
    """
    head = bytes(err.object[:4])
    if any(mark.found_in(head) for mark in UTF16):
        return DataError(
            "UTF-16 text (its first bytes are a UTF-16 byte-order mark), not UTF-8",
            source=source,
            hint=f"{_UTF8}; in Python pandas.read_csv(path, encoding='utf-16') reads it, its "
            "DataFrame passed to the function",
        )
    if ZIP.found_in(head):  # an .xlsx, .ods or .numbers workbook is one
        return DataError(
            "a zip archive (a spreadsheet workbook such as .xlsx, renamed?), not a text table",
            source=source,
            hint="save the sheet as CSV (Save As 'CSV UTF-8') and pass that file, or in "
            "Python read it with pandas.read_excel(path) and pass the DataFrame",
        )
    # the whole file is decoded at once: the line is counted in the bytes it holds
    line = bytes(err.object[: err.start]).count(b"\n") + 1
    return DataError(
        f"not UTF-8 text (byte {err.start})",
        source=source,
        row=line,
        hint=f"{_UTF8}; a file written in Windows-1252 or Latin-1 reads with "
        "pandas.read_csv(path, encoding='cp1252'), its DataFrame passed to the function in "
        "Python",
    )
