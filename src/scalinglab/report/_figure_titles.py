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

The figures written alone (``plot_fit``, ``plot_isoflop``, ``plot_envelope``,
``plot_backtest``: ``fit --plot``, ``isoflop --plot``...) are titled as those files are, by
:func:`fit_title`, :func:`isoflop_title`, :func:`envelope_title` and :func:`backtest_title`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import PurePath, PureWindowsPath
from typing import Any

__all__ = [
    "BACKTEST_HEADING",
    "FILE_TITLE_SIZE",
    "ISOFLOP_HEADING",
    "ND_HEADING",
    "PARITY_HEADING",
    "SIMULATED",
    "against",
    "backtest_title",
    "data_name",
    "envelope_title",
    "file_title",
    "fit_subject",
    "fit_title",
    "isoflop_title",
    "page_title",
    "titled_file",
]

#: The one title a figure on the page carries: its data are simulated.
SIMULATED = "SIMULATED DATA (not real training runs)"
#: Font size (points) of a figure file's title.
FILE_TITLE_SIZE = 11.0

#: The isoFLOP figure's heading on the page, and its file's title's first words.
ISOFLOP_HEADING = "IsoFLOP profiles and optima"
#: The backtest figure's heading on the page, and its file's title's first words.
BACKTEST_HEADING = "Held-out runs predicted"
#: A fit's figure of loss against compute (``plot_fit`` of a law of N and D).
ND_HEADING = "Loss against compute"
#: A fit's figure of observed against fitted loss (the page's and ``plot_fit``'s).
PARITY_HEADING = "Observed against fitted loss"
#: The envelope figure's (``plot_envelope`` alone draws it: no page heads it).
_ENVELOPE_HEADING = "Training curves and their lower envelope"

_TAIL = re.compile(r" \(([^()]*)\)$")  # describe_source's count: "(31 runs)"
_COUNT = re.compile(r"(\d[\d,]*)(?: of its ([\d,]+))? runs?\b")
_EXCLUDED = re.compile(r", ([\d,]+ excluded)")
_SIMULATED_SOURCE = "SIMULATED ladder — "


def page_title(fig: Any, *, simulated: bool) -> None:
    """Title ``fig`` for the page: only the warning that its data are simulated, if they
    are; the headings above it name the figure and its data."""
    if simulated:
        fig.suptitle(SIMULATED, color="darkred", fontsize=9, ha="center")


def data_name(source: str) -> str:
    """A run table's description (:meth:`~scalinglab.data.RunTable.describe_source`) as a
    short name: ``"overtraining-c4 (31 runs)"``, ``"runs.csv (240 runs)"`` (a file by its
    name, not its path), ``"runs.csv (220 of 245 runs)"`` (a selection; its sizes left to
    the page), ``"runs.csv where dataset = c4 (31 of 95 runs)"`` (the runs ``--where``
    kept), ``"simulated runs (49 runs)"``."""
    tail = _TAIL.search(source)
    head = source[: tail.start()] if tail else source
    count = _COUNT.match(tail[1]) if tail else None
    if count:  # "220 of its 245 runs selected, 57.3M-12.6B params, 5 excluded"
        excluded = _EXCLUDED.search(tail[1]) if tail else None
        said = f"{count[1]}{f' of {count[2]}' if count[2] else ''} run{'s' * (count[0][-1] == 's')}"
        said = f" ({said}{f', {excluded[1]}' if excluded else ''})"
    else:
        said = f" ({tail[1]})" if tail else ""  # "(run store)"
    if source.startswith(_SIMULATED_SOURCE):
        return f"simulated runs{said}"
    head, where, kept = head.partition(" where ")  # the runs --where kept, named as said
    said = f"{where}{kept}{said}"
    name, colon, _ = head.partition(": ")
    if colon and " " not in name:  # a bundled set's name, then its description
        return f"{name}{said}"
    if "/" in head or "\\" in head:  # a file by its name: its folders run long
        head = PurePath(head).name if "/" in head else PureWindowsPath(head).name
    return f"{head}{said}"


