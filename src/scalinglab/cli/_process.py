"""How the process runs a short command: NumPy's BLAS on one thread, and no cyclic garbage
collection while the command runs.

``scalinglab fit`` on the bundled runs takes about a second (issue 12: at most 1 s
on two cores, start-up included), and two defaults of the Python stack cost it about a
tenth of its CPU time (``benchmarks/RESULTS.md``, fifth round):

* **BLAS threads.** The OpenBLAS in NumPy's wheels starts a thread per core when NumPy loads,
  and after each call large enough to share out (a fit's calibration multiplies a few
  hundred numbers by a few dozen) those threads spin, waiting for more work, before they
  sleep. On two cores a spinning thread takes a core from the compiled solver's threads.
  The BLAS calls of a fit are all that small, so one thread loses nothing.
  ``OPENBLAS_NUM_THREADS=1`` while the command runs keeps the threads from starting
  (OpenBLAS reads it when NumPy loads). A user's own setting (``OPENBLAS_NUM_THREADS``,
  ``GOTO_NUM_THREADS`` or ``OMP_NUM_THREADS``, which OpenBLAS reads in that order) is left as
  it is, and the variable is restored when the command ends.
* **The cyclic garbage collector.** Loading NumPy, Typer, Rich and the fit modules creates
  hundreds of thousands of objects, and the collector walks the older ones again each time
  a few hundred new ones accumulate. A command's objects are freed by reference counting;
  the few reference cycles of one short run are collected once it ends, when the collector
  is turned back on (by ``main``; the console script leaves it off, its process ending there).

Neither changes a result: the fit's BLAS calls give the same numbers on one thread (the
command's output is compared before and after in ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["LEAN", "is_lean", "lean_process"]

#: Commands run this way (their first word): the one whose whole run is a speed target.
LEAN = frozenset({"fit"})
#: Options that make such a command a long one, run as usual: ``fit --from-curves`` fits
#: whole loss curves first (seconds to minutes), where a collector off would let cycles pile up.
_LONG = frozenset({"--from-curves"})
#: What OpenBLAS reads for its thread count, in its order; any of them set is the user's say.
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def is_lean(args: Sequence[str]) -> bool:
    """Whether ``args`` start with a command in :data:`LEAN` and none of its long forms
    (``fit --from-curves``)."""
    return bool(args) and args[0] in LEAN and not any(a.split("=")[0] in _LONG for a in args)


@contextmanager
def lean_process(args: Sequence[str]) -> Iterator[None]:
    """Run the body as above when :func:`is_lean` says so of ``args``; else as it is.

    Only a NumPy loaded inside the body has one BLAS thread (one already loaded keeps its
    threads). A collector that was off when the body began stays off after it (the console
    script turns it off for the whole process, which ends with the command).
    """
    if not is_lean(args):
        yield
        return
    saved = os.environ.get("OPENBLAS_NUM_THREADS")
    pin = not any(os.environ.get(name) for name in _BLAS_THREADS)
    if pin:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        if pin:
            if saved is None:
                os.environ.pop("OPENBLAS_NUM_THREADS", None)
            else:  # set but empty: OpenBLAS's default, as if unset
                os.environ["OPENBLAS_NUM_THREADS"] = saved
