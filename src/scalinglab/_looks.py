"""What a file is that scalinglab does not write as JSON (a run store, a table, an image),
by its first bytes, else by its suffix: said where such a file is given as a result."""

from __future__ import annotations

from pathlib import Path

from scalinglab._signatures import DUCKDB, GZIP, PARQUET, PDF, by_magic, text_start

__all__ = ["RUN_WORDS", "is_duckdb", "is_store_source", "looks_like", "named_like"]


def is_duckdb(path: Path) -> bool:
    """Whether ``path`` is a DuckDB database file by its first bytes (``runs.db`` too);
    ``False`` for one that cannot be read."""
    try:
        with open(path, "rb") as file:
            return DUCKDB.found_in(file.read(12))
    except OSError:
        return False


def is_store_source(source: str) -> bool:
    """Whether runs whose ``source`` is this came from a run store (a DuckDB file,
    ``.duckdb`` or by its bytes, ``runs.db``), which ``read_runs`` refuses: Python reads it
    again with ``scalinglab.RunStore(path).to_run_table(...)``."""
    path = Path(source)
    return bool(source) and (path.suffix == ".duckdb" or is_duckdb(path))


#: What a file is by its suffix, where its first bytes do not say (:func:`by_magic`).
_SUFFIXES = {
    ".csv": "a CSV file (a run table)",
    ".tsv": "a TSV file (a run table)",
    ".parquet": PARQUET.what,
    ".jsonl": "a JSON Lines file (a run table)",
    ".duckdb": DUCKDB.what,
    ".png": "an image",
    ".svg": "an image",
    ".pdf": PDF.what,
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
    if seen is not None:
        return seen.what
    if text_start(head).startswith(b"["):
        return "a JSON array (a run table in JSON)"
    return _SUFFIXES.get(path.suffix.lower())


def named_like(path: Path) -> str | None:
    """What a file named ``path`` would be taken for by its suffix alone (a CSV file, a
    report page), past a ``.gz`` (``runs.csv.gz``); ``None`` for a run store's ``.duckdb``
    and a name that says nothing (``runs.db``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [GZIP.suffix]:
        suffixes.pop()
    said = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    return None if said is None or RUN_WORDS[1] in said else said
