"""Dense point layers drawn as one image, so a figure of thousands of runs stays small.

An SVG or PDF draws every marker as its own element: a report of 5,000 runs carried a
4.9 MB figure of about 49,000 ``<use>`` points, slow to write and to open. Above
:data:`RASTER_POINTS` markers in a figure its point layers (scatter, markers, error bars)
are drawn rasterised (matplotlib's ``rasterized=True``): one embedded PNG per layer group,
while the axes, ticks, text, fitted lines and bands stay vector. A PNG file is unchanged.

A figure of whole loss curves (``curves backtest --plot``, the report's curves figure, the
envelope plot) is dense in its lines too: 300 curves of 20,000 steps are 6 million vertices
of ``<path>``. With ``lines=True`` the vertices of its lines and bands count with its
markers, and above :data:`RASTER_POINTS` in all, both are drawn rasterised (one image, not
one per curve, as a curve's dots and line alternate in the drawing order).

::

    rasterize_dense(fig)                # before fig.savefig(...)
    rasterize_dense(fig, lines=True)    # a figure of curves
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

__all__ = ["RASTER_DPI", "RASTER_POINTS", "marks", "rasterize_dense"]

#: Markers a figure may hold and still be drawn all vector; above it its point layers are
#: rasterised. 2,000 keeps every figure of a few hundred runs (the bundled Chinchilla
#: ladder's 5 panels of points included) vector, and caps a figure near 0.3 MB of markers.
RASTER_POINTS = 2000
#: Resolution of the rasterised layers in an inline SVG figure (a page's screen).
RASTER_DPI = 150


def marks(fig: Any) -> int:
    """The markers drawn in ``fig``: scatter points, markers on lines, error bars."""
    return sum(_count(artist) for artist in _layers(fig))


def rasterize_dense(fig: Any, *, limit: int = RASTER_POINTS, lines: bool = False) -> bool:
    """Draw ``fig``'s point layers rasterised where it holds more than ``limit`` markers.

    Args:
        fig: A matplotlib figure, before it is saved.
        limit: The most markers (and, with ``lines``, line and band vertices) drawn as vector.
        lines: Count and rasterise its lines and bands (``fill_between``) with its points:
            for a figure of curves, whose lines hold as many points as their markers.

    Returns:
        Whether the layers were rasterised.
    """
    layers = list(_layers(fig)) + (_lines(fig) if lines else [])
    if sum(_count(a) for a in layers) <= limit:
        return False
    for artist in layers:
        artist.set_rasterized(True)
    return True


def _layers(fig: Any) -> list[Any]:
    """The artists of ``fig`` that draw one mark per point (not lines, bands or text)."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.container import ErrorbarContainer

    found: list[Any] = []
    for ax in fig.axes:
        found += [c for c in ax.collections if isinstance(c, PathCollection)]
        found += [line for line in ax.lines if _marked(line)]
        for container in ax.containers:  # an error bar's bars: one segment per point
            if isinstance(container, ErrorbarContainer):
                found += [c for c in container.get_children() if isinstance(c, LineCollection)]
    return found


def _lines(fig: Any) -> list[Any]:
    """The lines of ``fig`` without markers, and its bands: one vertex per point."""
    from matplotlib.collections import PolyCollection

    found: list[Any] = []
    for ax in fig.axes:
        found += [line for line in ax.lines if not _marked(line)]
        found += [c for c in ax.collections if isinstance(c, PolyCollection)]
    return found


def _marked(line: Any) -> bool:
    return line.get_marker() not in (None, "None", "none", "", " ")


def _count(artist: Any) -> int:
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection

    if isinstance(artist, PathCollection):
        return int(np.shape(artist.get_offsets())[0])
    if isinstance(artist, LineCollection):
        return len(cast("list[Any]", artist.get_segments()))
    if isinstance(artist, PolyCollection):  # a band: the vertices of its outline
        return sum(int(np.shape(path.vertices)[0]) for path in artist.get_paths())
    return int(np.size(artist.get_xdata()))
