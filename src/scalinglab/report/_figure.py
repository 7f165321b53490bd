"""A figure of the report, and how it is written: SVG to inline in the HTML page (glyphs drawn
as paths, so the page needs no font; ids prefixed so several figures share a page), or a file
(svg, png, pdf) with no timestamps, so the same fit writes the same bytes."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.report._raster import RASTER_DPI, rasterize_dense

__all__ = [
    "FIGURE_FORMATS",
    "ReportFigure",
    "draw_svg",
    "drawn_figure",
    "inline_svg",
    "rendered",
    "save_figure",
    "svg_markup",
    "write_figure",
]

#: Formats a report figure can be written in (``--format``).
FIGURE_FORMATS: tuple[str, ...] = ("svg", "png", "pdf")
# matplotlib's RDF block (creator, tool URL): not needed in a page, and it holds URLs
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\b(id)="([^"]+)"')
_REF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


@dataclass(frozen=True)
class ReportFigure:
    """One figure of the report.

    Attributes:
        key: File stem and HTML id, e.g. ``"loss-scaling"``.
        title: Heading shown above it.
        caption: What it shows, one or two sentences.
        figure: The matplotlib figure.
        svg: The figure as inline SVG once drawn by :func:`rendered` (so a page's progress
            can count its slowest part, figure by figure); ``""``: drawn when shown.
    """

    key: str
    title: str
    caption: str
    figure: Any
    svg: str = ""


def rendered(item: ReportFigure) -> ReportFigure:
    """``item`` with its inline SVG drawn (:func:`svg_markup`), for the page to show."""
    return replace(item, svg=svg_markup(item))


def svg_markup(item: ReportFigure) -> str:
    """The figure as an ``<svg>`` element to inline in HTML (see :func:`inline_svg`).

    Matplotlib's element ids are salted with the figure's key and the date is left out, so
    the same fit gives the same page. A figure of more than
    :data:`~scalinglab.report._raster.RASTER_POINTS` markers draws them as an embedded image
    (:func:`~scalinglab.report._raster.rasterize_dense`), its axes and text still vector.
    """
    if item.svg:  # drawn already (:func:`rendered`)
        return item.svg
    from matplotlib import rc_context

    buffer = io.StringIO()
    _ready(item.figure)
    with rc_context({"svg.hashsalt": f"scalinglab-{item.key}", "svg.fonttype": "path"}):
        _save(item.figure, buffer, dpi=RASTER_DPI)
    return inline_svg(buffer.getvalue(), item.key)


def inline_svg(text: str, key: str) -> str:
    """An SVG file's text as an element for an HTML page: no XML prolog, DOCTYPE or metadata,
    and every id (and every reference to one) prefixed with ``key``.

    Matplotlib names groups ``figure_1``, ``axes_1`` and glyphs ``DejaVuSans-48`` in every
    figure; prefixed, the ids stay unique on a page with several figures.
    """
    markup = _METADATA.sub("", text[text.find("<svg") :]).strip()
    prefix = f"{key}-"
    markup = _ID.sub(lambda m: f'{m[1]}="{prefix}{m[2]}"', markup)
    markup = _REF.sub(lambda m: f'{m[1]}="#{prefix}{m[2]}"', markup)
    markup = _URL.sub(lambda m: f"url(#{prefix}{m[1]})", markup)
    return markup.replace("<svg ", f'<svg role="img" aria-label="{key}" ', 1)


def draw_svg(
    build: Callable[[], Any], file: Path | None = None, *, dpi: int, file_title: str = ""
) -> str:
    """Build a figure once and write it twice: as SVG (returned as text), and to ``file``.

    Args:
        build: Makes the figure (a matplotlib ``Figure``); called once.
        file: Where to write it too (its suffix names the format), or ``None``.
        dpi: Resolution of its rasterised layers, and of ``file`` as a PNG.
        file_title: The title ``file`` carries above the figure (the page's has none:
            :mod:`scalinglab.report._figure_titles`); ``""``: none.

    Returns:
        The SVG file's text (:func:`drawn_figure` makes it an element of a page).
    """
    from matplotlib import rc_context

    fig = build()
    _ready(fig)  # once: the file is the same figure, laid out already
    buffer = io.StringIO()
    with rc_context({"svg.hashsalt": "scalinglab"}):
        _save(fig, buffer, dpi=dpi)
        if file is not None:
            with _titled(fig, file_title):
                _save(fig, file, dpi=dpi)
    return buffer.getvalue()


def write_figure(fig: Any, out: str | os.PathLike[str], *, dpi: int, title: str = "") -> None:
    """Save a built figure: its dense layers rasterised (:func:`rasterize_dense`), its layout
    settled (:func:`~scalinglab.report._layout.settle`), no timestamp in the file and its SVG
    ids salted alike, so the same figure writes the same bytes.

    Args:
        fig: A matplotlib ``Figure``.
        out: The file; its suffix names the format (svg, png, pdf).
        dpi: Resolution of its rasterised layers, and of a PNG.
        title: The title the file carries above the figure, as a ``report --figures`` file
            (:mod:`scalinglab.report._figure_titles`); ``""``: none.
    """
    from matplotlib import rc_context

    _ready(fig)
    # unsalted, matplotlib salts an SVG's clip-path and marker ids with a random uuid
    with rc_context({"svg.hashsalt": "scalinglab"}), _titled(fig, title):
        _save(fig, out, dpi=dpi)


def _ready(fig: Any) -> None:
    from scalinglab.report._layout import settle

    rasterize_dense(fig)  # thousands of runs: their points one image in an svg or pdf
    settle(fig)  # plain tick labels, the layout run once: several times quicker to draw


def _save(fig: Any, out: str | os.PathLike[str] | io.StringIO, *, dpi: int) -> None:
    if isinstance(out, io.StringIO):
        fig.savefig(out, format="svg", dpi=dpi, metadata=_metadata("svg"))
        return
    from scalinglab._atomic import atomic_write
    from scalinglab._paths import make_parents

    make_parents(out)  # a missing folder made as the file is written, as save() does
    fmt = Path(out).suffix.lower().lstrip(".")
    # whole or absent: Ctrl-C or a full disk mid-draw leaves no half a figure
    atomic_write(
        out,
        lambda file: fig.savefig(file, format=fmt, dpi=dpi, metadata=_metadata(fmt)),
        durable=False,
    )


def drawn_figure(key: str, title: str, caption: str, svg: str) -> str:
    """A figure drawn by :func:`draw_svg` as HTML, with its caption."""
    from scalinglab.report._html_parts import figure_block

    return figure_block(key, title, caption, inline_svg(svg, key))


def save_figure(
    item: ReportFigure, folder: str | os.PathLike[str], *, fmt: str = "svg", title: str = ""
) -> Path:
    """Write a figure as ``folder/<key>.<fmt>`` and return the path; with ``title`` above
    it (:func:`scalinglab.report._figure_titles.titled_file`), the page's figure unchanged.

    Raises:
        ConfigError: For a format other than svg, png or pdf.
    """
    if fmt not in FIGURE_FORMATS:
        raise ConfigError(
            f"cannot write a figure as {fmt!r}", hint=f"use one of {', '.join(FIGURE_FORMATS)}"
        )
    out = Path(folder) / f"{item.key}.{fmt}"
    from matplotlib import rc_context

    _ready(item.figure)  # drawn already inline: its layout is not computed again
    with rc_context({"svg.hashsalt": f"scalinglab-{item.key}"}), _titled(item.figure, title):
        _save(item.figure, out, dpi=150)
    return out


def _titled(fig: Any, title: str) -> AbstractContextManager[None]:
    from scalinglab.report._figure_titles import titled_file

    return titled_file(fig, title) if title else nullcontext()


def _metadata(fmt: str) -> dict[str, Any]:
    # no timestamps: the same fit writes the same file
    return {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}


def _new_figure(size: tuple[float, float]) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")
