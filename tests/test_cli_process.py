"""How `scalinglab fit` runs its process (cli/_process.py): NumPy loaded with one BLAS
thread, no garbage collection while the command runs, the user's settings kept, and every
setting restored when it ends; Rich's progress module loaded only for a bar that is drawn.

Their effect on time is measured by benchmarks/fit_speed.py (no timed unit tests); these
tests check the mechanism.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest

from scalinglab.cli._process import lean_process

_BLAS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")

# a fresh interpreter runs a small fit and says what it saw when NumPy loaded, and after
_PROBE = """
import contextlib, gc, io, json, os, sys, threading
seen = {}
def hook(event, args):
    if event == "import" and args[0] == "numpy" and "numpy" not in seen:
        seen["numpy"] = [os.environ.get("OPENBLAS_NUM_THREADS"), gc.isenabled()]
sys.addaudithook(hook)
from scalinglab.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["fit", "--bootstrap", "0", "--no-compare"]) == 0
tasks = len(os.listdir("/proc/self/task")) if os.path.isdir("/proc/self/task") else None
print(json.dumps({
    "at_numpy": seen["numpy"],
    "after": [os.environ.get("OPENBLAS_NUM_THREADS"), gc.isenabled()],
    "threads": tasks,
    "python_threads": sorted(t.name for t in threading.enumerate()),
    "progress": "rich.progress" in sys.modules,
}))
"""


def _probe(**env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k not in _BLAS}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**clean, **env},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_fit_loads_numpy_with_one_blas_thread_and_restores_everything() -> None:
    seen = _probe()
    assert seen["at_numpy"] == ["1", False]  # pinned, and no collection, while NumPy loads
    assert seen["after"] == [None, True]  # the user's environment and collector are back
    # Linux: no OpenBLAS thread was started (nor left behind): the process's threads are
    # Python's, the main one and the solver's shared workers (fit/_pool.py), kept for the next
    python = seen["python_threads"]
    assert isinstance(python, list) and "MainThread" in python
    assert all(name == "MainThread" or name.startswith("scalinglab-worker") for name in python)
    if seen["threads"] is not None:
        assert seen["threads"] == len(python)
    assert seen["progress"] is False  # stderr is not a terminal: no bar, no Rich progress


# GOTO_NUM_THREADS takes OMP_NUM_THREADS's path (unset at NumPy's import): -m heavy runs it
@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.heavy) if n == "GOTO_NUM_THREADS" else n for n in _BLAS],
)
def test_a_users_blas_setting_is_kept(name: str) -> None:
    seen = _probe(**{name: "3"})
    expected = "3" if name == "OPENBLAS_NUM_THREADS" else None
    assert seen["at_numpy"] == [expected, False]
    assert seen["after"] == [expected, True]


def test_lean_process_applies_to_fit_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _BLAS:
        monkeypatch.delenv(name, raising=False)
    assert gc.isenabled()
    with lean_process(["plan", "--compute", "1e21"]):
        assert gc.isenabled() and "OPENBLAS_NUM_THREADS" not in os.environ
    with lean_process([]):
        assert gc.isenabled()
    with lean_process(["fit", "runs.csv"]):
        assert not gc.isenabled() and os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert gc.isenabled() and "OPENBLAS_NUM_THREADS" not in os.environ
    # a fit of whole loss curves first is a long run: the collector stays on
    for long in (["fit", "--from-curves", "c.csv"], ["fit", "--from-curves=c.csv"]):
        with lean_process(long):
            assert gc.isenabled() and "OPENBLAS_NUM_THREADS" not in os.environ


def test_lean_process_restores_after_an_error_and_keeps_a_disabled_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in _BLAS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError), lean_process(["fit"]):
        raise RuntimeError("a failing command")
    assert gc.isenabled() and "OPENBLAS_NUM_THREADS" not in os.environ
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "")  # set but empty: OpenBLAS's default
    gc.disable()
    try:
        with lean_process(["fit"]):
            assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
        assert os.environ["OPENBLAS_NUM_THREADS"] == ""
    finally:
        gc.enable()


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_a_default_fit_loads_none_of_what_it_does_not_use() -> None:
    """The whole default run (bootstrap, calibration, law-choice hint, plan) without
    ``numpy.ma`` (median and quantiles: scalinglab._quantiles), Rich's progress bars (no
    terminal), the backtest module (the hint needs only ``to_table``), the planning
    package's other modules (its plan table is ``optimal_allocation``'s alone), or the words
    of two refusals (a ``--where`` clause misread, a budget given in GPU-hours)."""
    plan_others = ("_compute", "_inverse", "_invert", "_flops", "_frontier", "_frontier_result")
    unused = (
        "numpy.ma",
        "rich.progress",
        "scalinglab.validate._backtest",
        *(f"scalinglab.plan.{name}" for name in plan_others),
        "scalinglab.data._clause_slips",
        "scalinglab.data._time_budgets",
    )
    code = (
        "import contextlib, io, json, sys\nfrom scalinglab.cli import main\n"
        # 20 resamples: every path of the default run (intervals, calibration, hint), sooner
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['fit', '--bootstrap', '20']) == 0\n"
        f"print(json.dumps([m for m in {unused!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_a_rungs_worker_loads_no_store_and_no_pandas_before_it_trains() -> None:
    """``python -m scalinglab.execute._worker`` imports its package first: the package's names
    load on first use, so a worker per rung does not pay for the driver's store."""
    heavy = ("pandas", "duckdb", "scalinglab.store", "scalinglab.execute._driver")
    code = (
        "import json, sys\nimport scalinglab.execute._worker\n"
        "from scalinglab.ladder import RungConfig, TrainProgress, train_rung\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    import scalinglab.execute as execute

    assert execute.LocalBackend.__module__ == "scalinglab.execute._local"
    assert set(execute.__all__) <= set(dir(execute))


@pytest.mark.heavy  # 2.9 s in the suite on a 2-core AMD EPYC
def test_the_console_script_leaves_the_collector_off_through_a_fit() -> None:
    """``scalinglab fit`` as a process (``run``): no collection from the command's start to
    its exit (``lean_process`` turned it back on for ``main``'s callers, and the first
    allocation after walked every object the command made); the objects left are frozen,
    so the interpreter's exit does not walk them either. Other commands collect as usual."""
    code = (
        "import contextlib, gc, io, json, sys\nfrom scalinglab.cli import run\n"
        "import scalinglab.cli._process  # run() imports it first, the collector on\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: seen.append(phase == 'start'))\n"
        "said = []\n"
        "for argv in (['fit', '--bootstrap', '0', '--no-compare'], ['laws', '--json']):\n"
        "    gc.collect()  # the count at 0: none is due as run() begins\n"
        "    seen.clear()\n"
        "    sys.argv = ['scalinglab', *argv]\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            run()\n"
        "        except SystemExit as exit:\n"
        "            code = exit.code\n"
        "    said.append([code, sum(seen), gc.isenabled(), gc.get_freeze_count() > 0])\n"
        "    gc.enable()\n"
        "print(json.dumps(said))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    fit, laws = json.loads(out.stdout.strip().splitlines()[-1])
    assert fit == [0, 0, False, True]
    assert laws[0] == 0 and laws[2] is True
