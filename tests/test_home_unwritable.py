"""A home folder that cannot be written (``HOME=/nonexistent``, a read-only home, ``HOME``
unset with no passwd entry): the corpus cache and matplotlib's font cache go to a folder of
this user's in the temporary folder, where a ladder's every rung failed (``FileNotFoundError
... (this looks like a bug)``) and each figure-drawing command printed matplotlib's four
lines of warnings and rebuilt its font cache. A cache the user names and cannot be written is
refused, naming it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scalinglab import ConfigError


@pytest.fixture
def no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME is a file (no folder can be made in it); the temporary folder is the test's."""
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("SCALINGLAB_CACHE", "MPLCONFIGDIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def _corpus(tmp_path: Path) -> Path:
    text = tmp_path / "text.txt"
    text.write_text("the quick brown fox jumps over the lazy dog\n" * 50)
    return text


def test_the_corpus_cache_falls_back_to_the_temporary_folder(no_home: Path, tmp_path: Path) -> None:
    from scalinglab.ladder import load_corpus

    corpus = load_corpus(str(_corpus(tmp_path)))
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    assert corpus.directory.is_relative_to(no_home / f"scalinglab-cache-{user}" / "corpus")
    assert corpus.train_size > 0
    assert load_corpus(str(_corpus(tmp_path))).directory == corpus.directory  # found again


def test_no_home_known_at_all_still_has_a_cache(
    no_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.ladder import cache_dir

    def unknown() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(unknown))
    assert cache_dir().parent == no_home


def test_a_named_cache_that_cannot_be_written_is_refused(
    no_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.ladder import load_corpus

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("SCALINGLAB_CACHE", str(blocked))
    with pytest.raises(ConfigError, match=f"cannot write the corpus cache {blocked}/corpus") as err:
        load_corpus(str(_corpus(tmp_path)))
    assert err.value.hint == "set SCALINGLAB_CACHE to a folder you can write"


def test_matplotlib_gets_a_folder_of_its_own(
    no_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.cli._config_dirs import settle_matplotlib

    settle_matplotlib()
    folder = Path(os.environ["MPLCONFIGDIR"])
    assert folder.parent == no_home and folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700  # the temporary folder is shared
    monkeypatch.setenv("MPLCONFIGDIR", "/elsewhere")
    settle_matplotlib()
    assert os.environ["MPLCONFIGDIR"] == "/elsewhere"  # the user's own is left alone


@pytest.mark.heavy  # a process that fits and draws: about 2 s
def test_a_figure_with_no_writable_home_says_nothing_of_matplotlib(tmp_path: Path) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp_path / "tmp")}
    for name in ("MPLCONFIGDIR", "XDG_CONFIG_HOME"):
        env.pop(name, None)
    args = ["fit", "--bootstrap", "0", "--no-compare", "--plot", "fit.png"]
    done = subprocess.run(
        [sys.executable, "-m", "scalinglab", *args], cwd=tmp_path, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Matplotlib" not in done.stderr and "mkdir -p failed" not in done.stderr
    assert (tmp_path / "fit.png").is_file()
