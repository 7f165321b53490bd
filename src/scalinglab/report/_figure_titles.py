"""What each of the report's figures is titled, decided here alone.

On the page a figure sits under its section's heading and its own bold heading (the figure
block's title, e.g. "IsoFLOP profiles and optima"), which say what it is and of what data:
the figure itself carries no title of its own, only the warning that its data are simulated
(:func:`page_title`). A file written by ``report --figures`` is seen alone, so it carries a
short title that says the same: that heading and the data's name (:func:`file_title`),
drawn in a strip added above the figure as laid out for the page (:func:`titled_file`)::

    page_title(fig, simulated=result.simulated)
    with titled_file(fig, file_title("Residuals", fit_subject(result))):
        fig.savefig("residuals.svg")
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "FILE_TITLE_SIZE",
    "SIMULATED",
    "data_name",
    "file_title",
    "fit_subject",
    "page_title",
    "titled_file",
]

#: The one title a figure on the page carries: its data are simulated.
SIMULATED = "SIMULATED DATA (not real training runs)"
#: Font size (points) of a figure file's title.
FILE_TITLE_SIZE = 11.0

_COUNT = re.compile(r"\((\d[\d,]* runs?)\)$")
_SIMULATED_SOURCE = "SIMULATED ladder — "


def page_title(fig: Any, *, simulated: bool) -> None:
    """Title ``fig`` for the page: only the warning that its data are simulated, if they
    are; the headings above it name the figure and its data."""
    if simulated:
        fig.suptitle(SIMULATED, color="darkred", fontsize=9, ha="center")


def data_name(source: str) -> str:
    """A run table's description (:meth:`~scalinglab.data.RunTable.describe_source`) as a
    short name: ``"overtraining-c4 (31 runs)"``, ``"runs.csv (240 runs)"``,
    ``"simulated runs (49 runs)"``."""
    count = _COUNT.search(source)
    said = f" ({count[1]})" if count else ""
    if source.startswith(_SIMULATED_SOURCE):
        return f"simulated runs{said}"
    name, colon, _ = source.partition(": ")
    if colon and " " not in name:  # a bundled set's name, then its description
        return f"{name}{said}"
    return source


def fit_subject(result: Any) -> str:
    """What a fit's figure shows, for its file's title: ``"chinchilla on overtraining-c4
    (31 runs)"``."""
    return f"{result.law_spec} on {data_name(result.source)}"


def file_title(heading: str, subject: str) -> str:
    """A figure file's title: the heading the page gives the figure, and what it shows
    (``"IsoFLOP profiles and optima: overtraining-c4 (31 runs)"``)."""
    return f"{heading}: {subject}" if subject else heading


@contextmanager
def titled_file(fig: Any, title: str) -> Iterator[None]:
    """Within the block ``fig`` carries ``title`` above everything it holds, in a strip
    added to its top (its panels keep their size in inches and their places relative to
    each other, as laid out for the page); on leaving, the figure is as it was.

    Args:
        fig: A laid-out matplotlib ``Figure`` (:func:`~scalinglab.report._layout.settle`).
        title: One line.
    """
    width, height = fig.get_size_inches()
    strip = (FILE_TITLE_SIZE * 1.25 + 8.0) / 72.0  # a line of text and its padding, inches
    scale = height / (height + strip)
    boxes = [(ax, ax.get_position(original=True), ax.get_position()) for ax in fig.axes]
    texts = [(text, text.get_position()[1]) for text in fig.texts]
    fig.set_size_inches(width, height + strip)
    for ax, original, active in boxes:
        ax.set_position(_lowered(original, scale), which="original")
        ax.set_position(_lowered(active, scale), which="active")
    for text, y in texts:
        text.set_y(y * scale)
    added = fig.text(
        0.5, 1.0 - 4.0 / 72.0 / (height + strip), title, ha="center", va="top",
        fontsize=FILE_TITLE_SIZE,
    )  # fmt: skip
    try:
        yield
    finally:
        added.remove()
        fig.set_size_inches(width, height)
        for ax, original, active in boxes:
            ax.set_position(original, which="original")
            ax.set_position(active, which="active")
        for text, y in texts:
            text.set_y(y)


def _lowered(box: Any, scale: float) -> list[float]:
    """A box in figure fractions, where it sits once the figure grows by a strip at the top."""
    return [box.x0, box.y0 * scale, box.width, box.height * scale]
