"""How curves are read where a fit takes them as files: :func:`read_lr_curves`'s options
(``schedule``, ``warmup``, ``columns``, ``keep_diverged``, ``where``) as one value, which
:func:`fit_curves`, :func:`backtest_curves` and the ``curves`` commands read with alike
(so ``fit_curves(path, warmup=2160)`` fits what ``curves fit PATH --warmup 2160`` fits),
and refused with curves read already: their reading is done.

::

    reading = Reading(warmup=2160, where=(("dataset", "c4"),))
    curves, notes, left_out, source = reading.read("lr-schedules/25M")
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab.curves._curve import Curve
from scalinglab.curves._data import read_noted, source_items, warn_notes
from scalinglab.curves._logged import recorded
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._where import Selection
from scalinglab.data._readers import is_frame
from scalinglab.data._where_rows import as_where

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Given", "Reading", "given_curves"]


@dataclass(frozen=True, kw_only=True)
class Reading:
    """The options curve files are read with, named as :func:`read_lr_curves` names them.

    Attributes:
        schedule: The schedule of runs that log no lr (``--schedule``).
        warmup: Warm-up steps of every run with an lr column (``--warmup``; ``None``: each
            run's steps before its lr first peaks).
        columns: Which column holds a curve's run, step, lr, loss or params (``--map``).
        keep_diverged: Keep the runs that look diverged (``--keep-diverged``).
        where: ``(column, value)`` pairs: only the runs whose text column has the value
            (``--where``).
    """

    schedule: str | Schedule | None = None
    warmup: int | None = None
    columns: Mapping[str, str] | None = None
    keep_diverged: bool = False
    where: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:  # --where's list of pairs, a mapping: pairs, in order
        object.__setattr__(self, "where", as_where(self.where))

    def given(self) -> list[str]:
        """The options set to other than their defaults, by keyword, in the reader's order
        (``warmup=0`` is set; ``columns={}`` is not: it maps nothing)."""
        set_ = {
            "schedule": self.schedule is not None,
            "warmup": self.warmup is not None,
            "columns": bool(self.columns),
            "keep_diverged": self.keep_diverged,
            "where": bool(self.where),
        }
        return [name for name, on in set_.items() if on]

    def read(
        self, sources: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str]]
    ) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
        """The curves of ``sources``, as :func:`read_noted
        <scalinglab.curves._data.read_noted>` returns them: curves, notes, the runs left
        out with why, and where they came from (how many ``where`` kept of how many)."""
        return read_noted(sources, schedule=self.schedule, warmup=self.warmup,
                          columns=self.columns, keep_diverged=self.keep_diverged,
                          where=self.where)  # fmt: skip

    def read_store(
        self, store: str | os.PathLike[str]
    ) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
        """The curves of a run store, as :meth:`read` returns a file's (a store has no
        columns to map: ``columns`` is the caller's to refuse)."""
        from scalinglab.curves._store_data import read_store_noted

        return read_store_noted(store, schedule=self.schedule, warmup=self.warmup,
                                keep_diverged=self.keep_diverged, where=self.where)  # fmt: skip

    def refuse(self, call: str) -> None:
        """Refuse the options set, for curves read already (:class:`Curve` objects).

        Raises:
            ConfigError: When an option is set, naming each.
        """
        names = self.given()
        if not names:
            return
        said = " and ".join(f"{n}=" for n in names)
        one = len(names) == 1
        raise ConfigError(
            f"{call}: {said} {'applies' if one else 'apply'} when reading; these curves were "
            f"read already: pass {'it' if one else 'them'} to read_lr_curves",
            hint=f"read_lr_curves(path, {', '.join(f'{n}=...' for n in names)}), or give "
            f"{call} the path",
        )


@dataclass(frozen=True)
class Given:
    """Curves as a fit takes them, with what their reading records.

    Attributes:
        curves: The curves.
        left_out: The runs the reader left out, with why.
        source: Where the curves came from (``None``: not recorded).
        where: The text values the curves were kept by (empty: every run; ``None``: not
            recorded, for curves given read already).
        notes: What the reading did that a fit keeps in its notes (rows skipped without a
            finite loss: :func:`~scalinglab.curves._logged.recorded`), not warned.
    """

    curves: tuple[Curve, ...]
    left_out: Mapping[str, str]
    source: str | None
    where: Mapping[str, str] | None
    notes: tuple[str, ...] = ()


def given_curves(
    curves: Sequence[Curve] | str | os.PathLike[str] | pd.DataFrame,
    reading: Reading,
    *,
    call: str,
    left_out: Mapping[str, str] | None,
    source: str | None,
) -> Given:
    """``curves`` read with ``reading`` (what the reader says, warned at the caller, but the
    rows skipped, which the result keeps as a note, as a fit of runs keeps them), or,
    for curves read already, as given (``left_out`` and ``source``: their reading's
    record, as :func:`read_noted <scalinglab.curves._data.read_noted>` returns it).

    Raises:
        ConfigError: A reading option set with curves read already (``call`` names the
            function given them).
    """
    given = list(curves) if isinstance(curves, Sequence) and not isinstance(curves, str) else []
    if given and all(isinstance(c, Curve) for c in given):
        reading.refuse(call)
        return Given(tuple(given), dict(left_out or {}), source, None)
    # paths, or a table of run, step, lr, loss: anything else (5, a RunTable, a list mixing
    # Curve objects in) is refused naming the argument
    if not is_frame(curves):
        source_items(curves, name="curves", call=call)
    items, notes, left, where_from = reading.read(curves)  # type: ignore[arg-type]
    warn_notes([n for n in notes if not recorded(n)])  # the rest: the fit's notes (one channel)
    kept = tuple(n for n in notes if recorded(n))
    return Given(tuple(items), left, where_from.said, dict(reading.where), kept)
