"""A JSON table written as columns (``{"params": [...], "loss": [...]}``, as a dict of
columns is read in Python; or pandas' ``to_json()``), as the rows every ``.json`` table reader reads: ``fit`` and
``downstream fit`` read such a file by one rule."""

from __future__ import annotations

from collections.abc import Mapping

from scalinglab._errors import DataError

__all__ = ["column_records"]


def column_records(data: object, source: str, hint: str) -> list[dict[str, object]] | None:
    """The rows of ``data`` where it is a JSON object of columns, each a list of one value
    per row, or each an object of row label -> value (pandas' ``to_json()``, the same labels
    in each); ``None`` where it is neither (said by the caller).

    Raises:
        DataError: For columns of different lengths (each named with its length), or none
            holding a row.
    """
    if not isinstance(data, Mapping) or not data:
        return None
    if all(isinstance(v, Mapping) for v in data.values()):  # pandas' to_json(): by index
        index = list(next(iter(data.values())))
        if any(list(v) != index for v in data.values()):
            raise DataError(
                "holds columns keyed by different row labels: a table's columns label the "
                "same rows",
                source=source,
                hint=hint,
            )
        data = {k: [v[i] for i in index] for k, v in data.items()}
    if not all(isinstance(v, list) for v in data.values()):
        return None
    lengths = {str(k): len(v) for k, v in data.items()}
    if len(set(lengths.values())) > 1:
        said = ", ".join(f"{k!r} {n}" for k, n in lengths.items())
        raise DataError(
            f"holds columns of different lengths ({said} values): a table's columns hold one "
            "value per row each",
            source=source,
            hint=hint,
        )
    rows = zip(*data.values(), strict=True)
    records = [dict(zip(lengths, row, strict=True)) for row in rows]
    if not records:
        raise DataError("no rows: every column is empty", source=source, hint=hint)
    return records
