"""Train one rung in this process: ``python -m scalinglab.execute._worker WORKDIR/job.json``.

Every backend ends here: the local backend starts this module as a fresh process per rung (so
``torch.compile`` never accumulates graphs across rungs), Ray and submitit call
:func:`run_job` in a worker they start for the one task. The worker

- holds an exclusive lock on ``WORKDIR/.lock`` while it trains, so two drivers pointed at the
  same work folder can never train one rung twice at once (the OS drops the lock when the
  process dies, even by ``kill -9``); a worker finding it held waits as long as its holder
  lives, then records the result that one left, or resumes from its checkpoint;
- writes ``trainer.json`` (the driver that started it) when it trains the rung rather than
  finding it trained, so a second driver waiting on the lock says it only recorded it;
- writes ``progress.json`` at every curve point, which the driver reads to draw progress;
- writes ``error.json`` (message and hint) when it fails, which the driver records
  (:mod:`._worker_error`: a rung out of memory says so, with what its model takes);
- started by the local backend, exits when the driver that started it is gone, so a killed
  driver leaves no orphan training on behind a rerun's back.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ScalingLabError
from scalinglab.execute._backend import ERROR, PROGRESS, write_json
from scalinglab.execute._workdirs import LOCK
from scalinglab.execute._worker_error import error_record

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["run_job"]

#: Set by the local backend to its own pid: the worker stops when its parent is no longer it.
PARENT_ENV = "SCALINGLAB_PARENT_PID"
_LOCK_POLL_S = 0.2  # how often a worker waiting on the rung's lock tries it again


@contextlib.contextmanager
def _exclusive(workdir: Path, parent: str | None) -> Iterator[None]:
    """Hold ``workdir/.lock``, waiting as long as another worker holds it: the OS drops the
    lock when that one's process ends, however it ends, so a held lock is a live holder."""
    fd = os.open(workdir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if parent is not None and str(os.getppid()) != parent:
                    os._exit(3)  # the driver that waited is gone: stop waiting too
                time.sleep(_LOCK_POLL_S)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def run_job(spec: dict[str, Any]) -> dict[str, Any]:
    """Train the rung of a job spec (``{"rung": ..., "workdir": ...}``) to the end.

    Returns:
        The :class:`~scalinglab.ladder.RungResult` as a dictionary (also in ``result.json``).

    Raises:
        ScalingLabError: What went wrong, after recording it in ``error.json``.
    """
    workdir = Path(spec["workdir"])
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / ERROR).unlink(missing_ok=True)
    parent = os.environ.get(PARENT_ENV)
    rung: RungConfig | None = None  # known once the spec is read: an error names it
    try:
        from scalinglab.ladder import RungConfig, TrainProgress, train_rung

        rung = RungConfig.from_dict(spec["rung"])

        def report(progress: TrainProgress) -> None:
            if parent is not None and str(os.getppid()) != parent:
                os._exit(3)  # the driver is gone (killed): stop; the checkpoint stays
            write_json(workdir / PROGRESS, asdict(progress))

        with _exclusive(workdir, parent):
            from scalinglab.execute._workdirs import done_result, write_trainer

            if done_result(workdir, rung) is None:  # this worker trains it
                write_trainer(workdir, parent)
            result = train_rung(rung, workdir=workdir, progress=report)
        return result.to_dict()
    except BaseException as err:
        if not isinstance(err, KeyboardInterrupt | SystemExit):
            write_json(workdir / ERROR, error_record(err, rung=rung, workdir=workdir))
        raise


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process; exit 0 on success, 2 for bad input, 1 otherwise."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m scalinglab.execute._worker WORKDIR/job.json", file=sys.stderr)
        return 2
    import json

    try:
        spec = json.loads(Path(args[0]).read_text())
        run_job(spec)
    except ScalingLabError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
