"""A report page with what it shows: the command that wrote it prints the page's warnings
and lists its figure files and results from this, not from the folder or the fit alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalinglab.report._html_parts import Section

__all__ = ["NOT_RUN", "RenderedReport"]

# how the page says an analysis was skipped, by its section key: ``--json`` gives the reason
NOT_RUN = {"backtest": "backtest not run: ", "isoflop": "isoFLOP analysis not run: "}


@dataclass(frozen=True)
class RenderedReport:
    """A report page and what it shows.

    Attributes:
        html: The page.
        sections: Its sections, in the page's order.
        figures: The figure files this page wrote (``figures=``), in the order drawn: not
            whatever else the folder holds.
        path: The file the page was written to, or ``None`` where it was not written.
        skipped: The page's notes on the analyses it could not run, with why
            (``"isoFLOP analysis not run: ..."``).
    """

    html: str
    sections: tuple[Section, ...]
    figures: tuple[Path, ...] = ()
    path: Path | None = None
    skipped: tuple[str, ...] = ()

    @property
    def warnings(self) -> list[str]:
        """Every warning the page shows, once each, in the page's order."""
        return list(dict.fromkeys(w for s in self.sections for w in s.warnings))

    def shown(self, key: str) -> Any:
        """What the section ``key`` shows (:attr:`Section.shown`), or ``None`` where the page
        has no such section (``--no-validate``, a backtest that could not run)."""
        return next((s.shown for s in self.sections if s.key == key), None)

    def not_run(self, key: str) -> str:
        """Why the page could not run the analysis ``key`` (``"backtest"``, ``"isoflop"``), as
        it says it; ``""`` where it ran or was not asked for."""
        prefix = NOT_RUN[key]
        return next((n.removeprefix(prefix) for n in self.skipped if n.startswith(prefix)), "")
