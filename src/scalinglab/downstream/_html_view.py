"""What a notebook shows of a fitted chain (:class:`~scalinglab.downstream.DownstreamFit`'s
``_repr_html_``): what ``downstream fit`` prints, from the same rows
(:mod:`scalinglab.downstream._task_table`), as escaped HTML (:mod:`scalinglab._html_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._format import format_counted
from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.data._noted_runs import note_lines
from scalinglab.downstream._task_table import average_line, chain_head, task_notes, task_table

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["chain_html"]


def chain_html(chain: DownstreamFit) -> str:
    """The models and laws, the chain's notes and warnings, each task's row, the notes the
    table cannot hold and the average over tasks."""
    laws = dict.fromkeys(t.step.law.name for t in chain.tasks.values() if t.step is not None)
    head = chain_head(chain, ", ".join(laws) or "no law")  # the laws the tasks were fitted by
    none = chain_no_intervals(chain)
    return html_block(
        "downstream",
        f"downstream fit: {format_counted(len(chain.tasks), 'task')}",
        [
            html_lines([head]),
            html_lines([none] if none else [], style="dim"),
            html_lines([*chain.notes, *(f"warning: {w}" for w in chain.warnings)]),
            html_table(task_table(chain)),
            html_lines([*note_lines(task_notes(chain)), average_line(chain)]),
        ],
    )
