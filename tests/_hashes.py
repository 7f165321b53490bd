"""Inputs are never written: hash every file a command is given before it runs and after.

``tree_digest`` covers a file or a whole folder (added files and folders count as a change);
``unchanged`` checks the inputs after the block whether it returned or raised;
``cli_inputs`` picks the inputs out of a command line, so a test's CLI helper can check every
command it runs without naming the files again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# options whose value a command writes: not an input, whatever is there before
_OUTPUTS = ("--out", "--plot", "--report")


def tree_digest(path: Path) -> dict[str, str]:
    """Every file under ``path`` (or the file itself) -> its SHA-256: added files show too."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = {
        str(p.relative_to(path) if p != path else p.name): hashlib.sha256(
            p.read_bytes()
        ).hexdigest()
        for p in files
    }
    if path.is_dir():  # folders a reader would add (MLflow's .trash) count as a change too
        out.update({str(p.relative_to(path)) + "/": "" for p in path.rglob("*") if p.is_dir()})
    return out


def cli_inputs(args: Sequence[str]) -> list[Path]:
    """The existing files and folders a command line names, less what the command writes:
    the store of ``ingest`` and ``ladder run``, and the targets of ``--out``-like options."""
    writes_store = list(args[:1]) == ["ingest"] or list(args[:2]) == ["ladder", "run"]
    skip = {*_OUTPUTS, "--store"} if writes_store else set(_OUTPUTS)
    found: list[Path] = []
    previous = ""
    for arg in args:
        name, _, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        option = name or previous
        if value and option not in skip and not value.startswith("-"):
            path = Path(value)
            if path.exists() and path not in found:
                found.append(path)
        previous = arg if arg.startswith("-") and "=" not in arg else ""
    return found


@contextmanager
def unchanged(*paths: Path | str | None) -> Iterator[None]:
    """Assert that every existing path among ``paths`` has the same bytes after the block,
    also when the block raises (a refused command must leave its inputs as they were)."""
    inputs = [Path(p) for p in paths if p is not None and Path(p).exists()]
    before = {p: tree_digest(p) for p in inputs}
    try:
        yield
    finally:
        for path, digest in before.items():
            assert path.exists(), f"{path}: an input was removed"
            assert tree_digest(path) == digest, f"{path}: an input was changed"
