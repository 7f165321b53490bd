"""An empty string where a path goes is refused naming the option or argument: ``Path('')``
is ``.``, so ``fit ''`` said "``.: is a folder, not a file``" and ``plan --fit ''`` "``.: a
folder, not a scaling-law fit file``", naming neither what was typed nor where."""

from __future__ import annotations

import pytest
from tests._cli import refused


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["fit", ""], "error: RUNS is empty: an empty string was given where a path goes",
         "hint: give the path of the file or folder to read"),
        (["ingest", "", "--store", "s.duckdb"],
         "error: SOURCE is empty: an empty string was given where a path goes",
         "hint: give the path of the file or folder to read"),
        (["plan", "--fit", "", "--compute", "1e24"], "error: --fit is empty: it takes a path",
         "hint: give --fit a file's path, or drop the option"),
        (["hparams", "predict", "--fit", "", "--params", "7B", "--tokens", "1T"],
         "error: --fit is empty: it takes a path",
         "hint: give --fit a file's path, or drop the option"),
        (["fit", "--data", "simulated", "--out="], "error: --out is empty: it takes a path",
         "hint: give --out a file's path, or drop the option"),
    ],
)  # fmt: skip
def test_an_empty_path_is_named(
    capsys: pytest.CaptureFixture[str],
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    error: str,
    hint: str,
) -> None:
    monkeypatch.chdir(str(tmp_path))
    assert refused(capsys, args) == (error, hint)


def test_an_empty_text_option_is_its_own_option_s_to_say(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--law ''`` is no path: the formula reader says it, as before."""
    error, _ = refused(capsys, ["fit", "--data", "simulated", "--law", ""])
    assert error == "error: the formula is empty"
