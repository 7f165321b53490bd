"""A figure of the report, and how it is written: SVG to inline in the HTML page (glyphs drawn
as paths, so the page needs no font; ids prefixed so several figures share a page), or a file
(svg, png, pdf) with no timestamps, so the same fit writes the same bytes."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable
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

    from scalinglab.report._layout import settle

    buffer = io.StringIO()
    rasterize_dense(item.figure)
    settle(item.figure)  # plain tick labels, the layout run once (it was most of the time)
    with rc_context({"svg.hashsalt": f"scalinglab-{item.key}", "svg.fonttype": "path"}):
        item.figure.savefig(buffer, format="svg", dpi=RASTER_DPI, metadata={"Date": None})
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


def draw_svg(plot: Callable[[Path], None], file: Path | None = None) -> str:
    """Run a plot function that writes a file: as SVG (returned as text), and to ``file``."""
    from matplotlib import rc_context

    with tempfile.TemporaryDirectory() as folder, rc_context({"svg.hashsalt": "scalinglab"}):
        path = Path(folder) / "figure.svg"
        plot(path)
        if file is not None:
            plot(file)
        return path.read_text(encoding="utf-8")


def drawn_figure(key: str, title: str, caption: str, svg: str) -> str:
    """A figure drawn by :func:`draw_svg` as HTML, with its caption."""
    from scalinglab.report._html_parts import figure_block

    return figure_block(key, title, caption, inline_svg(svg, key))


def save_figure(item: ReportFigure, folder: str | os.PathLike[str], *, fmt: str = "svg") -> Path:
    """Write a figure as ``folder/<key>.<fmt>`` and return the path.

    Raises:
        ConfigError: For a format other than svg, png or pdf.
    """
    if fmt not in FIGURE_FORMATS:
        raise ConfigError(
            f"cannot write a figure as {fmt!r}", hint=f"use one of {', '.join(FIGURE_FORMATS)}"
        )
    out = Path(folder) / f"{item.key}.{fmt}"
    from matplotlib import rc_context

    from scalinglab.report._layout import settle

    rasterize_dense(item.figure)  # an svg or pdf of thousands of runs: its points an image
    settle(item.figure)  # drawn already inline: its layout is not computed again
    with rc_context({"svg.hashsalt": f"scalinglab-{item.key}"}):
        item.figure.savefig(out, format=fmt, dpi=150, metadata=_metadata(fmt))
    return out


def _metadata(fmt: str) -> dict[str, Any]:
    # no timestamps: the same fit writes the same file
    return {"Date": None} if fmt == "svg" else {"CreationDate": None} if fmt == "pdf" else {}


def _new_figure(size: tuple[float, float]) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")
