"""What a fit's ``load`` says of a file it cannot read, where the file came from: on the
command line the option that gave it (``--fit``) and the commands that write such a fit or fit
the runs given instead; in Python the method it was given to (``FitResult.load``) and the
calls (``FitResult.save``, ``scalinglab.fit(law, 'runs.csv')``): a Python session has no
``--fit`` to look for, and a command is not what it runs next.

The validation results say so through :func:`scalinglab._saved.load_saved` (``Backtest.load``
reads ...); the fits (:class:`~scalinglab.FitResult`, :class:`~scalinglab.CurveFit`,
:class:`~scalinglab.HparamFit`, :class:`~scalinglab.DownstreamFit`,
:class:`~scalinglab.LossToLossFit`), which commands read by ``--fit`` as well, through this."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypedDict

__all__ = ["FitWords", "LoadWords", "TableWords", "quoted", "reader_words"]


class TableWords(Protocol):
    """How a table given instead is fitted, said of the file (``source``) in Python's words
    (``python``) or the command line's: the hint's end (``"; to fit its loss curves: ..."``)."""

    def __call__(self, source: str, *, python: bool) -> str: ...


class LoadWords(TypedDict):
    """The keywords of :func:`scalinglab._formats.read_result` :func:`reader_words` gives."""

    option: str
    reads: str
    write: str
    fit_with: Callable[[str], str] | None
    fit_store: Callable[[str], str] | None


@dataclass(frozen=True, kw_only=True)
class FitWords:
    """How one kind of fit is written, and made from the runs given instead of it, in each
    place: ``command`` and ``*_command`` on the command line, ``cls`` and ``*_call`` in
    Python. In the templates ``{}`` stands for the file given, quoted for a shell there and
    as a Python string here.

    Attributes:
        cls: The fit's class, whose ``load`` and ``save`` Python calls (``"FitResult"``).
        command: The command that writes such a fit (``"scalinglab fit ... --out fit.json"``).
        runs_command: The command that fits a run table given instead
            (``"scalinglab fit {} --out fit.json"``); ``None`` with ``table``.
        runs_call: The Python call that does (``"scalinglab.fit(law, {})"``).
        store_command: The command that fits a run store's runs (``"scalinglab fit --store
            {} --out fit.json"``); ``None`` where it reads no store.
        store_call: The Python call that does; ``None`` with ``store_command``.
        table: Says how a table given instead is fitted where that depends on the table
            (curves: its loss curves, or its runs where it holds none), in place of
            ``runs_command`` and ``runs_call``.
        what: What ``load`` reads, with its article (``"a chain"``).
    """

    cls: str
    command: str
    runs_command: str | None = None
    runs_call: str | None = None
    store_command: str | None = None
    store_call: str | None = None
    table: TableWords | None = None
    what: str = "a fit"


def reader_words(option: str | None, words: FitWords) -> LoadWords:
    """The keywords of :func:`scalinglab._formats.read_result` that say what to do with a
    file ``load`` cannot read, in the words of where it was given.

    Args:
        option: The command-line option that gave the file (``"--fit"``), or ``None`` where
            it was given in Python, to ``{cls}.load``.
        words: The fit's commands and calls.

    Returns:
        ``option`` and ``reads`` (the hint ``"`{option}` reads {reads}"``), ``write`` (the
        hint of a missing file), ``fit_with`` and ``fit_store`` (a run table's and a run
        store's hint end, given the file): on the command line the option and the commands;
        in Python ``{cls}.load``, the calls, and the command beside ``{cls}.save`` (a file
        written by either is read).
    """
    python = option is None
    given = f"{words.cls}.load" if option is None else option
    if python:
        reads = f"{words.what} written by `{words.cls}.save` or `{words.command}`"
        write = f"write one with `{words.cls}.save(path)` in Python or `{words.command}`"
        runs, store = words.runs_call, words.store_call
    else:
        reads = f"{words.what} written by `{words.command}`"
        write = f"write one with `{words.command}`"
        runs, store = words.runs_command, words.store_command
    table = words.table
    fit_with = (
        (lambda source: table(source, python=python))
        if table is not None
        else _fitted("to fit these runs", runs, python=python)
    )
    fit_store = _fitted("to fit its runs", store, python=python)
    return LoadWords(option=given, reads=reads, write=write, fit_with=fit_with, fit_store=fit_store)


def quoted(source: str, *, python: bool) -> str:
    """``source`` as one word of what to copy: a Python string literal, or a shell word
    (``'my runs/r.csv'``)."""
    return repr(source) if python else shlex.quote(source)


def _fitted(said: str, template: str | None, *, python: bool) -> Callable[[str], str] | None:
    """The hint's end that says ``said`` and the call or command of ``template`` for a file
    (``None`` without one: the hint says what reads the file alone)."""
    if template is None:
        return None
    return lambda source: f"; {said}: `{template.format(quoted(source, python=python))}`"
