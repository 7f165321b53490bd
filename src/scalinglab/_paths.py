"""Where a result, report or figure is written: refused before any work, with what to do,
when the path is a folder or a file stands where a folder on its way goes, rather than
Python's bare ``FileNotFoundError``; a missing folder on the way (``r.save("sub/dir/fit.json")``)
is created as ``mkdir -p`` would, when the file is written (:func:`make_parents`), so that
work that fails first leaves no empty folder behind. The command line's outputs (``--out``,
``--plot``, ``--figures``) are checked and made by the same functions, in the same words.
A run store is the exception: it is created only in a folder that exists
(:mod:`scalinglab.store._schema` says why)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from scalinglab._checks import given
from scalinglab._errors import ConfigError

__all__ = [
    "as_path",
    "check_parent",
    "close_file",
    "make_folder",
    "make_parents",
    "user_path",
    "writable",
    "write_text",
]


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
        return user_path(path)
    one = frame and isinstance(path, list | tuple)  # read_evals([a, b]): one table is read
    raise ConfigError(
        f"{option} must be a file's path (a string or a pathlib.Path)"
        f"{' or a DataFrame' if frame else ''}, got {given(path)}",
        hint=f"pass a file name, e.g. {example}"
        + ("; for several tables, pd.concat their DataFrames first" if one else ""),
    )


def user_path(path: str | os.PathLike[str]) -> Path:
    """``path`` with a leading ``~`` read as the home folder, as pandas and a shell read it
    (``read_runs("~/runs.csv")`` in a notebook, where no shell expands it); as given where
    there is no such home (``~nobody/``)."""
    try:
        return Path(path).expanduser()
    except RuntimeError:  # no home folder to expand to: the path as typed, not found after
        return Path(path)


def check_parent(path: str | os.PathLike[str], *, option: str = "path") -> Path:
    """``path`` as a :class:`Path` whose folder exists or can be made: no file stands where
    a folder on its way goes. Nothing is created (:func:`make_parents` does, on writing).

    Raises:
        ConfigError: Naming ``option`` (``"--out"`` on the command line), the folder and
            the file in its way.
    """
    out = as_path(path, option=option)
    _check_folder(out.parent, shown=out, option=option)
    return out


def _check_folder(folder: Path, *, shown: Path, option: str) -> None:
    """Refuse ``folder`` (on the way to ``shown``) where a file stands at it or above it."""
    for above in (folder, *folder.parents):
        if above.is_dir():
            return
        if above.exists() or above.is_symlink():  # a file, or a link to nothing
            raise ConfigError(
                f"{option} {str(shown)!r}: cannot create the folder {str(folder)!r}: "
                f"{str(above)!r} is {'a file' if above.exists() else 'a link to nothing'}",
                hint="check the path, or write somewhere else",
            )


def make_parents(path: str | os.PathLike[str], *, option: str = "path") -> Path:
    """Create the missing folders ``path`` goes in (``sub/dir`` of ``sub/dir/fit.json``), as
    ``mkdir -p`` would: called as the file is written, never before the work.

    Returns:
        ``path`` as a :class:`Path`.

    Raises:
        ConfigError: Naming ``option`` and the folder, where one cannot be made (a file on
            the way, no permission).
    """
    out = as_path(path, option=option)
    make_folder(out.parent, option=option, shown=out)
    return out


def make_folder(
    folder: str | os.PathLike[str], *, option: str = "path", shown: Path | None = None
) -> Path:
    """Create ``folder`` and the missing ones above it (``report --figures DIR``), as
    :func:`make_parents` does for a file; ``shown``: the path the message names (the file).

    Raises:
        ConfigError: Naming ``option`` and the folder, where it cannot be made.
    """
    made = as_path(folder, option=option)
    if made.is_dir():
        return made
    said = made if shown is None else shown
    _check_folder(made, shown=said, option=option)
    try:
        made.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(
            f"{option} {str(said)!r}: cannot create the folder {str(made)!r} "
            f"({err.strerror or err})",
            hint="check the path and its permissions, or write somewhere else",
        ) from None
    return made


def writable(
    path: str | os.PathLike[str], *, option: str = "path", name: str | None = None
) -> Path:
    """``path`` as a :class:`Path` a file can be written to: not a folder, in a folder that
    exists or can be made (as :func:`check_parent`); ``name``: a file name the hint for a
    folder suggests in it (``fit.json``).

    Raises:
        ConfigError: Naming ``option`` and the path.
    """
    if as_path(path, option=option).is_dir():
        import shlex

        inside = f", e.g. {option} {shlex.quote(str(Path(path) / name))}" if name else ""
        raise ConfigError(f"{option} {str(path)!r} is a folder", hint=f"give a file name{inside}")
    return check_parent(path, option=option)


def write_text(path: str | os.PathLike[str], text: str, *, option: str = "path") -> Path:
    """Write ``text`` (UTF-8) to :func:`writable` ``path``, its missing folders made
    (:func:`make_parents`), and return it. The write is atomic
    (:func:`scalinglab._atomic.atomic_write`): Ctrl-C or a full disk leaves the file as it
    was, never half written.

    Raises:
        PermissionError: ``path`` exists and may not be written (as ``open`` refuses it:
            a rename beside it would replace it all the same).
        OSError: As the write fails (``ENOSPC``), the file left as it was.
    """
    from scalinglab._atomic import atomic_write

    out = make_parents(writable(path, option=option), option=option)
    if out.is_file() and not os.access(out, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(out))
    atomic_write(out, text.encode("utf-8"), durable=False)  # whole or absent; not fsync'ed
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