def fit_subject(result: Any) -> str:
    """What a fit's figure shows, for its file's title: ``"chinchilla on overtraining-c4
    (31 runs)"``."""
    return f"{result.law_spec} on {data_name(result.source)}"


def file_title(heading: str, subject: str) -> str:
    """A figure file's title: the heading the page gives the figure, and what it shows
    (``"IsoFLOP profiles and optima: overtraining-c4 (31 runs)"``)."""
    return f"{heading}: {subject}" if subject else heading


def against(symbol: str) -> str:
    """The heading of a fit's figure of loss against its one variable: ``"Loss against N"``
    (the page's and ``plot_fit``'s)."""
    return f"Loss against {symbol}"


def isoflop_title(result: Any) -> str:
    """The title of an isoFLOP figure's file (``plot_isoflop``, ``report --figures``):
    ``"IsoFLOP profiles and optima: overtraining-c4 (31 runs), Chinchilla approach 2"``."""
    return file_title(ISOFLOP_HEADING, f"{data_name(result.source)}, Chinchilla approach 2")


def envelope_title(result: Any) -> str:
    """The title of an envelope figure's file (``plot_envelope``): ``"Training curves and
    their lower envelope: curves.csv, Chinchilla approach 1"``."""
    return file_title(_ENVELOPE_HEADING, f"{data_name(result.source)}, Chinchilla approach 1")


def backtest_title(backtests: Sequence[Any]) -> str:
    """The title of a backtest figure's file (``plot_backtest``, ``report --figures``): the
    laws (a baseline as its legend names it), the data, how many runs were held out and how
    (``"Held-out runs predicted: chinchilla on overtraining-c4, 4 held out (the top 10% by
    flops: flops >= 8.13e19)"``)."""
    first = backtests[0]
    laws = ", ".join(
        dict.fromkeys(b.law if b.method == "scalinglab" else f"{b.method} ({b.law})"
                      for b in backtests)
    )  # fmt: skip
    subject = (
        f"{laws} on {data_name(first.split.fitted.describe_source())}, "
        f"{first.summary.n} held out ({first.split.description})"
    )
    return file_title(BACKTEST_HEADING, subject)


def fit_title(heading: str, result: Any) -> str:
    """The title of a fit's figure file: its heading and :func:`fit_subject`
    (``"Loss against N: power-law on runs.csv (12 runs)"``)."""
    return file_title(heading, fit_subject(result))


@contextmanager
def titled_file(fig: Any, title: str) -> Iterator[None]:
    """Within the block ``fig`` carries ``title`` above everything it holds, in a strip
    added to its top (its panels keep their size in inches and their places relative to
    each other, as laid out for the page); on leaving, the figure is as it was.

    Args:
        fig: A laid-out matplotlib ``Figure`` (:func:`~scalinglab.report._layout.settle`).
        title: One line; wrapped at spaces where wider than the figure (a narrow one-panel
            figure of a long file name), the strip a line taller for each line added.
    """
    width, height = fig.get_size_inches()
    title = _fitted(title, width)
    lines = title.count("\n") + 1
    # the lines of text and their padding, inches
    strip = (FILE_TITLE_SIZE * 1.25 * lines + 8.0) / 72.0
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


def _fitted(title: str, width: float) -> str:
    """``title`` wrapped at spaces to fit ``width`` inches less a margin, as drawn at
    :data:`FILE_TITLE_SIZE` (measured: its glyphs' outline, no renderer needed)."""
    import textwrap

    from matplotlib.textpath import TextPath

    room = width * 72.0 - 24.0  # points, a third of an inch to spare
    drawn = TextPath((0, 0), title, size=FILE_TITLE_SIZE).get_extents().width
    if drawn <= room:
        return title
    chars = max(20, int(len(title) * room / drawn))
    return textwrap.fill(title, chars, break_long_words=False, break_on_hyphens=False)


def _lowered(box: Any, scale: float) -> list[float]:
    """A box in figure fractions, where it sits once the figure grows by a strip at the top."""
    return [box.x0, box.y0 * scale, box.width, box.height * scale]
