"""Where a ladder's rungs keep their work folders, and who trained a rung.

A rung trains in ``<workdir>/<run_id>/`` (checkpoint, progress, result). The default
``workdir`` is ``<store>.wd`` beside the run store, so the same command run from another
directory finds the checkpoints a killed run left. The store records the ``workdir`` each
rung ran in: a rerun without ``--workdir`` resumes a rung from there, and ``ladder status``
reads its progress there. Before that it was ``.scalinglab/runs`` in
the current directory: a rung to train whose folder is only there is still resumed or
recorded from it, with a note. A worker that trains a rung (rather than finding it trained)
writes which driver started it, so a second driver on the same store can say it only
recorded the rung. The driver holds a lock in the folder of each rung it submitted while it
runs, so ``ladder status`` can tell a Ray task or SLURM job still queued (no worker lock
yet, but its driver alive) from one whose driver was killed.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError

# what a folder says of its rung, which the store reads too, lives below both (re-exported)
from scalinglab._rung_folders import (
    DRIVER_LOCK,
    LEGACY_WORKDIR,
    LOCK,
    default_workdir,
    driver_alive,
    has_saved,
    legacy_folder,
    remembered_workdir,
    worker_alive,
)

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec, RungConfig, RungResult

__all__ = [
    "DRIVER_LOCK",
    "LEGACY_WORKDIR",
    "LOCK",
    "TRAINER",
    "check_corpora",
    "check_writable",
    "corpus_hash",
    "default_workdir",
    "done_result",
    "driver_alive",
    "hold_driver_lock",
    "legacy_folder",
    "old_folders",
    "remembered_workdir",
    "trained_elsewhere",
    "worker_alive",
]

#: Written in a rung's folder by the worker that trains it: the driver that started it.
TRAINER = "trainer.json"


def done_result(folder: Path, rung: RungConfig) -> RungResult | None:
    """The rung's result in ``folder`` if it was trained on the corpus as it is now, else
    ``None`` (none there, or the corpus changed under its path: the rung trains afresh, as
    :func:`~scalinglab.ladder.train_rung` decides)."""
    from scalinglab.execute._backend import read_result

    done = read_result(folder, rung.run_id)
    return done if done is not None and done.corpus_hash == corpus_hash(rung) else None


def old_folders(
    rungs: Sequence[RungConfig],
    workdir: Path,
    note: Callable[[str], None],
    remembered: Mapping[str, Path] | None = None,
) -> dict[str, Path]:
    """The folders elsewhere than ``workdir`` of ``rungs`` (those to train, by run id) that
    hold a checkpoint or result their folder in ``workdir`` does not: in the ``workdir``
    the store remembers for the rung (``remembered``), else in :data:`LEGACY_WORKDIR`; each
    said in a ``note``: recorded from it when it holds the rung's result, else resuming."""
    folders = {}
    for rung in rungs:
        here = workdir / rung.run_id
        last = (remembered or {}).get(rung.run_id)
        there = None if last is None else last / rung.run_id
        moved = there is not None and there.resolve() != here.resolve()
        if there is not None and moved and has_saved(there) and not has_saved(here):
            folders[rung.run_id] = there
            whole = done_result(there, rung) is not None
            note(
                f"{rung.name}: {'recorded' if whole else 'resuming'} from {there}, in "
                f"the --workdir it last ran with ({last}); new rungs' folders go in "
                f"{workdir} (--workdir to choose)"
            )
            continue
        old = legacy_folder(rung.run_id, here)
        if old is not None:
            folders[rung.run_id] = old
            whole = done_result(old, rung) is not None
            note(
                f"{rung.name}: {'recorded' if whole else 'resuming'} from {old}, the old "
                f"default work folder (new rungs' folders go in {workdir}; --workdir to choose)"
            )
    return folders


def write_trainer(workdir: Path, driver: str | None) -> None:
    """Record that the worker in this process trains the rung, started by ``driver`` (the
    driver's pid, from the local backend; ``None``: unknown, and a trainer file an earlier
    training left is removed, so it does not name that driver for this training)."""
    if driver is None:
        (workdir / TRAINER).unlink(missing_ok=True)
    else:
        (workdir / TRAINER).write_text(json.dumps({"driver": driver}) + "\n")


def trained_elsewhere(workdir: Path) -> bool:
    """Whether the rung in ``workdir`` was trained by a worker another driver started."""
    try:
        driver = json.loads((workdir / TRAINER).read_text()).get("driver")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(driver, str) and driver != str(os.getpid())


