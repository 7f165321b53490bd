"""The signatures ("magic bytes") scalinglab tells a file's format by, each held once here:
a run store, a database, a table, a figure, a compressed file, UTF-16 text; and where a text
file's first character is, after a UTF-8 byte-order mark and blanks.

Every module that looks at a file's first bytes reads them from here, so a format is not
told one way in one message and another way in the next. Imported at start-up: standard
library only.
"""

from typing import NamedTuple

__all__ = [
    "BZIP2", "COMPRESSED", "DUCKDB", "GZIP", "IMAGES", "PARQUET", "PDF", "PNG", "SQLITE",
    "STREAMS", "UTF8_BOM", "UTF16", "XZ", "ZIP", "ZSTD", "Compressed", "Signature",
    "by_magic", "by_suffix", "compression", "text_start",
]  # fmt: skip


# NamedTuples (not frozen dataclasses), their annotations not postponed (no __future__
# import, which makes NamedTuple compile each as a string): a third of the time to import
class Signature(NamedTuple):
    """Bytes every file of a format holds at a fixed place."""

    #: The bytes themselves.
    magic: bytes
    #: What a file holding them is, in words for a message (``"a PNG image"``).
    what: str
    #: Where in the file they start (DuckDB's: byte 8).
    offset: int = 0

    def found_in(self, head: bytes) -> bool:
        """Whether ``head``, a file's first bytes (at least ``offset + len(magic)``), holds
        the signature."""
        return head[self.offset : self.offset + len(self.magic)] == self.magic


class Compressed(NamedTuple):
    """A compressed format: its signature and the command-line tools for it."""

    #: How a file of the format begins.
    signature: Signature
    #: The format's name, as a message says it (``"a gzip-compressed file"``).
    name: str
    #: The suffix its tool gives a file (``runs.csv`` compressed: ``runs.csv.gz``).
    suffix: str
    #: The command that compresses a file.
    tool: str
    #: The command that decompresses one beside it, keeping the original.
    decompress: str
    #: Bytes that must follow the signature too, where it alone could begin text.
    then: Signature | None = None

    @property
    def decompressor(self) -> str:
        """The decompressing tool's name alone (``gunzip``), without its options."""
        return self.decompress.split()[0]

    def found_in(self, head: bytes) -> bool:
        """Whether ``head``, a file's first bytes, begins a file of this format."""
        return self.signature.found_in(head) and (self.then is None or self.then.found_in(head))


PNG = Signature(b"\x89PNG", "a PNG image")  # PNG spec 5.2: 89 50 4E 47 0D 0A 1A 0A
PDF = Signature(b"%PDF", "a PDF document")  # ISO 32000-1 7.5.2: "%PDF-1.n"
PARQUET = Signature(b"PAR1", "a Parquet file (a run table)")  # first and last 4 bytes
SQLITE = Signature(b"SQLite format 3\x00", "a SQLite database")  # the whole 16-byte header
DUCKDB = Signature(b"DUCK", "a run store (a DuckDB database)", offset=8)  # after a checksum
#: Byte-order marks of UTF-16 text (little- then big-endian), as Excel's 'Unicode Text' and
#: PowerShell write it.
UTF16 = (
    Signature(b"\xff\xfe", "UTF-16 text (little-endian)"),
    Signature(b"\xfe\xff", "UTF-16 text (big-endian)"),
)

GZIP = Compressed(Signature(b"\x1f\x8b", "a gzip file"), "gzip", ".gz", "gzip", "gunzip -k")
BZIP2 = Compressed(
    Signature(b"BZh", "a bzip2 file"), "bzip2", ".bz2", "bzip2", "bunzip2 -k",
    # "BZh" begins words too: a block size digit, then the first block's magic (pi's digits
    # 314159265359 in BCD, "1AY&SY") must follow
    then=Signature(b"1AY&SY", "a bzip2 block", offset=4),
)  # fmt: skip
XZ = Compressed(Signature(b"\xfd7zXZ\x00", "an xz file"), "xz", ".xz", "xz", "unxz -k")
ZSTD = Compressed(Signature(b"\x28\xb5\x2f\xfd", "a zstd file"), "zstd", ".zst", "zstd", "unzstd")
#: An archive of files rather than one file compressed (an .xlsx workbook is one).
ZIP = Compressed(Signature(b"PK\x03\x04", "a zip archive"), "zip", ".zip", "zip", "unzip")
#: The formats that compress one file into one (a result's name may end in their suffix).
STREAMS = (GZIP, BZIP2, XZ, ZSTD)
#: The compressed formats a corpus or a table is likely to come in.
COMPRESSED = (*STREAMS, ZIP)

#: The formats :func:`by_magic` tells, in the order it asks.
_TOLD = (DUCKDB, PNG, PDF, PARQUET, SQLITE, GZIP.signature, ZIP.signature)
#: Those of :func:`by_magic`'s formats that are images (a figure output may replace one).
IMAGES = frozenset({PNG, PDF})


def by_magic(head: bytes) -> Signature | None:
    """The signature of a format scalinglab never writes as JSON (a run store, a database, a
    table, an image, an archive) that ``head``, a file's first 16 bytes or more, holds."""
    return next((signature for signature in _TOLD if signature.found_in(head)), None)


def compression(head: bytes) -> Compressed | None:
    """The compressed format (:data:`COMPRESSED`) that ``head``, a file's first bytes,
    begins, else ``None``."""
    return next((packed for packed in COMPRESSED if packed.found_in(head)), None)


def by_suffix(suffix: str) -> Compressed | None:
    """The one-file compressed format (:data:`STREAMS`) whose suffix is ``suffix``
    (``".gz"``; lower-case), else ``None``."""
    return next((packed for packed in STREAMS if packed.suffix == suffix), None)


#: The byte-order mark some editors (Excel, Notepad) put before UTF-8 text.
UTF8_BOM = b"\xef\xbb\xbf"


def text_start(head: bytes) -> bytes:
    """``head``, a file's first bytes, from its first character that is not blank, after a
    UTF-8 byte-order mark: where a JSON object's ``{`` or an array's ``[`` is looked for."""
    return head.removeprefix(UTF8_BOM).lstrip()
