"""A report page with what it shows: the command that wrote it prints the page's warnings
and lists its figure files and results from this, not from the folder or the fit alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalinglab.report._html_parts import Section

__all__ = ["RenderedReport"]


@dataclass(frozen=True)
class RenderedReport:
    """A report page and what it shows.

    Attributes:
        html: The page.
        sections: Its sections, in the page's order.
        figures: The figure files this page wrote (``figures=``), in the order drawn: not
            whatever else the folder holds.
        path: The file the page was written to, or ``None`` where it was not written.
    """

    html: str
    sections: tuple[Section, ...]
    figures: tuple[Path, ...] = ()
    path: Path | None = None

    @property
    def warnings(self) -> list[str]:
        """Every warning the page shows, once each, in the page's order."""
        return list(dict.fromkeys(w for s in self.sections for w in s.warnings))

    def shown(self, key: str) -> Any:
        """What the section ``key`` shows (:attr:`Section.shown`), or ``None`` where the page
        has no such section (``--no-validate``, a backtest that could not run)."""
        return next((s.shown for s in self.sections if s.key == key), None)
