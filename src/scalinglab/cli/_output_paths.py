"""Output paths checked before any work: ``--out``, ``--plot`` (with ``--format``) and a
store a command writes; each refused, naming the option, when it cannot or must not be
written (:func:`scalinglab.cli._outputs.check_target` says which files are never replaced).
A missing folder on the way to one is checked here and created only as the file is written
(:func:`scalinglab._paths.make_parents`), for every such option alike (``report --figures
DIR`` too), so that a command that fails first leaves no empty folder behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scalinglab._errors import ConfigError
from scalinglab._paths import writable
from scalinglab._result_names import check_result_name, misnamed
from scalinglab.cli._interrupted import watch
from scalinglab.cli._outputs import Inputs, Kind, check_target, write_hint

__all__ = ["PLOT_FORMATS", "check_output", "figure_path", "plot_path"]

#: Figure formats ``--plot`` writes, by suffix.
PLOT_FORMATS: tuple[str, ...] = (".png", ".svg", ".pdf")  # report._plot.FORMATS (a test checks)
#: A file name to suggest in a folder given as an output, by what is written, where the
#: command names none (``example``).
_NAMES = {"html": "report.html", "figure": "figure.png"}


def check_output(
    path: Path,
    *,
    option: str,
    suffixes: Sequence[str] = (),
    inputs: Inputs = (),
    outputs: Inputs = (),
    kind: Kind = "json",
    what: str | None = None,
    example: str | None = None,
    kind_format: str | None = None,
    format_option: bool = False,
) -> None:
    """Refuse an output path before any work is done: a folder, a missing parent, a bad suffix,
    one of the command's ``inputs``, an existing file of another kind (a run store, a run
    table where JSON goes): see :func:`scalinglab.cli._outputs.check_target`; and JSON
    under a name that says another format (``fit.json.gz``, ``fit.csv``), as ``save()``
    refuses it (:func:`scalinglab._result_names.check_result_name`).

    Args:
        path: Where the command would write.
        option: The option naming it, for the messages.
        suffixes: The suffixes the format may have (none: any).
        inputs: ``(name, path)`` of everything the command reads: ``("RUNS", runs)``,
            ``("--store", store)``; a path may be ``None`` (not given) or a list.
        outputs: ``(name, path)`` of what else the command writes (``("--out", out)``):
            the same path for two outputs is refused.
        kind: What is written: ``json``, ``figure``, ``html``, or ``store`` (a run store:
            only compared with the inputs, as the store checks its own path and file).
        what: What is written, in the hint: ``"the fit"``.
        example: A name to suggest in the hint: ``fit.json``.
        kind_format: The ``"format"`` of the JSON written (``"scalinglab.plan/1"``).
        format_option: Whether the command takes ``--format`` for this path (``--plot``),
            which a name without a figure's suffix is hinted to add.

    Raises:
        ConfigError: Naming the option and the path (and the input it is).
    """
    if kind != "store":  # a store says itself what is wrong with its path or file
        if path.is_dir():  # a folder is no file, whatever its name's suffix says
            writable(path, option=option, name=example or _NAMES.get(kind))
        # a JSON result under another format's name is refused in its own words, below
        named = kind == "json" and misnamed(path) is not None
        if suffixes and path.suffix.lower() not in suffixes and not named:
            of = f"of {path.name!r} (no suffix)" if not path.suffix else f"from {path.suffix!r}"
            formats = "|".join(s.lstrip(".") for s in suffixes)
            raise ConfigError(
                f"{option} {str(path)!r}: cannot tell the format {of}",
                hint=f"end the name with one of {', '.join(suffixes)}"
                + (f", or add --format {formats}" if format_option else ""),
            )
        # sub/r.html: sub can be made (it is, as the page is written); the library's words
        writable(path, option=option)
        _can_write(path, option=option)
    check_target(
        path,
        option=option,
        kind=kind,
        inputs=inputs,
        outputs=outputs,
        what=what,
        example=example,
        kind_format=kind_format,
    )
    if kind == "json":  # after the checks above, which say what writing it would destroy
        check_result_name(path, option=option, what=what or "the result")
    watch(path, option=option, store=kind == "store")  # what Ctrl-C left of it, said then


def _can_write(path: Path, *, option: str) -> None:
    """Refuse ``path`` when the system will not let it be written (``/proc/x``, a read-only
    mount), before any work rather than after a long report: a new file is tried with a
    file of the probe's own in its folder, or in the nearest folder above that exists where
    its own is yet to be made, removed at once (root passes permission bits, so
    ``os.access`` alone would pass ``/proc``); an existing one by its write permission.

    Raises:
        ConfigError: In the words :func:`scalinglab.cli._outputs.write` says a failed write.
    """
    try:
        if path.exists():
            if not os.access(path, os.W_OK):
                raise PermissionError(13, "Permission denied")
            return
        folder = next(p for p in (path.parent, *path.parent.parents) if p.is_dir())
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".scalinglab-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as err:
        raise ConfigError(
            f"{option} {str(path)!r}: cannot write ({err.strerror or err})",
            hint=write_hint(err),
        ) from None


def figure_path(path: Path, fmt: str | None, *, option: str) -> Path:
    """``--format``: ``fit --format pdf`` → ``fit.pdf``; a suffix that says otherwise is refused.

    Without ``fmt`` the path is returned as it is (its suffix names the format).

    Raises:
        ConfigError: For an unknown format, or a figure suffix that contradicts it.
    """
    if fmt is None:
        return path
    suffix = "." + fmt.strip().lower().lstrip(".")
    if suffix not in PLOT_FORMATS:
        raise ConfigError(
            f"--format {fmt!r} is not a figure format",
            hint=f"use one of {', '.join(s.lstrip('.') for s in PLOT_FORMATS)}",
        )
    if path.suffix.lower() in PLOT_FORMATS and path.suffix.lower() != suffix:
        raise ConfigError(
            f"{option} {str(path)!r} ends in {path.suffix!r} but --format is {suffix[1:]!r}",
            hint=f"drop --format, or name the file {path.with_suffix(suffix).name}",
        )
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def plot_path(
    plot: Path | None,
    fmt: str | None,
    *,
    inputs: Inputs = (),
    outputs: Inputs = (),
    example: str | None = None,
) -> Path | None:
    """``--plot`` with ``--format`` applied and checked before any work (see :func:`figure_path`
    and, for ``inputs``, ``outputs`` (``--out``: not the figure's path) and ``example``,
    :func:`check_output`).

    Raises:
        ConfigError: For ``--format`` without ``--plot``, or a path or format that cannot be
            written.
    """
    if plot is None:
        if fmt is not None:
            raise ConfigError(
                "--format sets the format of --plot, and no --plot was given",
                hint="add a figure path: --plot fit --format pdf writes fit.pdf (JSON output "
                "is --json)",
            )
        return None
    plot = figure_path(plot, fmt, option="--plot")
    check_output(
        plot,
        option="--plot",
        suffixes=PLOT_FORMATS,
        inputs=inputs,
        outputs=outputs,
        kind="figure",
        example=example,
        format_option=True,
    )
    return plot
