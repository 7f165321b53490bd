"""One TensorBoard event file: its scalars, its hparams record, and what identifies it.

Records are read with TensorBoard's own record reader and ``Event`` protobuf, not its
``EventAccumulator``, which down-samples scalars unless told otherwise and silently stops at a
truncated record: here a truncated or corrupt file is an error naming it. Scalars written as
``simple_value`` (PyTorch, TF1) and as tensors (TF2, ``tensorboard.summary.Writer``) are both
read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError, DataError, first_line
from scalinglab._extras import install_hint

__all__ = ["Points", "read_event_file"]

Points = dict[str, tuple[list[int], list[float]]]  # tag -> (steps, values)
_FLOATS = {1: "<f4", 2: "<f8", 19: "<f2"}  # DT_FLOAT, DT_DOUBLE, DT_HALF


def _modules() -> Any:
    try:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow
    except ImportError:
        raise ConfigError(
            "reading TensorBoard event files needs the tensorboard package, which is not installed",
            hint=f"install the trackers extra: {install_hint('trackers')}",
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


def read_event_file(path: Path, points: Points, config: dict[str, Any]) -> str:
    """Append every scalar of one event file to ``points`` and its hparams to ``config``.

    Returns:
        A hash of its first record (the writer's ``file_version`` event, stamped with the
        time it was opened to the microsecond), ``""`` for a file without records: with the
        file's name (time to the second, host, process) it tells a run's file from another's
        wherever the folder is read from, and does not change as the run logs more.
    """
    event_pb2, errors, pywrap = _modules()
    try:
        reader = pywrap.PyRecordReader_New(str(path).encode(), 0, b"", None)
    except Exception as err:
        raise DataError(f"cannot open the event file: {first_line(err)}", source=str(path)) from err
    plugin_of: dict[str, str] = {}
    n_records = 0
    first = ""
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            return first
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
        record = reader.record()
        if n_records == 1:
            first = hashlib.sha256(record).hexdigest()[:16]
        try:
            event = event_pb2.Event.FromString(record)
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
