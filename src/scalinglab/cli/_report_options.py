"""``scalinglab report``'s settings written back: the reproducing command line, the figure files.

:func:`command_line` spells out every setting of a report, defaults included, for its
reproducibility card; :func:`figure_format_of` and :func:`figures_folder` read ``--format``
and ``--figures``; :func:`check_page_name` says what ``--out`` a page is written to.
"""

from __future__ import annotations

import shlex
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._paths import check_parent

__all__ = [
    "PAGE_SUFFIXES",
    "budgets_given",
    "check_page_name",
    "command_line",
    "detected_maps",
    "figure_format_of",
    "figures_folder",
]

_FORMATS = ("svg", "png", "pdf")
#: What ``report --out`` writes: an HTML page, by these suffixes.
PAGE_SUFFIXES = (".html", ".htm")


def check_page_name(out: Path) -> None:
    """Refuse a ``report --out`` whose name is no HTML page's, saying what report writes
    (by suffix) and, for a figure's name (``r.png``), the command that writes a figure; a
    folder is left to :func:`~scalinglab.cli._output_paths.check_output` (``is a folder``).

    Raises:
        ConfigError: Naming the path, the suffixes report writes, and what to do.
    """
    suffix = out.suffix.lower()
    if out.is_dir() or suffix in PAGE_SUFFIXES:
        return
    page = out.with_suffix(".html").name if suffix else f"{out.name}.html"
    if suffix[1:] in _FORMATS:  # a figure's name: the page has figures, and fit draws one
        raise ConfigError(
            f"--out {str(out)!r}: report writes an HTML page (.html or .htm), not a "
            f"{suffix[1:]} figure",
            hint=f"name the page {page} (--figures DIR --format {suffix[1:]} writes its "
            f"figures as files too); a figure alone: `scalinglab fit RUNS --plot {out.name}`",
        )
    of = f"of {out.name!r} (no suffix)" if not suffix else f"from {out.suffix!r}"
    raise ConfigError(
        f"--out {str(out)!r}: cannot tell the format {of}: report writes an HTML page "
        "(.html or .htm)",
        hint=f"name the page {page}; a figure alone: `scalinglab fit RUNS --plot fit.png` "
        "(.png, .svg or .pdf)",
    )


def command_line(**options: Any) -> str:
    """The ``scalinglab report`` command with every setting spelled out, defaults included, so
    that it reproduces the report even if a later version changes a default: the columns of
    a RUNS file read by detection too (``origins``: each standard name's column), as
    ``--map`` beside those ``columns`` (``--map``, ``--y``) and ``symbols`` (``--x``) name."""
    words = ["scalinglab", "report"]
    maps = list(options["mapping"] or ())
    if options["runs"] is not None:
        words.append(str(options["runs"]))
        maps += detected_maps(options["origins"], given=options["columns"],
                              read=options["symbols"].values())  # fmt: skip
    for name in ("store", "data", "out", "law"):
        if options.get(name) is not None:
            words += [f"--{name}", str(options[name])]
    for flag, values in (
        ("--x", options["x"]),
        ("--map", maps),
        ("--where", options["where"]),
        ("--compute", options["budget"]),
    ):
        for value in values or ():
            words += [flag, value]
    if options["y"] is not None:
        words += ["--y", options["y"]]
    for name in ("robust_loss", "delta", "space", "bootstrap", "level", "seed"):
        words += [f"--{name.replace('_', '-')}", str(options[name])]
    if options["drop_outliers"]:
        words.append("--drop-outliers")
    if options.get("best_per_cell"):
        words.append("--best-per-cell")
    if options["validate"]:
        words += ["--holdout", options["holdout"]]
    else:
        words.append("--no-validate")
    for name, flag in (("figures", "--figures"), ("fmt", "--format"), ("title", "--title")):
        if options[name] is not None:
            words += [flag, str(options[name])]
    return shlex.join(words)


def detected_maps(
    origins: Mapping[str, str], *, given: Mapping[str, str], read: Collection[str] = ()
) -> list[str]:
    """The ``--map`` values (``params=Model Size``) of the columns read under a standard
    name by detection: each of ``origins`` (standard name -> the file's column) that
    ``given`` (``--map`` and ``--y``) does not map and ``read`` (``--x``'s columns) does not
    name, so a command spelling them reads the same columns if detection ever changes."""
    return [f"{t}={s}" for t, s in origins.items() if t not in given and s not in read and s != t]


def budgets_given(budgets: Sequence[float]) -> str:
    """The budgets a report planned, as one ``--compute`` value: each once (a repeat typed is
    dropped with a warning, so the card's command remakes the page without it) and exactly
    (``5.76e23``; ``1.2345678e21`` not rounded to 6 digits), in the order given."""
    words = []
    for value in budgets:
        short = f"{value:g}"
        words.append((short if float(short) == value else repr(value)).replace("e+", "e"))
    return ",".join(words)


def spelled(words: Sequence[str], options: Sequence[tuple[str, Any]]) -> str:
    """A command from its words and ``(flag, value)`` pairs: ``None`` and ``False`` left out,
    ``True`` the bare flag, a list its flag once per item; quoted for a shell."""
    out = ["scalinglab", *words]
    for flag, value in options:
        if value is None or value is False:
            continue
        if value is True:
            out.append(flag)
        elif isinstance(value, list | tuple):
            for item in value:
                out += [flag, str(item)]
        else:
            out += [flag, str(value)]
    return shlex.join(out)


def figure_format_of(fmt: str | None) -> str:
    """The figure files' format ``--format`` names (svg, png or pdf; svg when not given)."""
    if fmt is None:
        return "svg"
    value = fmt.strip().lower().lstrip(".")
    if value not in _FORMATS:
        raise ConfigError(f"--format {fmt!r} is not a figure format", hint="use svg, png or pdf")
    return value


def figures_folder(figures: Path | None, out: Path, fmt: str | None) -> Path | None:
    """Where the figure files go: ``--figures``, else beside the report when ``--format`` asks."""
    if figures is None:
        return None if fmt is None else out.with_name(f"{out.stem}-figures")
    if figures.exists() and not figures.is_dir():
        raise ConfigError(f"--figures {str(figures)!r} is a file", hint="give a folder")
    check_parent(figures, option="--figures")  # made as the first figure is written
    return figures
