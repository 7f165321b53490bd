"""What Ctrl-C stopped, said in one line: the command, the stage it was in, and what became
of each file it writes.

::

    error: interrupted: scalinglab fit stopped in bootstrap: resamples × starts (1313/2000);
    --out fit.json not written

While a command runs, :func:`watching` keeps a :class:`Ledger`: the progress bars
(:class:`~scalinglab.cli._render.FitProgress`, drawn or not) tell it each stage
(:func:`heard`), and every output path checked before the work
(:func:`~scalinglab.cli._output_paths.check_output`) is noted with the file's identity then
(:func:`watch`), which also tells the line that says a file was written whether it replaced
one (:func:`existed`). At Ctrl-C each output is compared with what it was: every file is written
whole or not at all (:func:`scalinglab._atomic.atomic_write`, a store's copy and rename), so
one that changed was written, and one that did not is as it was, a store with every run it
held. ``ladder run`` says more (the rung stopped, its checkpoint): its own
:class:`~scalinglab.InterruptError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Ledger", "existed", "heard", "interrupted_message", "watch", "watching"]

#: A file's identity: a write renames a new file over it, so any write changes it.
Identity = tuple[int, int, int, int] | None


@dataclass(frozen=True)
class _Output:
    option: str
    path: Path
    store: bool
    before: Identity


@dataclass
class Ledger:
    """What the running command has said of its work: its last stage, its outputs."""

    stage: tuple[str, int, int] | None = None
    outputs: list[_Output] = field(default_factory=list)


_LEDGER: ContextVar[Ledger | None] = ContextVar("scalinglab_interrupt_ledger", default=None)


@contextmanager
def watching() -> Iterator[Ledger]:
    """Keep a fresh :class:`Ledger` for the command run inside the block."""
    ledger = Ledger()
    token = _LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _LEDGER.reset(token)


def heard(stage: str, done: int, total: int) -> None:
    """A progress report: the stage the command is in, and how far."""
    ledger = _LEDGER.get()
    if ledger is not None:
        ledger.stage = (stage, done, total)


def watch(path: Path, *, option: str, store: bool = False) -> None:
    """An output the command will write (``--out``; a run store, ``store``)."""
    ledger = _LEDGER.get()
    if ledger is not None and all(o.path != path for o in ledger.outputs):
        ledger.outputs.append(_Output(option, path, store, _identity(path)))


def existed(path: Path) -> bool | None:
    """Whether the output ``path`` was there when :func:`watch` noted it, before the command's
    work (so a write that follows replaced it); ``None`` where it was not noted (no command
    running: a library call)."""
    ledger = _LEDGER.get()
    for out in ledger.outputs if ledger is not None else ():
        if out.path == path:
            return out.before is not None
    return None


def interrupted_message(ledger: Ledger, command: str) -> str:
    """``interrupted: <command> stopped in <stage> (done/total); <each output> <what became
    of it>`` (``nothing written`` where the command writes no file)."""
    from scalinglab.cli._render import stage_label

    said = f"interrupted: {command} stopped"
    if ledger.stage is not None:
        stage, done, total = ledger.stage
        said += f" in {stage_label(stage)} ({done}/{total})"
    said_of = [f"{out.option} {out.path} {_became(out)}" for out in ledger.outputs]
    return f"{said}; " + (", ".join(said_of) or "nothing written")


def _became(out: _Output) -> str:
    """What became of ``out``: a changed file was written whole (a write renames a complete
    file over the old one), an unchanged one is as it was."""
    now = _identity(out.path)
    if now != out.before:
        return "written"
    if out.store:
        return "not created" if now is None else "unchanged (every run it held is kept)"
    return "not written" if now is None else "left as it was"


def _identity(path: Path) -> Identity:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size
