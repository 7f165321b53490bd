"""A path with a space in a hint's command is quoted as a shell reads it, so the command runs
as copied: ``scalinglab fit 'my runs/runs.csv'``, where the hint wrote ``scalinglab fit my
runs/runs.csv`` (two words, neither a file). Each test splits the hint's command as a shell
does and checks the path is one word of it (test_cli_fit_path_slip runs such commands)."""

from __future__ import annotations

import gzip
import re
import shlex
from pathlib import Path

import pytest
from tests._cli import refused
from tests.conftest import chinchilla_runs

import scalinglab

_RUNS = "my runs/runs ü.csv"
_FIT = "my runs/fit a.json"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``my runs``: runs, a fit of them and the fit gzipped."""
    top = tmp_path_factory.mktemp("spaced")
    (top / "my runs").mkdir()
    runs = chinchilla_runs(outliers=0).iloc[::3]
    runs.to_csv(top / _RUNS, index=False)
    scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False).save(top / _FIT)
    (top / (_FIT + ".gz")).write_bytes(gzip.compress((top / _FIT).read_bytes()))
    return top


@pytest.fixture
def spaced(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``folder``, the working directory."""
    monkeypatch.chdir(folder)
    return folder


def _commands(hint: str) -> list[list[str]]:
    """The words of each command the hint writes: between backticks, or after a colon."""
    said = re.findall(r"`(scalinglab [^`]+|gunzip [^`]+)`", hint)
    said = said or re.findall(r"(scalinglab [^;()]+)", hint)
    return [shlex.split(command) for command in said]


def test_runs_given_as_a_fit_name_their_fit_quoted(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    _, hint = refused(capsys, ["predict", "--fit", _RUNS, "--params", "7B", "--tokens", "1T"])
    [fit] = [words for words in _commands(hint) if _RUNS in words]
    assert fit == ["scalinglab", "fit", _RUNS, "--out", "fit.json"]
    assert Path(fit[2]).is_file()  # as copied, the command names the file


def test_runs_given_as_a_store_name_them_quoted(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    _, hint = refused(capsys, ["fit", "--store", _RUNS])
    assert _commands(hint) == [
        ["scalinglab", "fit", _RUNS],
        ["scalinglab", "ingest", _RUNS, "--store", "runs.duckdb"],
    ]


def test_a_gzipped_fit_is_decompressed_by_its_quoted_name(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    _, hint = refused(capsys, ["plan", "--fit", _FIT + ".gz", "--compute", "1e22"])
    assert ["gunzip", "-k", _FIT + ".gz"] in _commands(hint)


def test_one_plan_each_names_the_fit_quoted(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    args = ["plan", "--fit", _FIT, "--compute", "1e24", "--target-loss", "2.0"]
    _, hint = refused(capsys, args)
    assert _commands(hint.removeprefix("hint: one plan each: ").replace("; then ", ";")) == [
        ["scalinglab", "plan", "--fit", _FIT, "--compute", "1e24"],
        ["scalinglab", "plan", "--fit", _FIT, "--target-loss", "2.0"],
    ]
    # a preset, no path: as before
    _, hint = refused(capsys, ["plan", "--compute", "1e24", "--target-loss", "2.0"])
    assert "scalinglab plan --preset hoffmann2022 --compute 1e24" in hint


def test_a_plain_path_is_written_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    _, hint = refused(capsys, ["fit", "--store", "nope.csv"])
    assert "scalinglab" in hint and "'" not in hint.partition("scalinglab")[2]
