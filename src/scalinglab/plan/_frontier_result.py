"""What :func:`~scalinglab.plan.frontier` gives: :class:`Frontier`, the allocations of
several budgets as one result, a sequence of :class:`~scalinglab.plan.Allocation` (indexed,
iterated, ``len``, ``list(...)``) with a short repr, the JSON ``scalinglab plan --json``
prints for those budgets, and the table ``scalinglab fit`` prints as a notebook's HTML."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

from scalinglab._cells import flops
from scalinglab._format import format_counted
from scalinglab._json import json_ready
from scalinglab.plan._result import Allocation

__all__ = ["Frontier"]


@dataclass(frozen=True)
class Frontier(Sequence[Allocation]):
    """The compute-optimal allocation at each of several budgets, in the order given.

    A sequence of :class:`Allocation`: ``f[0]``, ``len(f)``, ``for a in f`` and ``list(f)``
    read it as the list :func:`frontier` gave before; a slice is a list, and a frontier
    equals a list of the same allocations (``f == f[:]``, ``f == list(f)``), as that list
    did; another frontier it equals by its allocations, budgets and law.

    Attributes:
        allocations: One allocation per budget.
        budgets: The budgets asked (FLOPs), as ``plan --compute`` takes them.
        law: The law planned from (the fit's ``law_spec``; a preset's law name).
        source: The fit or preset planned from (not compared, not in the repr).
    """

    allocations: tuple[Allocation, ...]
    budgets: tuple[float, ...]
    law: str
    source: Any = field(default=None, repr=False, compare=False)

    @overload
    def __getitem__(self, index: int) -> Allocation: ...
    @overload
    def __getitem__(self, index: slice) -> list[Allocation]: ...
    def __getitem__(self, index: int | slice) -> Allocation | list[Allocation]:
        if isinstance(index, slice):
            return list(self.allocations[index])
        return self.allocations[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):  # the list frontier() gave before, or a slice of one
            return list(self.allocations) == other
        if not isinstance(other, Frontier):
            return NotImplemented
        return (self.allocations, self.budgets, self.law) == (
            other.allocations,
            other.budgets,
            other.law,
        )

    def __len__(self) -> int:
        return len(self.allocations)

    def __iter__(self) -> Iterator[Allocation]:
        return iter(self.allocations)

    def __repr__(self) -> str:  # one line: the law, the budgets' ends and how many
        ends = flops(self.budgets[0]) + (
            f"..{flops(self.budgets[-1])}" if len(self.budgets) > 1 else ""
        )
        head = f"Frontier(law={self.law!r}, budgets={ends} FLOPs, "
        return f"{head}{format_counted(len(self), 'allocation')})"

    def _repr_html_(self) -> str:
        """The frontier as a notebook shows it: the plan table ``scalinglab fit`` prints, one
        row per budget (the same rows, :func:`scalinglab.plan._text.frontier_text`), then
        the method, warnings and notes, every word escaped. Where the title says there are no
        intervals, a line says why, as ``plan`` prints it under its table (``fit`` prints
        it above its plan: ``no intervals (see above)``)."""
        from scalinglab._plan_caveats import plan_caveats
        from scalinglab.plan._html_view import render_frontier_html

        why = [] if self.source is None else plan_caveats(self.source, self.allocations)[1]
        return render_frontier_html(self.allocations, why=why)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The frontier as ``scalinglab plan --compute C1,C2,... --json`` prints it:
        ``format``, ``source``, ``plans`` (each ``{"query": {"flops": C}, "allocation":
        ...}``; one budget's ``query`` and ``allocation`` at the top, as ``plan`` writes one),
        ``warnings`` and ``notes``. As there, the fit's own warnings are said once in
        ``warnings``, not in each allocation's. The ``source`` block's ``origin`` is the
        saved fit's path (``plan`` writes its option, ``--fit fit.json``), ``None`` for a fit
        in memory.

        Returns:
            The dictionary, ready for ``json.dumps`` (a non-finite number as a string).
        """
        from scalinglab._plan_caveats import PLAN_FORMAT, own_notes, plan_caveats
        from scalinglab._sources import source_dict
        from scalinglab.fit import FitResult
        from scalinglab.laws import Preset

        source = self.source
        theirs = set(getattr(source, "warnings", ()))
        shown = [
            replace(
                a,
                notes=tuple(own_notes(source, a.notes)),
                warnings=tuple(w for w in a.warnings if w not in theirs),
            )
            for a in self.allocations
        ]
        plans = [
            {"query": {"flops": c}, "allocation": a.to_dict()}
            for c, a in zip(self.budgets, shown, strict=True)
        ]
        if isinstance(source, FitResult | Preset):
            block = source_dict(source, source.path if isinstance(source, FitResult) else "")
        else:  # another object planning reads (FitLike): its law alone is known
            block = {"kind": "fit", "origin": None, "law": self.law, "data": None}
        data: dict[str, Any] = {"format": PLAN_FORMAT, "source": block}
        data |= plans[0] if len(plans) == 1 else {"plans": plans}
        warnings, notes = plan_caveats(source, shown)
        return data | {"warnings": warnings, "notes": notes}


def frontier_of(source: Any, budgets: Sequence[float], allocations: list[Allocation]) -> Frontier:
    """The :class:`Frontier` of ``allocations`` planned from ``source`` at ``budgets``."""
    from scalinglab.laws import Preset

    law = source.law.name if isinstance(source, Preset) else getattr(source, "law_spec", None)
    if law is None:  # another FitLike: its law's name
        law = getattr(source.law, "name", type(source.law).__name__)
    return Frontier(tuple(allocations), tuple(float(c) for c in budgets), str(law), source)
