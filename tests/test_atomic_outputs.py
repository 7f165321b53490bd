"""Every file written is whole or not there: a result, report or figure whose write fails
(a full disk) or is interrupted leaves the file as it was, and no temporary file beside it,
where it was truncated and left half written (``fit --out`` on a full disk: 2,000 bytes of
JSON). Written in place where no rename can go (``/dev/stdout``, ``/dev/full``), and through
a symbolic link, which stays a link."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scalinglab._paths import write_text

OLD = '{"format": "scalinglab.fit/1", "old": true}\n'
_LIMIT = 4096  # bytes a process may write to one file: the disk it writes to is "full"


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails (EFBIG), no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (_LIMIT, _LIMIT))


def _run_full(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
        preexec_fn=_small_disk,
    )  # fmt: skip


def test_a_write_that_fails_for_room_leaves_the_old_file(tmp_path: Path) -> None:
    (tmp_path / "fit.json").write_text(OLD)
    done = _run_full(
        "from scalinglab._paths import write_text\n"
        f"write_text('fit.json', '{{' + 'x' * {4 * _LIMIT} + '}}')",
        tmp_path,
    )
    assert "File too large" in done.stderr  # the write failed, as on a full disk
    assert (tmp_path / "fit.json").read_text() == OLD  # not truncated, not half written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.json"]  # no temporary file


def test_an_interrupted_figure_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.figure import Figure

    from scalinglab.report._figure import write_figure

    out = tmp_path / "fit.svg"
    out.write_text("<svg>old</svg>")
    fig = Figure()
    fig.add_subplot().plot([1, 2], [3, 4])

    def half_then_ctrl_c(file: object, **kwargs: object) -> None:
        assert hasattr(file, "write")
        file.write(b"<svg>half")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(fig, "savefig", half_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_figure(fig, out, dpi=72)
    assert out.read_text() == "<svg>old</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.svg"]


def test_a_replaced_file_keeps_its_mode_and_a_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text(OLD)
    real.chmod(0o600)
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    write_text(link, "{}\n")
    assert link.is_symlink() and real.read_text() == "{}\n"
    assert real.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dev_stdout_is_written_in_place(tmp_path: Path) -> None:
    """``--out /dev/stdout > file``: the file the shell opened gets the JSON (a rename would
    put it in a new file and leave the shell's unlinked)."""
    target = tmp_path / "captured.txt"
    with open(target, "w") as handle:
        subprocess.run(
            [sys.executable, "-c",
             "from scalinglab._paths import write_text; write_text('/dev/stdout', 'whole\\n')"],
            stdout=handle, check=True,
        )  # fmt: skip
    assert target.read_text() == "whole\n"


@pytest.mark.heavy  # a whole `scalinglab fit` process: about 2 s
def test_cli_out_on_a_full_disk_names_the_path_and_keeps_the_file(tmp_path: Path) -> None:
    (tmp_path / "fit.json").write_text(OLD)
    done = _run_full(
        "import sys; from scalinglab.cli import main; "
        "sys.exit(main(['fit', '--bootstrap', '0', '--no-compare', '--out', 'fit.json']))",
        tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "error: --out 'fit.json': cannot write (File too large)",
        "hint: free disk space there, or write somewhere else",
    ]
    assert (tmp_path / "fit.json").read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.json"]
    assert os.access(tmp_path / "fit.json", os.R_OK)
