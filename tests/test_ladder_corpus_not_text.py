"""A corpus file that is not text (gzip-compressed, binary, UTF-16) is refused before anything
trains: its bytes were the tokens, so a ladder on ``corpus = "books.txt.gz"`` trained on
compressed bytes, ended near ln 256 and was recorded ``diverged`` with advice to lower an lr
of 0.003. A folder's binary files are passed over as before; one holding nothing else says so.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import pytest
from tests._ladders import write_ladder

from scalinglab import ConfigError
from scalinglab.cli import main
from scalinglab.ladder import load_corpus
from scalinglab.ladder._corpus_files import is_text

_TEXT = "the quick brown fox jumps over the lazy dog\n" * 400


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("command", [["plan"], ["run", "--gpus", "none"]])
def test_a_gzip_corpus_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    books = tmp_path / "my books.txt.gz"
    books.write_bytes(gzip.compress(_TEXT.encode()))
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=books)
    store = tmp_path / "s.duckdb"
    extra = ["--store", str(store)] if command[0] == "run" else []
    assert main(["ladder", command[0], str(path), *command[1:], *extra]) == 2
    err = _err(capsys)
    assert f"corpus '{books}' is a gzip-compressed file, not text" in err
    # the command to paste, the path quoted for its space
    assert f"hint: decompress it first (gunzip -k '{books}')" in err
    assert not store.exists()
    assert not (tmp_path / "cache").exists()  # nothing prepared either


def test_the_decompressed_text_is_what_a_corpus_reads(tmp_path: Path) -> None:
    """The remedy the hint gives works: the text itself is read, byte for byte."""
    (tmp_path / "books.txt").write_text(_TEXT)
    corpus = load_corpus(str(tmp_path / "books.txt"))
    cut = len(_TEXT) - len(_TEXT) // 100  # a single file's last 1% is held out
    assert bytes(corpus.train_tokens()) == _TEXT.encode()[:cut] + b"\x00"


def test_a_glob_names_the_file_it_matched_that_is_not_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_TEXT)
    (tmp_path / "b.txt").write_bytes(bz2.compress(_TEXT.encode()))
    with pytest.raises(ConfigError) as err:
        load_corpus(str(tmp_path / "*.txt"))
    assert err.value.message.startswith(
        f"corpus '{tmp_path / '*.txt'}': {tmp_path / 'b.txt'} is a bzip2-compressed file"
    )
    assert err.value.hint.startswith(f"decompress it first (bunzip2 -k {tmp_path / 'b.txt'})")


def test_utf16_text_is_refused_as_not_utf8(tmp_path: Path) -> None:
    wide = tmp_path / "wide.txt"
    wide.write_text(_TEXT, encoding="utf-16")
    with pytest.raises(ConfigError, match=r"not text \(a NUL byte .*UTF-16\)") as err:
        load_corpus(str(wide))
    assert err.value.hint.startswith("save the text as UTF-8")


def test_a_folder_passes_over_binary_files_and_names_them_when_nothing_else_is_left(
    tmp_path: Path,
) -> None:
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.txt").write_text(_TEXT)
    (mixed / "b.txt.gz").write_bytes(gzip.compress(_TEXT.encode()))
    assert load_corpus(str(mixed)).documents == 1  # the gzip file passed over, as before
    (mixed / "a.txt").unlink()
    with pytest.raises(ConfigError) as err:
        load_corpus(str(mixed))
    assert err.value.message == (
        f"corpus '{mixed}' holds no text files: 1 file passed over as binary (b.txt.gz)"
    )
    assert err.value.hint.startswith("decompress them first (gunzip -k FILE) or ")
    # each format's own command, once: not gunzip for an xz or bzip2 file
    (mixed / "c.txt.xz").write_bytes(lzma.compress(_TEXT.encode()))
    (mixed / "d.txt.bz2").write_bytes(bz2.compress(_TEXT.encode()))
    (mixed / "e.txt.xz").write_bytes(lzma.compress(_TEXT.encode()))
    with pytest.raises(ConfigError) as err:
        load_corpus(str(mixed))
    assert err.value.hint.startswith(
        "decompress them first (gunzip -k FILE, unxz -k FILE, bunzip2 -k FILE) or "
    )
    (mixed / "b.txt.gz").unlink()
    (mixed / "d.txt.bz2").unlink()
    with pytest.raises(ConfigError) as err:
        load_corpus(str(mixed))
    assert err.value.hint.startswith("decompress them first (unxz -k FILE) or ")


def test_text_that_starts_like_a_bzip2_header_is_still_text(tmp_path: Path) -> None:
    """Only the compressed formats' full headers count: "BZh" alone is ordinary text."""
    (tmp_path / "t.txt").write_text("BZh, said the bee.\n" + _TEXT)
    (tmp_path / "z.bin").write_bytes(bz2.compress(b"BZh"))
    assert is_text(tmp_path / "t.txt")
    assert not is_text(tmp_path / "z.bin")
