"""Where a result or report is written: refused before writing, with what to do, when the
path is a folder or its folder does not exist (``r.save("sub/dir/fit.json")``), rather
than Python's bare ``FileNotFoundError``. The command line's ``--out`` and ``--figures``
say it with the same words."""

from __future__ import annotations

import os
from pathlib import Path

from scalinglab._checks import given
from scalinglab._errors import ConfigError

__all__ = ["as_path", "check_parent", "close_file", "writable", "write_text"]


def as_path(
    path: object, *, option: str = "path", example: str = "'fit.json'", frame: bool = False
) -> Path:
    """``path`` as a :class:`Path` when it is one, or a string naming one.

    Args:
        path: What was given.
        option: Its argument's name, for the message.
        example: A file name to pass, for the hint.
        frame: The caller takes a DataFrame too (checked before): the message says so,
            and of a list, that the caller reads one table.

    Raises:
        ConfigError: Naming ``option`` and what was given instead (``save(5)``), rather
            than Python's bare ``TypeError`` from :class:`Path`.
    """
    if isinstance(path, str | os.PathLike):
        return Path(path)
    one = frame and isinstance(path, list | tuple)  # read_evals([a, b]): one table is read
    raise ConfigError(
        f"{option} must be a file's path (a string or a pathlib.Path)"
        f"{' or a DataFrame' if frame else ''}, got {given(path)}",
        hint=f"pass a file name, e.g. {example}"
        + ("; for several tables, pd.concat their DataFrames first" if one else ""),
    )


def check_parent(path: str | os.PathLike[str], *, option: str = "path") -> Path:
    """``path`` as a :class:`Path` when the folder it goes in exists.

    Raises:
        ConfigError: Naming ``option`` (``"--out"`` on the command line) and the folder.
    """
    out = as_path(path, option=option)
    if not out.parent.is_dir():
        raise ConfigError(
            f"{option} {str(out)!r}: the folder {str(out.parent)!r} does not exist",
            hint="create it first, or write somewhere else",
        )
    return out


def writable(path: str | os.PathLike[str], *, option: str = "path") -> Path:
    """``path`` as a :class:`Path` a file can be written to: not a folder, in a folder that
    exists (as :func:`check_parent`).

    Raises:
        ConfigError: Naming ``option`` and the path.
    """
    if as_path(path, option=option).is_dir():
        raise ConfigError(f"{option} {str(path)!r} is a folder", hint="give a file name")
    return check_parent(path, option=option)


def write_text(path: str | os.PathLike[str], text: str, *, option: str = "path") -> Path:
    """Write ``text`` (UTF-8) to :func:`writable` ``path`` and return it."""
    out = writable(path, option=option)
    out.write_text(text, encoding="utf-8")
    return out


def close_file(path: str | os.PathLike[str]) -> Path | None:
    """The file in ``path``'s folder whose name ``path``'s most likely meant (``my.tml``:
    ``my.toml``; :func:`closest_name`), as ``path`` is written; ``None`` when none is near
    or the folder cannot be read."""
    from scalinglab._errors import closest_name

    given = Path(path).expanduser()
    try:
        names = [p.name for p in given.parent.iterdir() if p.is_file()]
    except OSError:
        return None
    near = closest_name(given.name, names)
    return Path(path).parent / near if near and near != given.name else None
