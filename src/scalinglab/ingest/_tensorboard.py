"""TensorBoard event files: every scalar point, read with the ``tensorboard`` package.

Each folder holding event files is one run (Keras's ``train/`` and ``validation/`` folders
are one run's: :func:`_merge_keras_splits`), named by its path below the folder ingested and
known by its first event file (:func:`_key`), so that ingesting the folder above it or below
it finds the same run. Hyperparameters come from the hparams plugin's session record and from
an ``hparams.yaml``/``hparams.json``/``config.json`` beside the event files (PyTorch
Lightning). The files themselves are read by :mod:`scalinglab.ingest._tb_events`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import DataError, first_line
from scalinglab._format import format_counted, join_more
from scalinglab.data._json import load_json
from scalinglab.ingest._detect import event_files
from scalinglab.ingest._source import (
    RUN,
    STEP,
    Progress,
    Source,
    TrackerRun,
    flatten,
    history_frame,
)
from scalinglab.ingest._tb_events import Points, read_event_file
from scalinglab.ingest._tb_names import run_name, where_read

__all__ = ["read_tensorboard"]

_CONFIG_FILES = ("hparams.yaml", "hparams.json", "config.json", "config.yaml")


def _side_config(folder: Path) -> dict[str, Any]:
    for name in _CONFIG_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            if path.suffix == ".json":
                data = load_json(path.read_text(encoding="utf-8"), str(path))
            else:
                import yaml

                data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except ImportError:
            continue  # no YAML reader: the event files still have the metrics
        except DataError:
            raise
        except Exception as err:
            raise DataError(
                f"cannot read the run's config: {first_line(err)}", source=str(path)
            ) from None
        if isinstance(data, dict):
            return flatten(data)
    return {}


def _run_frame(
    points: dict[str, tuple[list[int], list[float]]], index: int
) -> tuple[pd.DataFrame, int, frozenset[str]]:
    """Per-tag points merged on step; a step logged twice keeps its last value (a restart).
    Also the tags whose last point is a NaN (merged, it reads as a step not logged)."""
    series = []
    repeated = 0
    ends_nan: set[str] = set()
    for tag, (steps, values) in sorted(points.items()):
        s = pd.Series(np.asarray(values, dtype=np.float64), index=np.asarray(steps, dtype=np.int64))
        s = s.iloc[np.argsort(s.index.to_numpy(), kind="stable")]
        dup = s.index.duplicated(keep="last")
        repeated += int(dup.sum())
        series.append(s[~dup].rename(tag))
        if len(series[-1]) and np.isnan(series[-1].iloc[-1]):
            ends_nan.add(tag)
    if not series:
        return pd.DataFrame(), 0, frozenset()
    frame = series[0].to_frame() if len(series) == 1 else pd.concat(series, axis=1, sort=True)
    frame.index.name = STEP
    frame = frame.reset_index()
    frame.insert(0, RUN, index)
    return frame, repeated, frozenset(ends_nan)


@dataclass
class _Folder:
    """What one folder of event files held (mutable while records are merged)."""

    points: Points
    config: dict[str, Any]
    has_hparams: bool
    files: dict[str, str]  # event file name -> hash of its first record
    summary: dict[str, float] = field(default_factory=dict)
    written: float = 0.0  # when its newest event file was last written (a run still training)


def _key(found: _Folder) -> str:
    """What identifies a run wherever its folder is read from: its first event file's name
    (written with the time, host and process that opened it) and a hash of that file's first
    record (the time to the microsecond); neither changes as the run logs more points."""
    first = min(found.files, key=_in_order)
    return f"{first}::{found.files[first]}"


def _in_order(name: str) -> list[Any]:
    """An event file's name as its numbers order it: the writer's counter ends the name
    (``...<time>.<host>.<pid>.10`` opened after ``....9``), which text order puts first."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _legacy_keys(found: _Folder, folder: Path, rel: str) -> tuple[str, ...]:
    """The keys versions before :func:`_key` gave this run: ``<rel>::<first file>``, its
    path below whichever folder was ingested then; every tail of its path is tried, the
    path below the folder ingested now first. None for a run folded from Keras's split
    folders, which those versions read as two runs. Last, :func:`_key` as it was when it
    took the first file in text order (where that file is another)."""
    first = min(found.files)  # as those versions chose it: in text order
    texts = (f"{first}::{found.files[first]}",) if f"{first}::" not in _key(found) else ()
    if not (folder / first).is_file():
        return texts
    parts = folder.resolve().parts[1:]  # no anchor: '/' never led a path below a folder
    tails = ["/".join(parts[k:]) for k in range(len(parts) - 1, -1, -1)]
    return (*(f"{tail}::{first}" for tail in dict.fromkeys([rel, *tails])), *texts)


#: The folders ``tf.keras.callbacks.TensorBoard`` writes a run's two splits to, and the
#: prefixes of the tags it writes there.
_KERAS_SPLITS = ("train", "validation")
_KERAS_TAGS = ("epoch_", "batch_", "evaluation_")


