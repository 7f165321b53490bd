"""``#`` comment lines in an evaluation CSV are skipped as a run table's reader skips them:
by ``ingest``'s detection of the table (it read the comment as the header, and the file as
runs) and by ``downstream``'s reader (it read the comment as the header), a bad value named
by its true line."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import DataError
from scalinglab.downstream import read_evals
from scalinglab.ingest import detect_kind
from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)

RUNS = pd.DataFrame(
    {"run": ["a", "b", "c", "d"], "params": [1e7, 2e7, 4e7, 8e7],
     "tokens": [2e8, 4e8, 8e8, 1.6e9], "loss": [4.0, 3.7, 3.4, 3.2]}
)  # fmt: skip
PIQA = [0.55, 0.58, 0.61, 0.64]
HEAD = "# evaluated with lm-eval 0.4, 0-shot\n# piqa: acc, fractions\n"


def _long(tmp_path: Path, values: list[str]) -> Path:
    lines = [f"{r},piqa,acc,{v}\n" for r, v in zip(RUNS["run"], values, strict=True)]
    lines.insert(2, "# c was re-run\n")
    path = tmp_path / "evals.csv"
    path.write_text(HEAD + "run,task,metric,value\n" + "".join(lines))
    return path


def test_a_commented_long_table_is_detected_ingested_and_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _long(tmp_path, [str(v) for v in PIQA])
    assert detect_kind(path) == "evals"
    store, runs = tmp_path / "s.duckdb", tmp_path / "runs.csv"
    RUNS.to_csv(runs, index=False)
    assert _cli(capsys, "ingest", str(runs), "--store", str(store))[0] == 0
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert f"read 4 scores of 4 models on 1 task from {path} (evals)" in " ".join(out.split())
    np.testing.assert_allclose(sorted(RunStore(store).evals()["value"]), PIQA)
    np.testing.assert_allclose(read_evals(path, runs=RUNS).accuracy("piqa"), PIQA)


def test_a_bad_value_past_comment_lines_is_named_by_its_line(tmp_path: Path) -> None:
    # lines: 2 comments, header (3), a (4), b (5), a comment (6), c (7), d (8)
    path = _long(tmp_path, ["0.55", "0.58", "oops", "0.64"])
    with pytest.raises(DataError, match=r"not a number: 'oops' \(run 'c'") as caught:
        read_evals(path, runs=RUNS)
    assert caught.value.row == 7
