"""Waiting for a store that another process holds: one line on stderr as the wait starts (a
silent wait looks like a hang), and an error with a hint when it lasts too long.

Readers wait up to 30 s for DuckDB's lock on the file; writers up to 10 minutes for the
store's writer lock (another ingest of millions of curve points holds it for a minute or
two). ``SCALINGLAB_LOCK_WAIT_S`` sets both.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from pathlib import Path

from scalinglab._errors import ConfigError

__all__ = ["ENV", "LockWait", "duckdb_holder", "wait_limit"]

#: The environment variable that sets how long to wait, in seconds.
ENV = "SCALINGLAB_LOCK_WAIT_S"
_READ_WAIT_S = 30.0
_WRITE_WAIT_S = 600.0
# scalinglab's own processes take turns in milliseconds (a ladder's workers, its status):
# no line for those, one for anything a person would notice
_NOTICE_AFTER_S = 0.25
_POLL_S = 0.05


def wait_limit(*, write: bool) -> float:
    """Seconds to wait for a lock: ``SCALINGLAB_LOCK_WAIT_S``, else 30 (read) or 600 (write).

    Raises:
        ConfigError: If the variable is set to something other than a number of seconds.
    """
    text = os.environ.get(ENV, "").strip()
    if not text:
        return _WRITE_WAIT_S if write else _READ_WAIT_S
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise ConfigError(
            f"{ENV}={text!r} is not a number of seconds",
            hint=f"set it to the seconds to wait for a locked store ({ENV}=120), or unset it",
        )
    return value


def duckdb_holder(message: str) -> str:
    """Who holds a DuckDB file, from DuckDB's lock error ("Conflicting lock is held in
    /usr/bin/python3 (PID 123)"): ``process 123 (python3)``, or ``another process``."""
    found = re.search(r"held in (.+?) \(PID (\d+)\)", message)
    if found is None:
        return "another process"
    return f"process {found.group(2)} ({Path(found.group(1)).name})"


class LockWait:
    """The wait for one lock: call :meth:`again` after each failed try.

    Args:
        lock: The file whose lock is awaited (named in the line on stderr).
        write: Whether a writer waits (the longer limit).
    """

    def __init__(self, lock: Path, *, write: bool) -> None:
        self.lock = lock
        self.limit = wait_limit(write=write)
        self._start = time.monotonic()
        self._told = False

    def again(self, holder: str) -> bool:
        """Pause before the next try and return ``True``, or ``False`` when the time is up;
        the first pause past a moment says on stderr what is awaited."""
        waited = time.monotonic() - self._start
        if waited >= self.limit:
            return False
        if not self._told and waited >= _NOTICE_AFTER_S:
            self._told = True
            print(
                f"waiting for the lock on {self.lock} held by {holder}, up to "
                f"{self.limit:g} s ({ENV} sets how long)",
                file=sys.stderr,
                flush=True,
            )
        time.sleep(_POLL_S)
        return True
