"""The rows of a DataFrame given to a reader, named as a notebook user finds them.

A file's row is its line (the header is line 1), a number every reader keeps as an ``int``
and every message writes as ``row 5``. A DataFrame has no lines: its row is named by its
index, as pandas shows it, so that one ``df.loc``/``df.iloc`` finds it:

- an index other than the default ``RangeIndex`` names the row by its label: ``row 'r3'``
  (a string or a date, written with ``repr``), else by the look-up of its label,
  ``row df.loc[7]`` (a label ``7`` is not the row at position 7);
- the default ``RangeIndex`` (0, 1, 2, ...) names it by its position, ``row df.iloc[3]``
  (pandas shows it as ``3``; the record counted from 1 would be ``4``).

Each such row is a :class:`FrameRow`: an ``int``, the record's number from 1 as a file's
data rows were counted before (what every check, look-up and saved fit keeps), written as
above wherever a message, a note or the report names it (``str``, an f-string). Only the
writing changes, so no caller that passes rows along as ints needs to know.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FrameRow", "frame_rows", "row_said", "said_row"]


class FrameRow(int):
    """A DataFrame's row: the ``int`` of its record number from 1, written as pandas finds
    the row (:attr:`said`: ``'r3'``, ``df.iloc[3]``).

    Arithmetic and comparison are the ``int``'s; ``str``, ``format`` and f-strings write
    :attr:`said`, and ``%d`` the number.
    """

    said: str

    def __new__(cls, number: int, said: str) -> FrameRow:
        row = super().__new__(cls, number)
        row.said = said
        return row

    def __reduce__(self) -> tuple[type[FrameRow], tuple[int, str]]:
        return (FrameRow, (int(self), self.said))

    def __str__(self) -> str:
        return self.said

    def __format__(self, spec: str) -> str:
        return self.said if not spec else int(self).__format__(spec)


def _label(value: Any) -> str:
    """An index label as a row's name: a string quoted, else with the look-up that finds it."""
    import numpy as np
    import pandas as pd

    value = value.item() if isinstance(value, np.generic) else value  # np.int64(7): 7
    if isinstance(value, str | pd.Timestamp):  # a date as df.loc takes it: '2024-01-03'
        return repr(str(value))
    return f"df.loc[{value!r}]"


def frame_rows(frame: pd.DataFrame) -> tuple[int, ...]:
    """Each record of ``frame`` as a :class:`FrameRow`, numbered from 1 and named by its
    index (module docstring): its label, or its position under a default ``RangeIndex``."""
    import pandas as pd

    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return tuple(FrameRow(k + 1, f"df.iloc[{k}]") for k in range(len(frame)))
    return tuple(FrameRow(k + 1, _label(v)) for k, v in enumerate(index))


def row_said(row: int) -> str | None:
    """How a saved result keeps ``row`` beside its number: a :class:`FrameRow`'s
    :attr:`~FrameRow.said` (``'r3'``); ``None`` for a file's line, which its number says."""
    return row.said if isinstance(row, FrameRow) else None


def said_row(number: int, said: str | None) -> int:
    """The row a saved result kept as ``number`` and ``said`` (:func:`row_said`): a
    :class:`FrameRow` that writes itself as it did, or the number (``said`` ``None``: a
    file's line, or a file saved before rows kept their words)."""
    return int(number) if said is None else FrameRow(int(number), str(said))
