"""What a notebook shows of a hyperparameter fit (:class:`~scalinglab.hparams.HparamFit`'s
``_repr_html_``): what ``scalinglab hparams fit`` prints, from the same rows
(:mod:`scalinglab.hparams._rows`), as escaped HTML (:mod:`scalinglab._html_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab._no_intervals import asked, no_intervals_line
from scalinglab.data._noted_runs import note_lines
from scalinglab.hparams._rows import cells_table, choice_table, fitted_by, laws_table

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["hparams_html"]


def hparams_html(hp: HparamFit) -> str:
    """The sweep, the located cells, the laws across them and how they were fitted, the
    law choice, then the notes and warnings."""
    parts = [html_lines([f"sweep: {hp.source}"]), html_table(cells_table(hp))]
    parts += [html_table(laws_table(hp)), html_lines([fitted_by(hp.settings)])]
    if not hp.has_intervals:  # as `scalinglab fit --bootstrap 0` says it
        said = no_intervals_line(requested=asked(hp.settings), ask=HPARAMS_BOOTSTRAP)
        parts.append(html_lines([said]))
    if hp.law_choice is not None:
        if table := choice_table(hp.law_choice):
            parts.append(html_table(table))
        parts.append(html_lines([f"law choice: {hp.law_choice.verdict}"]))
    # the notes as `hparams fit` prints them: past ten runs that look diverged, one line
    lines = [*note_lines(hp.notes), *(f"warning: {w}" for w in hp.warnings)]
    parts.append(html_lines(lines))
    return html_block("hparams-fit", f"hyperparameter fit: {len(hp.cells)} cells", parts)
