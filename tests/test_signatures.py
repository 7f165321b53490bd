"""The file signatures every module tells a format by (``scalinglab._signatures``), each
checked against a file written by the format's own tool (the standard library's gzip, bz2,
lzma, zipfile, sqlite3 and codecs; Pillow, pyarrow and DuckDB; the gzip, bzip2, xz, zstd and
zip commands where installed), so the table cannot drift from what the tools write."""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from scalinglab._signatures import (
    BZIP2,
    COMPRESSED,
    DUCKDB,
    GZIP,
    PARQUET,
    PDF,
    PNG,
    SQLITE,
    STREAMS,
    UTF8_BOM,
    UTF16,
    XZ,
    ZIP,
    ZSTD,
    Compressed,
    Signature,
    by_magic,
    by_suffix,
    compression,
    text_start,
)

#: Text, long enough that every compressor writes a full block of it.
_TEXT = b"def f(x):\n    return x * 2\n" * 200


def _head(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read(64)


@pytest.mark.parametrize(
    ("packed", "data"),
    [
        (GZIP, gzip.compress(_TEXT)),
        (BZIP2, bz2.compress(_TEXT)),
        (XZ, lzma.compress(_TEXT)),  # lzma's default format is .xz
    ],
    ids=["gzip", "bzip2", "xz"],
)
def test_the_standard_librarys_compressors_write_the_signatures(
    packed: Compressed, data: bytes
) -> None:
    assert compression(data) is packed
    assert packed.found_in(data)


def test_a_zip_archive_by_zipfile_and_a_workbook_are_zip(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"  # an .xlsx workbook is a zip archive of XML parts
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", _TEXT)
    assert compression(_head(path)) is ZIP
    assert by_magic(_head(path)) is ZIP.signature


def test_zstd_by_its_spec() -> None:
    # RFC 8878, 3.1.1: Magic_Number 0xFD2FB528, written little-endian (Python has no zstd
    # before 3.14; the zstd command's own frames are checked below where it is installed)
    assert ZSTD.signature.magic == (0xFD2FB528).to_bytes(4, "little")


@pytest.mark.parametrize("packed", STREAMS, ids=lambda p: p.name)
def test_each_tool_compresses_to_its_suffix_and_its_command_decompresses(
    tmp_path: Path, packed: Compressed
) -> None:
    if shutil.which(packed.tool) is None or shutil.which(packed.decompressor) is None:
        pytest.skip(f"{packed.tool} or {packed.decompressor} is not installed")
    text = tmp_path / "corpus.txt"
    text.write_bytes(_TEXT)
    subprocess.run([packed.tool, "-q", "-k", str(text)], check=True)
    made = tmp_path / f"corpus.txt{packed.suffix}"
    assert compression(_head(made)) is packed
    assert by_suffix(packed.suffix) is packed
    text.unlink()
    subprocess.run([*packed.decompress.split(), "-q", str(made)], check=True)
    assert text.read_bytes() == _TEXT
    assert made.exists()  # kept, as the corpus's hint promises


def test_the_zip_command_writes_the_signature_and_unzip_reads_it(tmp_path: Path) -> None:
    if shutil.which(ZIP.tool) is None or shutil.which(ZIP.decompress) is None:
        pytest.skip("zip or unzip is not installed")
    (tmp_path / "corpus.txt").write_bytes(_TEXT)
    made = f"corpus{ZIP.suffix}"
    subprocess.run([ZIP.tool, "-q", made, "corpus.txt"], cwd=tmp_path, check=True)
    assert compression(_head(tmp_path / made)) is ZIP
    (tmp_path / "corpus.txt").unlink()
    subprocess.run([ZIP.decompress, "-q", made], cwd=tmp_path, check=True)
    assert (tmp_path / "corpus.txt").read_bytes() == _TEXT


def test_text_that_begins_like_bzip2_is_not_compressed() -> None:
    # "BZh" alone begins words; a real stream has a block size digit and pi's BCD digits
    assert compression(b"BZh is not a word, but this is text\n") is None
    assert compression(_TEXT) is None


def test_a_sqlite_database_by_sqlite3(tmp_path: Path) -> None:
    path = tmp_path / "mlflow.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE runs (name TEXT)")
    assert SQLITE.found_in(_head(path))
    assert by_magic(_head(path)) is SQLITE


def test_a_duckdb_database_by_duckdb(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "runs.db"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE runs (name VARCHAR)")
    con.close()
    head = _head(path)
    assert DUCKDB.found_in(head)
    assert not DUCKDB.found_in(head[DUCKDB.offset :])  # only at its offset
    assert by_magic(head) is DUCKDB


def test_a_parquet_file_by_pyarrow(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "runs.parquet"
    parquet.write_table(pa.table({"params": [1e6, 2e6]}), path)
    assert by_magic(_head(path)) is PARQUET
    assert path.read_bytes()[-4:] == PARQUET.magic  # the footer ends with it too


@pytest.mark.parametrize(("image", "suffix"), [(PNG, "png"), (PDF, "pdf")])
def test_png_and_pdf_by_pillow(tmp_path: Path, image: Signature, suffix: str) -> None:
    pil = pytest.importorskip("PIL.Image")
    path = tmp_path / f"figure.{suffix}"
    pil.new("RGB", (4, 4)).save(path)
    assert by_magic(_head(path)) is image


def test_utf16_by_codecs() -> None:
    assert [mark.magic for mark in UTF16] == [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]
    assert any(mark.found_in("runs".encode("utf-16")) for mark in UTF16)  # native order


def test_text_starts_after_the_bom_that_utf_8_sig_writes_and_blanks() -> None:
    assert codecs.BOM_UTF8 == UTF8_BOM
    written = " \n\t{}".encode("utf-8-sig")  # what Excel's "CSV UTF-8" and Notepad put first
    assert written.startswith(UTF8_BOM)
    assert text_start(written) == b"{}"
    assert text_start(b'\r\n  ["a"]') == b'["a"]'
    assert text_start(b"run,loss\n") == b"run,loss\n"  # no mark, no blanks: as it was
    assert text_start(UTF8_BOM + UTF8_BOM + b"{") == UTF8_BOM + b"{"  # one mark, not two


def test_each_compressed_format_is_told_once_and_only_streams_by_suffix() -> None:
    assert len({packed.signature.magic for packed in COMPRESSED}) == len(COMPRESSED)
    assert len({packed.suffix for packed in COMPRESSED}) == len(COMPRESSED)
    assert by_suffix(".zip") is None  # an archive: a result named .zip is not refused
    assert by_suffix(".json") is None
    assert [packed.decompressor for packed in COMPRESSED] == [
        "gunzip", "bunzip2", "unxz", "unzstd", "unzip",
    ]  # fmt: skip
