"""Ctrl-C says in one line where the command stopped and what became of each file it writes:
``error: interrupted: scalinglab fit stopped in bootstrap: resamples × starts (3/10); --out
fit.json not written``, exit 130, where it said only ``error: interrupted``. (A real SIGINT to
a real process: ``tests/test_cli_sigint.py``.)"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import scalinglab
from scalinglab.cli import main


def _said(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 130, err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err  # the one line, no hint, no traceback
    return lines[0]


def _fit_stopped_in_bootstrap(*args: object, progress: object = None, **kwargs: object) -> None:
    assert callable(progress)
    progress("fit", 4500, 4500)
    progress("bootstrap", 3, 10)
    raise KeyboardInterrupt


def test_fit_says_its_stage_and_that_out_was_not_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(scalinglab, "fit", _fit_stopped_in_bootstrap)
    out = tmp_path / "fit.json"
    line = _said(capsys, "fit", "--no-compare", "--bootstrap", "10", "--out", str(out))
    assert line == (
        "error: interrupted: scalinglab fit stopped in bootstrap: resamples × starts (3/10); "
        f"--out {out} not written"
    )
    assert not out.exists()


def test_a_file_there_before_is_said_left_as_it_was(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(scalinglab, "fit", _fit_stopped_in_bootstrap)
    out, plot = tmp_path / "fit.json", tmp_path / "fit.png"
    out.write_text('{"format": "scalinglab.fit/1"}\n')
    args = ["fit", "--no-compare", "--out", str(out), "--plot", str(plot)]
    line = _said(capsys, *args)
    assert line.endswith(f"; --plot {plot} not written, --out {out} left as it was")
    assert out.read_text() == '{"format": "scalinglab.fit/1"}\n'


def test_a_command_that_writes_no_file_says_nothing_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scalinglab, "fit", _fit_stopped_in_bootstrap)
    line = _said(capsys, "fit", "--no-compare", "--json")
    assert line.endswith("(3/10); nothing written")


@pytest.mark.heavy  # a store made and read: about 3 s
def test_an_ingest_says_the_store_kept_every_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ingest = importlib.import_module("scalinglab.ingest")  # the module: its `ingest` shadows it
    runs = tmp_path / "runs.csv"
    runs.write_text("run,params,tokens,loss\na,1e6,2e7,3.1\nb,2e6,4e7,2.9\nc,4e6,8e7,2.7\n")
    store = tmp_path / "runs.duckdb"
    assert main(["ingest", str(runs), "--store", str(store)]) == 0
    capsys.readouterr()
    before = store.read_bytes()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest, "ingest", interrupted)
    line = _said(capsys, "ingest", str(runs), "--store", str(store))
    assert line == (
        "error: interrupted: scalinglab ingest stopped; "
        f"--store {store} unchanged (every run it held is kept)"
    )
    assert store.read_bytes() == before
    fresh = tmp_path / "new.duckdb"
    line = _said(capsys, "ingest", str(runs), "--store", str(fresh))
    assert line.endswith(f"; --store {fresh} not created")


def test_ctrl_c_as_the_command_line_loads_is_said_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import scalinglab.cli._process as process

    def loading(args: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(process, "lean_process", loading)
    line = _said(capsys, "fit")
    assert line == "error: interrupted: scalinglab stopped as it started; nothing written"


def test_ctrl_c_while_python_m_scalinglab_imports_is_said(tmp_path: Path) -> None:
    """The window before :func:`scalinglab.cli.main` runs: ``python -m scalinglab`` still
    imports the command line."""
    script = (
        "import builtins, runpy\n"
        "real = builtins.__import__\n"
        "def stopped(name, *args, **kwargs):\n"
        "    if name == 'scalinglab.cli':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = stopped\n"
        "runpy.run_module('scalinglab', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 130, done.stderr
    assert done.stderr == (
        "error: interrupted: scalinglab stopped as it started; nothing written\n"
    )


def test_ctrl_c_inside_text_that_exec_runs_still_exits_130(tmp_path: Path) -> None:
    """CPython notes a Ctrl-C that leaves an ``exec`` of source text (where dataclasses make
    their methods, as a lazy import builds them) as unhandled, and ``python -m`` then ended
    the process by SIGINT (-2) after the command had caught it and said so."""
    (tmp_path / "stopped_in_exec.py").write_text(
        "import scalinglab\n"
        "from scalinglab.cli import run\n"
        "def fit(*args, **kwargs):\n"
        "    exec('raise KeyboardInterrupt')\n"
        "scalinglab.fit = fit\n"
        "run()\n"
    )
    args = [sys.executable, "-m", "stopped_in_exec", "fit", "--no-compare"]
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 130, done.stderr
    assert done.stderr == "error: interrupted: scalinglab fit stopped; nothing written\n"


def test_ctrl_c_inside_exec_as_python_m_scalinglab_imports_still_exits_130(
    tmp_path: Path,
) -> None:
    """The same as the command line loads: ``python -m scalinglab`` itself."""
    (tmp_path / "sitecustomize.py").write_text(
        "import builtins\n"
        "real = builtins.__import__\n"
        "def stopped(name, *args, **kwargs):\n"
        "    if name == 'scalinglab.cli':\n"
        "        exec('raise KeyboardInterrupt')\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = stopped\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-m", "scalinglab", "fit"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == (
        "error: interrupted: scalinglab stopped as it started; nothing written\n"
    )
