"""A path that starts with ``~`` in Python (``read_runs("~/runs.csv")`` in a notebook, where
no shell expands it) is read in the home folder, as pandas reads it: it was "file not found",
and ``result.save("~/fits/fit.json")`` made a folder named ``~`` in the working directory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import chinchilla_runs

import scalinglab


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder holding runs, and another working directory."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    chinchilla_runs(outliers=0).iloc[::3].to_csv(folder / "runs.csv", index=False)
    return folder


def test_runs_under_the_home_folder_are_read(home: Path) -> None:
    runs = scalinglab.read_runs("~/runs.csv")
    expected = pd.read_csv("~/runs.csv")  # pandas, the reference: it expands ~ too
    assert len(runs) == len(expected) == 21
    assert list(runs["loss"]) == pytest.approx(list(expected["loss"]), rel=1e-15)
    assert runs.describe_source() == "~/runs.csv (21 runs)"  # named as typed


def test_a_fit_saved_under_home_is_there_and_loads(home: Path) -> None:
    result = scalinglab.fit("chinchilla", "~/runs.csv", bootstrap=0, compare=False)
    result.save("~/fits/fit.json")
    assert (home / "fits" / "fit.json").is_file()
    assert not Path("~").exists()  # no folder named ~ in the working directory
    loaded = scalinglab.FitResult.load("~/fits/fit.json")
    assert loaded.coefs == result.coefs


def test_a_home_that_cannot_be_found_reads_as_typed(home: Path) -> None:
    with pytest.raises(scalinglab.DataError, match="file not found"):
        scalinglab.read_runs("~nosuchuserhere/runs.csv")