def _merge_keras_splits(
    read: dict[Path, _Folder], root: Path
) -> tuple[dict[Path, _Folder], list[str]]:
    """Fold Keras's ``<run>/train/`` and ``<run>/validation/`` logs into one run, ``<run>``.

    ``tf.keras.callbacks.TensorBoard`` writes each split of one training run to its own
    folder, with the same tags (``epoch_loss``): read as they lie, they are two runs without
    the config beside them (``<run>/hparams.json``). Merged, each tag is named by its split
    (``validation/epoch_loss``, the run's loss; ``train/epoch_loss``, its training loss).
    A folder is a split only by both its name and Keras's tag names.
    """
    merged: list[str] = []
    for folder in [f for f in read if f.name in _KERAS_SPLITS and f != root]:
        split = read[folder]
        if not split.points or not all(t.startswith(_KERAS_TAGS) for t in split.points):
            continue
        run = read.get(folder.parent)
        if run is None:
            run = read[folder.parent] = _Folder(
                defaultdict(lambda: ([], [])), _side_config(folder.parent), False, {}
            )
            merged.append(where_read(folder.parent, root))
        run.points.update({f"{folder.name}/{tag}": v for tag, v in split.points.items()})
        run.config.update(split.config)
        run.has_hparams = run.has_hparams or split.has_hparams
        run.files.update(split.files)
        run.written = max(run.written, split.written)
        del read[folder]
    if not merged:
        return read, []
    shown = join_more(merged, 3)
    note = (
        f"{format_counted(len(merged), 'Keras run')} ({shown}): the train/ and validation/ folders "
        "tf.keras.callbacks.TensorBoard writes read as one run each, tags named by their split "
        "(validation/epoch_loss, train/epoch_loss)"
    )
    return dict(sorted(read.items())), [note]


def _merge_hparams_records(read: dict[Path, _Folder], root: Path) -> list[str]:
    """Fold PyTorch's ``add_hparams`` records into their runs, in place.

    ``SummaryWriter.add_hparams`` writes the hyperparameters, and the final metrics given with
    them, into a new sub-folder of the run's folder: the run's config and reported final
    values, not another run.
    """
    merged = []
    for folder in list(read):
        record, parent = read[folder], read.get(folder.parent)
        if record.has_hparams and folder != root and parent is not None:
            parent.config.update(record.config)
            parent.summary.update({t: v[-1] for t, (_, v) in record.points.items() if v})
            parent.written = max(parent.written, record.written)
            del read[folder]
            merged.append(where_read(folder, root))
    if not merged:
        return []
    # one line however many runs: a sweep of 100 runs has 100 records
    shown = join_more(merged, 3)
    return [
        f"{format_counted(len(merged), 'add_hparams record')} ({shown}) merged into "
        f"{'its run' if len(merged) == 1 else 'their runs'}: the "
        "sub-folder PyTorch's SummaryWriter.add_hparams writes read as its run's config and "
        "final metrics, not another run"
    ]


def read_tensorboard(path: Path, *, progress: Progress | None = None) -> Source:
    """Read every scalar of every event file under ``path``; one run per folder.

    Raises:
        ConfigError: If the tensorboard package is not installed.
        DataError: For a truncated, corrupt or unreadable event file (naming it), or a folder
            without scalars.
    """
    files = event_files(path)
    if not files:
        raise DataError("no TensorBoard event files (events.out.tfevents.*)", source=str(path))
    folders: dict[Path, list[Path]] = defaultdict(list)
    for f in files:
        folders[f.parent].append(f)
    root = path if path.is_dir() else path.parent
    read: dict[Path, _Folder] = {}
    done = 0
    for folder, group in sorted(folders.items()):
        points: Points = defaultdict(lambda: ([], []))
        hparams: dict[str, Any] = {}
        ids = {}
        for f in group:
            ids[f.name] = read_event_file(f, points, hparams)
            done += 1
            if progress is not None:
                progress(done, len(files))
        config = {**_side_config(folder), **hparams}
        newest = max(f.stat().st_mtime for f in group)
        read[folder] = _Folder(points, config, bool(hparams), ids, written=newest)
    read, notes = _merge_keras_splits(read, root)
    notes += _merge_hparams_records(read, root)
    runs: list[TrackerRun] = []
    parts: list[pd.DataFrame] = []
    skipped: list[tuple[str, str]] = []
    first_read: dict[str, str] = {}  # run key -> the folder it was read from
    for folder, found in read.items():
        points = found.points
        rel = where_read(folder, root)
        if not points:
            skipped.append((rel, "no scalars in its event files"))
            continue
        key = _key(found)
        if key in first_read:  # a copy of a run's folder beside it: the run once
            skipped.append((rel, f"a copy of {first_read[key]} (the same first event file)"))
            continue
        first_read[key] = rel
        frame, repeated, ends_nan = _run_frame(points, len(runs))
        if repeated:
            notes.append(
                f"{rel}: {format_counted(repeated, 'point')} logged twice at one step kept "
                f"{'its' if repeated == 1 else 'their'} last value"
            )
        runs.append(
            TrackerRun(
                key=key,
                legacy_keys=_legacy_keys(found, folder, rel),
                source_run_id=rel,
                name=run_name(folder, root),  # Lightning's version_0: its experiment's name
                config=found.config,
                summary=found.summary,
                location=str(folder),
                ends_nan=ends_nan,
                written=found.written,
            )
        )
        parts.append(frame)
    if not runs:
        raise DataError(
            "the event files hold no scalars", source=str(path),
            hint="log scalars (add_scalar) to the run's SummaryWriter",
        )  # fmt: skip
    return Source(
        "tensorboard", str(path), tuple(runs), history_frame(parts), tuple(notes),
        tuple(skipped), names_by_place=True,
    )  # fmt: skip
