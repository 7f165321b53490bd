"""TensorBoard event files: every scalar point, read with the ``tensorboard`` package.

Each folder holding event files is one run (named by its path below the folder ingested).
Records are read with TensorBoard's own record reader and ``Event`` protobuf, not its
``EventAccumulator``, which down-samples scalars unless told otherwise and silently stops at a
truncated record: here a truncated or corrupt file is an error naming it. Scalars written as
``simple_value`` (PyTorch, TF1) and as tensors (TF2, ``tensorboard.summary.Writer``) are both
read; hyperparameters come from the hparams plugin's session record and from an
``hparams.yaml``/``hparams.json``/``config.json`` beside the event files (PyTorch Lightning).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._json import load_json
from scalinglab.ingest._detect import event_files
from scalinglab.ingest._source import (
    RUN,
    STEP,
    Progress,
    Source,
    TrackerRun,
    first_line,
    flatten,
    history_frame,
)

__all__ = ["read_tensorboard"]

Points = dict[str, tuple[list[int], list[float]]]  # tag -> (steps, values)
_CONFIG_FILES = ("hparams.yaml", "hparams.json", "config.json", "config.yaml")
_FLOATS = {1: "<f4", 2: "<f8", 19: "<f2"}  # DT_FLOAT, DT_DOUBLE, DT_HALF


def _modules() -> Any:
    try:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow
    except ImportError:
        raise ConfigError(
            "reading TensorBoard event files needs the tensorboard package, which is not installed",
            hint='install the trackers extra: pip install "scalinglab[trackers]"',
        ) from None
    return event_pb2, errors, pywrap_tensorflow


def _tensor_scalar(tensor: Any) -> float | None:
    if tensor.tensor_shape.dim and any(d.size != 1 for d in tensor.tensor_shape.dim):
        return None  # not a scalar (an image, a histogram)
    if tensor.float_val:
        return float(tensor.float_val[0])
    if tensor.double_val:
        return float(tensor.double_val[0])
    dtype = _FLOATS.get(tensor.dtype)
    if dtype is not None and tensor.tensor_content:
        return float(np.frombuffer(tensor.tensor_content, dtype=dtype)[0])
    return None


def _hparams(content: bytes) -> dict[str, Any]:
    try:
        from tensorboard.plugins.hparams import plugin_data_pb2
    except ImportError:  # pragma: no cover - shipped with tensorboard
        return {}
    data = plugin_data_pb2.HParamsPluginData.FromString(content)
    out: dict[str, Any] = {}
    for name, value in data.session_start_info.hparams.items():
        kind = value.WhichOneof("kind")
        if kind is not None:
            out[name] = getattr(value, kind)
    return out


def _read_file(
    path: Path, points: dict[str, tuple[list[int], list[float]]], config: dict[str, Any]
) -> int:
    """Append every scalar of one event file to ``points``; return how many were read."""
    event_pb2, errors, pywrap = _modules()
    try:
        reader = pywrap.PyRecordReader_New(str(path).encode(), 0, b"", None)
    except Exception as err:
        raise DataError(f"cannot open the event file: {first_line(err)}", source=str(path)) from err
    plugin_of: dict[str, str] = {}
    n_records = n_points = 0
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            return n_points
        except errors.DataLossError as err:
            where = "at its start" if n_records == 0 else f"after {n_records} good records"
            raise DataError(
                f"truncated or corrupt event file: {err.message.split(' ', 1)[-1]} ({where})",
                source=str(path),
                hint="the file was cut short or is not an event file (a run killed mid-write, a "
                "partial copy): copy it again, or move it out of the folder",
            ) from None
        except OSError as err:
            raise DataError(f"cannot read the event file: {err}", source=str(path)) from None
        n_records += 1
        try:
            event = event_pb2.Event.FromString(reader.record())
        except Exception as err:  # protobuf's DecodeError
            raise DataError(
                f"record {n_records} is not a TensorBoard event ({err})", source=str(path)
            ) from None
        if not event.HasField("summary"):
            continue
        for value in event.summary.value:
            if value.metadata.plugin_data.plugin_name:
                plugin_of.setdefault(value.tag, value.metadata.plugin_data.plugin_name)
            plugin = plugin_of.get(value.tag, "")
            if plugin == "hparams":
                if value.tag.endswith("session_start_info"):
                    config.update(_hparams(value.metadata.plugin_data.content))
                continue
            field = value.WhichOneof("value")
            if field == "simple_value":
                number: float | None = value.simple_value
            elif field == "tensor" and plugin in ("", "scalars"):
                number = _tensor_scalar(value.tensor)
            else:
                continue
            if number is not None:
                steps, values = points[value.tag]
                steps.append(event.step)
                values.append(number)
                n_points += 1


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
) -> tuple[pd.DataFrame, int]:
    """Per-tag points merged on step; a step logged twice keeps its last value (a restart)."""
    series = []
    repeated = 0
    for tag, (steps, values) in sorted(points.items()):
        s = pd.Series(np.asarray(values, dtype=np.float64), index=np.asarray(steps, dtype=np.int64))
        s = s.iloc[np.argsort(s.index.to_numpy(), kind="stable")]
        dup = s.index.duplicated(keep="last")
        repeated += int(dup.sum())
        series.append(s[~dup].rename(tag))
    if not series:
        return pd.DataFrame(), 0
    frame = series[0].to_frame() if len(series) == 1 else pd.concat(series, axis=1, sort=True)
    frame.index.name = STEP
    frame = frame.reset_index()
    frame.insert(0, RUN, index)
    return frame, repeated


def _name(folder: Path, root: Path) -> str:
    return folder.relative_to(root).as_posix() if folder != root else root.resolve().name


@dataclass
class _Folder:
    """What one folder of event files held (mutable while records are merged)."""

    points: Points
    config: dict[str, Any]
    has_hparams: bool
    summary: dict[str, float] = field(default_factory=dict)


def _merge_hparams_records(read: dict[Path, _Folder], root: Path) -> list[str]:
    """Fold PyTorch's ``add_hparams`` records into their runs, in place.

    ``SummaryWriter.add_hparams`` writes the hyperparameters, and the final metrics given with
    them, into a new sub-folder of the run's folder: the run's config and reported final
    values, not another run.
    """
    notes = []
    for folder in list(read):
        record, parent = read[folder], read.get(folder.parent)
        if record.has_hparams and folder != root and parent is not None:
            parent.config.update(record.config)
            parent.summary.update({t: v[-1] for t, (_, v) in record.points.items() if v})
            del read[folder]
            notes.append(f"{_name(folder, root)}: add_hparams record merged into its run")
    return notes


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
        for f in group:
            _read_file(f, points, hparams)
            done += 1
            if progress is not None:
                progress(done, len(files))
        read[folder] = _Folder(points, {**_side_config(folder), **hparams}, bool(hparams))
    notes = _merge_hparams_records(read, root)
    runs: list[TrackerRun] = []
    parts: list[pd.DataFrame] = []
    skipped: list[tuple[str, str]] = []
    for folder, found in read.items():
        points = found.points
        rel = _name(folder, root)
        if not points:
            skipped.append((rel, "no scalars in its event files"))
            continue
        frame, repeated = _run_frame(points, len(runs))
        if repeated:
            notes.append(
                f"{rel}: {repeated} point(s) logged twice at one step kept their last value"
            )
        runs.append(
            TrackerRun(
                # where it sits under the ingested folder, and its first event file's name
                # (time and host stamped): not the absolute path, which moves with the folder
                key=f"{rel}::{min(f.name for f in folders[folder])}",
                source_run_id=rel,
                name=rel,
                config=found.config,
                summary=found.summary,
                location=str(folder),
            )
        )
        parts.append(frame)
    if not runs:
        raise DataError(
            "the event files hold no scalars", source=str(path),
            hint="log scalars (add_scalar) to the run's SummaryWriter",
        )  # fmt: skip
    return Source(
        "tensorboard", str(path), tuple(runs), history_frame(parts), tuple(notes), tuple(skipped)
    )
