"""A file given by position to a command that reads its fit with ``--fit`` (``predict
fit.json``, ``plan runs.csv``): the error says what the command reads, and the hint is a
command that runs, which the tests run in turn (not click's bare "unexpected extra argument"
and ``--help``)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from tests._cli import cli, refused
from tests.conftest import chinchilla_runs

import scalinglab


@pytest.fixture
def spaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a space in its name, the working directory, holding runs and a fit."""
    folder = tmp_path / "my runs"
    folder.mkdir()
    monkeypatch.chdir(folder)
    runs = chinchilla_runs(outliers=0).iloc[::3]
    runs.to_csv("runs ü.csv", index=False)
    scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False).save("fit a.json")
    return folder


def _typed(hint: str, after: str) -> list[str]:
    """The words of the command a hint writes after ``after``, without ``scalinglab``."""
    words = shlex.split(hint.split(after, 1)[1].rstrip(")"))
    assert words[0] == "scalinglab"
    return words[1:]


def test_a_fit_by_position_is_told_to_go_after_fit(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    error, hint = refused(capsys, ["predict", "fit a.json", "--params", "7B", "--tokens", "1T"])
    assert error == (
        "error: scalinglab predict reads a saved fit with --fit, and takes no file by "
        "position (got 'fit a.json')"
    )
    assert hint == (
        "hint: give it with --fit: scalinglab predict --fit 'fit a.json' --params 7B --tokens 1T"
    )
    code, out, _ = cli(capsys, *_typed(hint, "give it with --fit: "), "--json")
    assert code == 0 and '"loss":' in out  # the command written runs as it stands


def test_runs_by_position_are_told_to_be_fitted_first(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    error, hint = refused(capsys, ["plan", "runs ü.csv", "--compute", "1e22"])
    assert "takes no file by position (got 'runs ü.csv')" in error
    assert hint == (
        "hint: it holds runs: fit them first (scalinglab fit 'runs ü.csv' --out fit.json), "
        "then scalinglab plan --fit fit.json --compute 1e22"
    )
    fit = _typed(hint.split("), then")[0], "fit them first (")
    assert cli(capsys, *fit, "--bootstrap", "0", "--no-compare")[0] == 0
    code, out, _ = cli(capsys, *_typed(hint, "), then "), "--json")
    assert code == 0 and '"params":' in out


def test_a_group_command_fits_with_its_own_group(
    capsys: pytest.CaptureFixture[str], spaced: Path
) -> None:
    _, hint = refused(capsys, ["hparams", "predict", "runs ü.csv", "--loss", "2.5"])
    assert hint.startswith("hint: it holds runs: fit them first (scalinglab hparams fit ")
    assert hint.endswith("then scalinglab hparams predict --fit fit.json --loss 2.5")


def test_other_extra_words_keep_their_hints(capsys: pytest.CaptureFixture[str]) -> None:
    # --fit given: the stray file is a second value, as before
    _, hint = refused(capsys, ["plan", "--fit", "a.json", "--compute", "1e22", "b.json"])
    assert hint.startswith("hint: --compute takes its values as one word")
    # a command that reads runs by position is not told to read a fit
    _, hint = refused(capsys, ["fit", "runs.csv", "other.csv"])
    assert hint == "hint: see 'scalinglab fit --help'"
