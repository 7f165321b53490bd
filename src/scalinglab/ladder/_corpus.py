"""Byte-level training data: any text file or folder, prepared once into memory-mapped tokens.

Tokens are the UTF-8 bytes of the text (vocabulary 256, nothing to download or train), and each
document ends with a NUL byte (which text never contains) so the model sees document breaks.
A corpus is named by what the user wrote (``"stdlib"``, a file, a folder or a glob) and
identified by a SHA-256 content hash over every document's relative path and bytes, in sorted
order. The prepared tokens live in ``$SCALINGLAB_CACHE`` (default ``~/.cache/scalinglab``; where
the home folder cannot be written, ``scalinglab-cache-<uid>`` in the temporary folder) under
``corpus/<hash>/``, written once and atomically; every run records the name and the hash.

Held-out split: every 100th document (0-based index ≡ 99 mod 100 in sorted order, and at least
one) goes to ``eval.u8``; the rest to ``train.u8``. Splitting by document, not by position,
keeps held-out text from sharing a file with training text.

The default corpus ``"stdlib"`` is the ``.py`` sources of the running Python's standard library
(``sysconfig.get_paths()["stdlib"]``, leaving out ``site-packages`` and test folders): real
code on every machine. It differs between Python versions, and so does its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scalinglab._atomic import atomic_write
from scalinglab._errors import ConfigError
from scalinglab._own_temp import own_temp_folder, own_temp_path
from scalinglab.ladder._corpus_files import corpus_files

__all__ = ["Corpus", "cache_dir", "corpus_size_bound", "load_corpus"]

EVAL_EVERY = 100  # every 100th document is held out
_SEPARATOR = b"\x00"  # end-of-document token
#: The name of the cache in the temporary folder (one per user) where the home's cannot be made.
_TEMP_CACHE = "scalinglab-cache"


def cache_dir() -> Path:
    """Where downloaded corpora are cached.

    Returns:
        ``$SCALINGLAB_CACHE``, or ``~/.cache/scalinglab`` where it is unset or empty, or
        where no home folder is known (``HOME`` unset, a user with no passwd entry) a
        ``scalinglab-cache-<user>`` folder in the temporary folder.
    """
    env = os.environ.get("SCALINGLAB_CACHE")
    if env:
        return Path(env)
    try:
        return Path.home() / ".cache" / "scalinglab"
    except RuntimeError:  # "Could not determine home directory"
        return _temp_cache()


def _temp_cache() -> Path:
    """The cache where the home folder's cannot be made: one per user, in the temporary
    folder (a later run finds what an earlier one prepared)."""
    return own_temp_path(_TEMP_CACHE)


def _corpus_root(cache: Path | None) -> Path:
    """The folder corpora are prepared in, made now. The default's is in the temporary
    folder where the home folder cannot be written (``HOME=/nonexistent``, a read-only
    home): a ladder still trains.

    Raises:
        ConfigError: Where a cache named by ``cache`` or ``$SCALINGLAB_CACHE`` cannot be made.
    """
    given = cache is not None or bool(os.environ.get("SCALINGLAB_CACHE"))
    root = (cache or cache_dir()) / "corpus"
    error: OSError | None = None
    for folder in [root] if given else [root, _temp_cache() / "corpus"]:
        try:
            # shared: this user's alone (0o700); another user's is not used
            if folder.parent == _temp_cache() and own_temp_folder(_TEMP_CACHE) is None:
                continue
            (folder / "index").mkdir(parents=True, exist_ok=True)
        except OSError as err:
            error = err
            continue
        if os.access(folder / "index", os.W_OK | os.X_OK):
            return folder
    raise ConfigError(
        f"cannot write the corpus cache {root} "
        f"({error.strerror if error is not None and error.strerror else 'not writable'})",
        hint="set SCALINGLAB_CACHE to a folder you can write",
    )


@dataclass(frozen=True)
class Corpus:
    """A prepared corpus: its name, content hash and the memory-mapped token files.

    Attributes:
        name: What the user asked for (``"stdlib"`` or the path as given).
        hash: SHA-256 (hex) over the documents' relative paths and contents.
        directory: Folder holding ``train.u8``, ``eval.u8`` and ``meta.json``.
        documents: Number of documents read.
        train_size: Tokens in the training split.
        eval_size: Tokens in the held-out split.
    """

    name: str
    hash: str
    directory: Path
    documents: int
    train_size: int
    eval_size: int

    def train_tokens(self) -> np.memmap:
        """The training split.

        Returns:
            A read-only ``uint8`` memory map of its tokens.
        """
        return np.memmap(self.directory / "train.u8", dtype=np.uint8, mode="r")

    def eval_tokens(self) -> np.memmap:
        """The held-out split.

        Returns:
            A read-only ``uint8`` memory map of its tokens.
        """
        return np.memmap(self.directory / "eval.u8", dtype=np.uint8, mode="r")


def _sources(spec: str) -> list[tuple[str, Path]]:
    """``(relative path, path)`` of every document, sorted by relative path."""
    root, files = corpus_files(spec)
    return sorted((p.relative_to(root).as_posix(), p) for p in files)


def _documents(sources: list[tuple[str, Path]]) -> Iterator[tuple[str, bytes]]:
    for rel, path in sources:
        yield rel, path.read_bytes().replace(_SEPARATOR, b"")


def _fingerprint(sources: list[tuple[str, Path]]) -> str:
    """Hash of the files' absolute paths, sizes and modification times: a cheap key under
    which the content hash is remembered, so an unchanged corpus is not read again (as
    ``make`` does; a file rewritten with the same size and mtime would go unnoticed)."""
    digest = hashlib.sha256()
    for _, path in sources:
        st = path.stat()
        digest.update(f"{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_corpus(spec: str = "stdlib", *, cache: Path | None = None) -> Corpus:
    """Prepare (once) and open the corpus ``spec``.

    Args:
        spec: ``"stdlib"``, a text file, a folder (every non-hidden text file under it) or a
            glob such as ``"data/**/*.txt"``.
        cache: Cache folder; defaults to :func:`cache_dir`.

    Returns:
        The prepared :class:`Corpus`.

    Raises:
        ConfigError: If the path does not exist, holds no text, names or matches a file
            that is not text (a gzip file: its bytes are no text's), or yields an empty
            split.
    """
    sources = _sources(spec)
    root = _corpus_root(cache)
    index = root / "index" / f"{_fingerprint(sources)}.txt"
    if index.is_file() and (root / index.read_text().strip() / "meta.json").is_file():
        return _open(spec, root / index.read_text().strip())
    docs = list(_documents(sources))
    digest = hashlib.sha256()
    for rel, data in docs:
        # length-prefixed fields, so ("ab", "c") and ("a", "bc") never hash the same
        for field in (rel.encode(), data):
            digest.update(len(field).to_bytes(8, "little"))
            digest.update(field)
    content_hash = digest.hexdigest()
    directory = root / content_hash
    if not (directory / "meta.json").is_file():
        _prepare(docs, directory, content_hash)
    index.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(index, content_hash.encode())
    return _open(spec, directory)


def _open(spec: str, directory: Path) -> Corpus:
    meta = json.loads((directory / "meta.json").read_text())
    if meta["train_size"] < 2 or meta["eval_size"] < 2:
        raise ConfigError(
            f"corpus {spec!r} is too small: {meta['train_size']} training and "
            f"{meta['eval_size']} held-out tokens",
            hint="use more text (the held-out split is every 100th document)",
        )
    return Corpus(
        name=spec,
        hash=meta["hash"],
        directory=directory,
        documents=meta["documents"],
        train_size=meta["train_size"],
        eval_size=meta["eval_size"],
    )


def corpus_size_bound(spec: str) -> tuple[int, int]:
    """Upper bounds on the training and held-out tokens of the corpus ``spec``, from its
    files' sizes alone: nothing is read but a folder's file heads, nothing written (what
    ``ladder plan`` checks). Exact for text; a NUL byte, dropped when prepared, lowers them.

    Raises:
        ConfigError: If the path does not exist or holds no text files.
    """
    sizes = [path.stat().st_size for _, path in _sources(spec)]
    if len(sizes) == 1:  # as _prepare splits one document: its last 1% held out
        held = max(sizes[0] // EVAL_EVERY, 1)
        return max(sizes[0] - held, 0) + 1, held + 1
    held_out = _held_out(len(sizes))
    train = sum(size + 1 for i, size in enumerate(sizes) if i not in held_out)
    return train, sum(sizes[i] + 1 for i in held_out)  # + 1: each document's separator


def _held_out(n_documents: int) -> set[int]:
    """The indices of the held-out documents: every 100th, and at least the last."""
    held_out = {i for i in range(n_documents) if i % EVAL_EVERY == EVAL_EVERY - 1}
    return held_out or {n_documents - 1}  # a one-file corpus still needs a held-out part


def _prepare(docs: list[tuple[str, bytes]], directory: Path, content_hash: str) -> None:
    """Write the two token files and then ``meta.json`` (its presence means "complete")."""
    directory.mkdir(parents=True, exist_ok=True)
    n_documents = len(docs)
    held_out = _held_out(len(docs))
    if len(docs) == 1:  # split the single document: its last 1% is held out
        rel, data = docs[0]
        cut = len(data) - max(len(data) // EVAL_EVERY, 1)
        docs = [(rel, data[:cut]), (rel, data[cut:])]
        held_out = {1}
    splits = {
        "train": b"".join(d + _SEPARATOR for i, (_, d) in enumerate(docs) if i not in held_out),
        "eval": b"".join(d + _SEPARATOR for i, (_, d) in enumerate(docs) if i in held_out),
    }
    for split, data in splits.items():
        atomic_write(directory / f"{split}.u8", data)
    meta = {
        "hash": content_hash,
        "documents": n_documents,
        "train_size": len(splits["train"]),
        "eval_size": len(splits["eval"]),
        "eval_documents": sorted(docs[i][0] for i in held_out),
    }
    atomic_write(directory / "meta.json", json.dumps(meta, indent=1).encode())
