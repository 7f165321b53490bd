"""The files of a corpus: the standard library's ``.py`` sources, or the text files that a
path, a folder or a glob names.

A corpus's tokens are its text's UTF-8 bytes, so a compressed or other binary file would
train the model on bytes no text holds: a gzip file's held-out loss stays near ln 256, and
the rung is recorded as diverged with advice to lower its lr. A file named itself, or matched
by a glob, that is not text is refused before anything trains, naming it (a compressed one
with the command that decompresses it); a folder's binary files are passed over, as its
hidden ones are, and named where no text file is left.
"""

from __future__ import annotations

import glob
import os
import shlex
import sysconfig
from pathlib import Path

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted, join_more
from scalinglab._signatures import Compressed, compression

__all__ = ["corpus_files", "is_text"]

_SEPARATOR = b"\x00"  # the end-of-document token: no text holds it
_HEAD = 4096  # bytes read to tell text from binary
_SKIP_DIRS = {"site-packages", "dist-packages", "test", "tests", "idle_test", "__pycache__"}
_TEXT_HINT = 'point corpus at a text file, a folder of text files, a glob, or "stdlib"'


def is_text(path: Path) -> bool:
    """Whether ``path`` reads as text: no NUL byte in its first 4 KiB (binary files, and
    every compressed format, have one early) and no compressed format's header."""
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    return _SEPARATOR not in head and compression(head) is None


def _not_text(spec: str, path: Path) -> ConfigError:
    """The error for a file of the corpus ``spec`` that is not text, naming the file where
    a glob matched it, and the command that decompresses a compressed one."""
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    file = "" if Path(spec).expanduser() == path else f": {path}"
    packed = compression(head)
    if packed is not None:
        return ConfigError(
            f"corpus {spec!r}{file} is a {packed.name}-compressed file, not text: a corpus's "
            "tokens are its text's bytes, and compressed bytes would train the model on noise",
            hint=f"decompress it first ({packed.decompress} {shlex.quote(str(path))}) and point "
            "corpus at the text",
        )
    return ConfigError(
        f"corpus {spec!r}{file} is not text (a NUL byte in its first 4 KiB: a binary file, or "
        "text saved as UTF-16): a corpus's tokens are its text's UTF-8 bytes",
        hint=f"save the text as UTF-8, or {_TEXT_HINT}",
    )


def _stdlib_files() -> tuple[Path, list[Path]]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files: list[Path] = []
    for here, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        files.extend(Path(here) / n for n in names if n.endswith(".py"))
    return root, files


def _folder_files(spec: str, folder: Path) -> list[Path]:
    """The text files under ``folder`` (hidden ones left out); refused where it holds
    files but none of them text, naming those passed over."""
    found: list[Path] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(here) / n for n in sorted(names) if not n.startswith("."))
    found = [f for f in found if f.is_file()]
    files = [f for f in found if is_text(f)]
    if found and not files:
        shown = join_more([f.relative_to(folder).as_posix() for f in found], 3)
        # every one of them is not text: the commands that decompress those compressed
        tools = dict.fromkeys(p.decompress for f in found if (p := _compressed(f)) is not None)
        commands = ", ".join(f"{tool} FILE" for tool in tools)
        raise ConfigError(
            f"corpus {spec!r} holds no text files: {format_counted(len(found), 'file')} "
            f"passed over as binary ({shown})",
            hint=(f"decompress them first ({commands}) or " if tools else "") + _TEXT_HINT,
        )
    return files


def _compressed(path: Path) -> Compressed | None:
    """The compressed format ``path`` begins, else ``None``."""
    with open(path, "rb") as f:
        return compression(f.read(_HEAD))


def corpus_files(spec: str) -> tuple[Path, list[Path]]:
    """The root and the files of the corpus ``spec``: ``"stdlib"``, a text file, a folder
    (its non-hidden text files) or a glob such as ``"data/**/*.txt"``.

    Raises:
        ConfigError: If the path does not exist, holds or matches no text file, or a file
            it names or a glob matches is not text (compressed or binary).
    """
    if spec == "stdlib":
        return _stdlib_files()
    path = Path(spec).expanduser()
    files: list[Path]
    if any(c in spec for c in "*?["):
        files = [Path(p) for p in glob.glob(str(path), recursive=True)]
        files = [p for p in files if p.is_file()]
        if not files:
            raise ConfigError(f"corpus {spec!r} matches no files", hint=_TEXT_HINT)
        root = Path(os.path.commonpath([str(p.parent) for p in files]))
    elif path.is_file():
        root, files = path.parent, [path]
    elif path.is_dir():
        root, files = path, _folder_files(spec, path)
    else:
        raise ConfigError(f"corpus {spec!r} does not exist", hint=_TEXT_HINT)
    for file in files:
        if not is_text(file):
            raise _not_text(spec, file)
    if not files:
        raise ConfigError(
            f"corpus {spec!r} holds no text files", hint="point it at files with text in them"
        )
    return root, files
