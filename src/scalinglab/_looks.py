"""What a file is that scalinglab does not write as JSON (a run store, a table, an image),
by its first bytes, else by its suffix: said where such a file is given as a result."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "IMAGES", "RUN_WORDS", "by_magic", "is_duckdb", "is_store_source", "looks_like", "named_like",
]  # fmt: skip

#: What a file is by its first bytes (a DuckDB store: by bytes 8-12, in :func:`by_magic`).
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PAR1", "a Parquet file (a run table)"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"\x1f\x8b", "a gzip file"),
    (b"PK\x03\x04", "a zip archive"),
)
#: The names :func:`by_magic` gives an image (a figure output may replace one).
IMAGES = frozenset({"a PNG image", "a PDF document"})


#: Bytes 8-11 of every DuckDB database file (a run store, whatever its name ends in).
_DUCKDB = b"DUCK"


def by_magic(head: bytes) -> str | None:
    """What a file beginning with ``head`` (its first 16 bytes or more) is, by the signature
    of a format scalinglab never writes as JSON, else ``None``."""
    if head[8:12] == _DUCKDB:
        return "a run store (a DuckDB database)"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def is_duckdb(path: Path) -> bool:
    """Whether ``path`` is a DuckDB database file by its first bytes (``runs.db`` too);
    ``False`` for one that cannot be read."""
    try:
        with open(path, "rb") as file:
            return file.read(12)[8:12] == _DUCKDB
    except OSError:
        return False


def is_store_source(source: str) -> bool:
    """Whether runs whose ``source`` is this came from a run store (a DuckDB file,
    ``.duckdb`` or by its bytes, ``runs.db``), which ``read_runs`` refuses: Python reads it
    again with ``scalinglab.RunStore(path).to_run_table(...)``."""
    path = Path(source)
    return bool(source) and (path.suffix == ".duckdb" or is_duckdb(path))


#: ... else by its suffix.
_SUFFIXES = {
    ".csv": "a CSV file (a run table)",
    ".tsv": "a TSV file (a run table)",
    ".parquet": "a Parquet file (a run table)",
    ".jsonl": "a JSON Lines file (a run table)",
    ".duckdb": "a run store (a DuckDB database)",
    ".png": "an image",
    ".svg": "an image",
    ".pdf": "a PDF document",
    ".html": "a report page",
}
#: Words of :func:`looks_like` that name runs (a table or a store), to fit.
RUN_WORDS = ("run table", "run store")


def looks_like(path: Path) -> str | None:
    """What a file is, by its first bytes then its suffix; ``None`` when not told."""
    try:
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError:
        return None
    seen = by_magic(head)
    if seen:
        return seen
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"["):
        return "a JSON array (a run table in JSON)"
    return _SUFFIXES.get(path.suffix.lower())


def named_like(path: Path) -> str | None:
    """What a file named ``path`` would be taken for by its suffix alone (a CSV file, a
    report page), past a ``.gz`` (``runs.csv.gz``); ``None`` for a run store's ``.duckdb``
    and a name that says nothing (``runs.db``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes.pop()
    said = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    return None if said is None or RUN_WORDS[1] in said else said
