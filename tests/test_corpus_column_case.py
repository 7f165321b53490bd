"""A user's corpus column headed as a spreadsheet heads it (``Corpus``, ``Training Data``)
is a training-data column as ``dataset`` and ``corpus`` are, compared as the readers
compare column names: runs of two corpora pooled are warned of, naming the column as the
file heads it, and ``--best-per-cell`` never makes one cell of two corpora. They were
fitted as one with no warning, and the best run of each (N, D) was taken across corpora."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab

_ROWS = [  # two corpora at the same 9 (N, D): the code runs' loss lower by 0.5
    ("70M", "1.4B", 3.91), ("160M", "3.2B", 3.52), ("410M", "8.2B", 3.18),
    ("1B", "20B", 2.95), ("70M", "5.6B", 3.70), ("160M", "12.8B", 3.33),
    ("410M", "32B", 3.02), ("1B", "80B", 2.81), ("2.8B", "56B", 2.72),
]  # fmt: skip


def _runs(tmp_path: Path, column: str) -> Path:
    lines = [f"Run Name,{column},Model Size,Tokens,Val Loss"]
    for corpus, shift in (("web", 0.0), ("code", -0.5)):
        lines += [f"{corpus}{i},{corpus},{n},{d},{loss + shift:.2f}" for i, (n, d, loss) in
                  enumerate(_ROWS)]  # fmt: skip
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_corpus_columns_are_found_by_name_as_columns_are_compared() -> None:
    from scalinglab.data._training_data import corpus_columns

    found = corpus_columns(["Run Name", "Training Data", "Corpus", "arch", "dataset"])
    assert found == ["dataset", "Corpus", "Training Data"]  # in CORPUS_COLUMNS' order
    assert corpus_columns(["corpus_name", "database"]) == []


@pytest.mark.parametrize("column", ["Corpus", "Training Data", "DATASET"])
def test_a_fit_of_two_corpora_pooled_is_warned_of(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, column: str
) -> None:
    path = _runs(tmp_path, column)
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0", "--no-compare")
    assert code == 0, err
    said = " ".join((out + err).split())
    assert f"the runs span 2 values of {column!r} (web, code), fitted as one" in said
    assert f"choose one with --where {column}=web" in said
    runs = scalinglab.read_runs(path)
    assert not any("values of" in w for w in scalinglab.fit("power-law", runs.where(
        column, "web"), bootstrap=0, compare=False).warnings)  # fmt: skip


def test_best_per_cell_keeps_each_corpus_apart(tmp_path: Path) -> None:
    runs = scalinglab.read_runs(_runs(tmp_path, "Corpus"), best_per_cell=True)
    assert len(runs) == 18  # every run alone in its cell: none of web's taken for code's
    assert sorted(runs.labels["Corpus"]).count("web") == 9
