"""A harness results file that is not JSON: cut short (a copy or an evaluation stopped
mid-write) or broken, it is refused as a results file at its line and column with what to
do, folder or single file; a file not meant as one is still no results file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.downstream._lmeval import read_lm_eval

FIXTURES = Path(__file__).resolve().parent / "data" / "lm_eval"
HINT = (
    "hint: re-run the evaluation, or copy the file again (a copy or a run stopped mid-write "
    "leaves it cut)"
)


def _cut(tmp_path: Path) -> Path:
    """The harness's results of one model, cut after its first 300 characters."""
    shutil.copytree(FIXTURES / "org__tiny-10m", tmp_path / "evals" / "org__tiny-10m")
    (file,) = (tmp_path / "evals").rglob("results_*.json")
    text = file.read_text(encoding="utf-8")
    file.write_text(text[:300], encoding="utf-8")
    return file


@pytest.mark.parametrize("given", ["folder", "file"])
def test_a_results_file_cut_short_says_so_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
) -> None:
    file = _cut(tmp_path)
    lines = file.read_text(encoding="utf-8").split("\n")
    target = tmp_path / "evals" if given == "folder" else file
    code, _, err = cli(capsys, "ingest", str(target), "--store", str(tmp_path / "s.duckdb"))
    assert code == 2
    assert err.splitlines() == [
        f"error: {file}: the lm-evaluation-harness results file is cut short at line "
        f"{len(lines)}, column {len(lines[-1]) + 1}",
        HINT,
    ]


def test_a_broken_results_file_names_the_problem(tmp_path: Path) -> None:
    file = tmp_path / "results_2024.json"
    file.write_text('{\n  "results": {\n    "piqa": {"acc,none": 0.5,,}\n  }\n}\n')
    with pytest.raises(DataError) as caught:
        read_lm_eval(file)
    assert str(caught.value) == (
        f"{file}: the lm-evaluation-harness results file is not valid JSON (Expecting "
        "property name enclosed in double quotes) at line 3, column 30 ("
        + HINT.removeprefix("hint: ")
        + ")"
    )


def test_a_file_not_meant_as_results_is_no_results_file(tmp_path: Path) -> None:
    file = tmp_path / "scores.json"
    file.write_text("[1, 2,")
    with pytest.raises(DataError, match=r"scores.json: not an lm-evaluation-harness results "
                       r"file \(not JSON: Expecting value"):  # fmt: skip
        read_lm_eval(file)