def check_writable(
    store: Path, workdir: Path, todo: Sequence[RungConfig], folders: Mapping[str, Path]
) -> None:
    """Refuse, before any of ``todo`` trains, a store or a parent of work folders that
    cannot be written (``--store /proc/x.duckdb``); ``workdir`` is created where a rung of
    ``todo`` trains in it (not one in ``folders``, elsewhere); nothing to train: no check.

    Raises:
        StoreError: The store's folder cannot be written.
        ConfigError: ``workdir`` cannot be created.
    """
    from scalinglab.store._atomic import check_lock

    if not todo:
        return
    new = not store.exists()
    lock = check_lock(store)  # first: the default work folder is beside the store
    try:
        if any(rung.run_id not in folders for rung in todo):
            workdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        if new:  # no write follows: leave no lock of a store that is not there
            lock.unlink(missing_ok=True)
        raise ConfigError(
            f"{workdir}: cannot create the ladder's work folder ({err.strerror})",
            hint="give --workdir a folder you can write to (workdir= in Python)",
        ) from err


def hold_driver_lock(folder: Path) -> int:
    """Take the driver's shared lock in the rung's ``folder`` (created if needed); the
    caller closes the returned descriptor when it no longer waits on the rung."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / DRIVER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)  # shared: two drivers may wait on one rung
    return fd


def corpus_hash(rung: RungConfig) -> str:
    """The content hash of the rung's corpus now (prepared once, then cached)."""
    from scalinglab.ladder._corpus import load_corpus

    return load_corpus(rung.corpus).hash


def check_corpora(ladder: LadderSpec, *, prepare: bool = False) -> None:
    """Fail before any training (``ladder run``) or estimate (``ladder plan``) when a rung's
    corpus does not exist or is too small for one window of its context: the check a worker
    would otherwise make only after starting, leaving a ``failed`` run.

    ``"stdlib"`` is the running Python's standard library, never that small.

    Args:
        ladder: The ladder whose rungs' corpora to check.
        prepare: Prepare each named file, folder or glob (cached, as a worker would) and
            check its exact token counts: only where the rungs train on this machine, which
            prepares it anyway. Otherwise (a plan, a submission from a cluster's login node)
            nothing is read or written: sizes bound the tokens from above.

    Raises:
        ConfigError: Naming the rung, the corpus and what to do.
    """
    from scalinglab.ladder import load_corpus
    from scalinglab.ladder._corpus import corpus_size_bound

    longest: dict[str, tuple[int, str]] = {}  # corpus -> (longest context, its rung)
    for rung in ladder.rungs:
        spec = rung.corpus
        if spec == "stdlib":
            continue
        if not any(c in spec for c in "*?[") and not Path(spec).expanduser().exists():
            raise _missing_corpus(ladder, rung.name, spec)
        if rung.model.context > longest.get(spec, (0, ""))[0]:
            longest[spec] = (rung.model.context, rung.name)
    for spec, (context, name) in longest.items():
        try:
            if prepare:
                corpus = load_corpus(spec)
                train, held = corpus.train_size, corpus.eval_size
            else:
                train, held = corpus_size_bound(spec)
        except ConfigError as err:
            raise ConfigError(f"rung {name!r}: {err.message}", hint=err.hint) from None
        # the worker's checks: a training window of context + 1 tokens (and one step beyond),
        # one held-out window
        if train < context + 2 or held < context + 1:
            most = "" if prepare else "at most "
            raise ConfigError(
                f"rung {name!r}: corpus {spec!r} is too small for one window of "
                f"{context + 1} tokens (context {context}): {most}{train} training and "
                f"{most}{held} held-out tokens",
                hint="use a larger corpus (every 100th document, or a single file's last 1%, "
                "is held out) or a shorter context",
            )


def _missing_corpus(ladder: LadderSpec, rung: str, spec: str) -> ConfigError:
    """The error for a corpus that is not there: where a ladder file names it (its ladder-wide
    ``corpus`` key), that file and the key as written there, the path it was read as beside
    it; else the rung. A file of a close name in its folder is named in the hint."""
    from scalinglab._errors import meant
    from scalinglab._paths import close_file
    from scalinglab.ladder._toml_value import toml_value

    hint = 'point corpus at a text file, a folder of text files, a glob, or "stdlib"'
    written = _written_corpus(ladder) if all(r.corpus == spec for r in ladder.rungs) else None
    near = close_file(spec)
    if near is not None:
        shown = str(Path(written).parent / near.name) if written is not None else str(near)
        hint = f"{meant(shown, hint=True)} {hint}"
    if written is None:
        return ConfigError(f"rung {rung!r}: corpus {spec!r} does not exist", hint=hint)
    read_as = "" if written == spec else f" (read relative to the file: {spec})"
    return ConfigError(
        f"{ladder.source}: corpus = {toml_value(written)} does not exist{read_as}", hint=hint
    )


def _written_corpus(ladder: LadderSpec) -> str | None:
    """The ``corpus`` a ladder's TOML file writes, as written; ``None`` where the ladder is
    no TOML file's (a recipe, one built in Python) or the file no longer says one."""
    import tomllib

    if not ladder.source.endswith(".toml"):
        return None
    try:
        written = tomllib.loads(Path(ladder.source).read_text(encoding="utf-8")).get("corpus")
    except (OSError, ValueError):
        return None
    return written if isinstance(written, str) else None
