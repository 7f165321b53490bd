"""Byte-level corpora: content hash, memory-mapped contents, held-out split, errors."""

from __future__ import annotations

import hashlib
import shutil
import sysconfig
from pathlib import Path

import numpy as np
import pytest

from scalinglab import ConfigError
from scalinglab.ladder import load_corpus


def _write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def _expected_hash(docs: list[tuple[str, bytes]]) -> str:
    """The documented hash, computed independently: length-prefixed path and bytes, sorted."""
    h = hashlib.sha256()
    for rel, data in sorted(docs):
        for field in (rel.encode(), data):
            h.update(len(field).to_bytes(8, "little") + field)
    return h.hexdigest()


def test_folder_tokens_hash_and_split(tmp_path: Path) -> None:
    files = {f"doc{i:03d}.txt": f"document {i}: héllo\n" * (i % 3 + 1) for i in range(150)}
    files["sub/zz.md"] = "nested"
    files[".hidden.txt"] = "never read"
    root = _write(tmp_path / "corpus", files)
    corpus = load_corpus(str(root), cache=tmp_path / "cache")

    docs = sorted((rel, text.encode()) for rel, text in files.items() if not rel.startswith("."))
    assert corpus.hash == _expected_hash(docs)
    assert corpus.documents == 151
    # every 100th document (index 99 in sorted order) is held out; the rest train, each
    # followed by a NUL end-of-document byte
    held_out = docs[99]
    train = b"".join(d + b"\x00" for i, (_, d) in enumerate(docs) if i != 99)
    assert bytes(corpus.train_tokens()) == train
    assert bytes(corpus.eval_tokens()) == held_out[1] + b"\x00"
    assert corpus.train_tokens().dtype == np.uint8
    assert isinstance(corpus.train_tokens(), np.memmap)


def test_hash_is_stable_and_tracks_content_not_location(tmp_path: Path) -> None:
    root = _write(tmp_path / "a", {"x.txt": "alpha " * 50, "y.txt": "beta " * 50})
    first = load_corpus(str(root), cache=tmp_path / "cache")
    again = load_corpus(str(root), cache=tmp_path / "cache")
    moved = shutil.copytree(root, tmp_path / "elsewhere")
    assert first.hash == again.hash == load_corpus(str(moved), cache=tmp_path / "cache").hash
    (moved / "y.txt").write_text("beta " * 49)
    assert load_corpus(str(moved), cache=tmp_path / "cache").hash != first.hash
    (moved / "y.txt").rename(moved / "z.txt")
    assert load_corpus(str(moved), cache=tmp_path / "cache").hash != first.hash


def test_single_file_holds_out_its_last_percent(tmp_path: Path) -> None:
    text = ("lorem ipsum dolor sit amet " * 100).encode()
    (tmp_path / "one.txt").write_bytes(text)
    corpus = load_corpus(str(tmp_path / "one.txt"), cache=tmp_path / "cache")
    cut = len(text) - len(text) // 100
    assert bytes(corpus.train_tokens()) == text[:cut] + b"\x00"
    assert bytes(corpus.eval_tokens()) == text[cut:] + b"\x00"


def test_glob(tmp_path: Path) -> None:
    _write(tmp_path / "g", {"a.txt": "aaa " * 30, "b.md": "bbb " * 30, "c.txt": "ccc " * 30})
    corpus = load_corpus(str(tmp_path / "g" / "*.txt"), cache=tmp_path / "cache")
    assert corpus.documents == 2
    assert b"bbb" not in bytes(corpus.train_tokens()) + bytes(corpus.eval_tokens())


def test_missing_or_empty_corpus_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_corpus(str(tmp_path / "nope"), cache=tmp_path / "cache")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no text files"):
        load_corpus(str(tmp_path / "empty"), cache=tmp_path / "cache")


def test_stdlib_corpus(tmp_path: Path) -> None:
    corpus = load_corpus("stdlib", cache=tmp_path / "cache")
    assert len(corpus.hash) == 64 and corpus.documents > 100
    assert corpus.train_size > 1_000_000 and corpus.eval_size > 10_000
    meta = (corpus.directory / "meta.json").read_text()
    assert "site-packages" not in meta and "/test/" not in meta
    # documents go in sorted order of relative path: __future__.py sorts first
    head = (Path(sysconfig.get_paths()["stdlib"]) / "__future__.py").read_bytes()
    assert bytes(corpus.train_tokens()[: len(head) + 1]) == head + b"\x00"


def test_an_unchanged_corpus_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.ladder import _corpus

    root = _write(tmp_path / "c", {"a.txt": "one " * 40, "b.txt": "two " * 40})
    first = load_corpus(str(root), cache=tmp_path / "cache")

    def fail(*args: object) -> None:
        raise AssertionError("documents were read again")

    monkeypatch.setattr(_corpus, "_documents", fail)
    assert load_corpus(str(root), cache=tmp_path / "cache") == first
    (root / "a.txt").write_text("changed " * 40)  # new size and mtime: read again
    with pytest.raises(AssertionError, match="read again"):
        load_corpus(str(root), cache=tmp_path / "cache")


def test_binary_files_in_a_folder_are_skipped(tmp_path: Path) -> None:
    root = _write(tmp_path / "mixed", {"a.txt": "text " * 40, "b.txt": "more " * 40})
    (root / "blob.bin").write_bytes(b"\x89PNG\x00\x01\x02" * 10)
    corpus = load_corpus(str(root), cache=tmp_path / "cache")
    assert corpus.documents == 2
    assert b"PNG" not in bytes(corpus.train_tokens()) + bytes(corpus.eval_tokens())
