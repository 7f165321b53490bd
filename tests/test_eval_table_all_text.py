"""An evaluation table whose scores are all text (an alias column, labels) holds no
evaluations: ``ingest`` and ``downstream fit`` refuse it, naming the file and the columns
read, where they stored nothing and exited 0 (ingest) or said its metrics were none."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_ingest_eval_tables import RUNS, with_runs

from scalinglab.store import RunStore

_cli = functools.partial(cli, one_line=True)

HINT = (
    "hint: write each score as a number (0.55, or 55%): a text metric (an alias) is left out, "
    "so a table of text alone holds no evaluations"
)


def _long(path: Path) -> Path:
    rows = [f"{r},piqa,alias,PIQA\n{r},piqa,acc,good" for r in RUNS["run"]]
    path.write_text("run,task,metric,value\n" + "\n".join(rows) + "\n")
    return path


def test_a_long_table_of_text_alone_is_refused_by_ingest_and_downstream(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store, path = with_runs(capsys, tmp_path), _long(tmp_path / "evals.csv")
    said = (
        f"error: {path}, column 'value': no score is a number: every value (metrics 'alias', "
        f"'acc') is text ('PIQA') {HINT}"
    )
    assert _cli(capsys, "ingest", str(path), "--store", str(store)) == (2, "", said)
    assert RunStore(store).evals().empty
    runs = tmp_path / "runs.csv"  # written by with_runs
    code, _, err = _cli(capsys, "downstream", "fit", str(path), "--runs", str(runs))
    assert (code, err) == (2, said)


def test_a_wide_table_of_text_alone_is_refused_naming_its_columns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store, path = with_runs(capsys, tmp_path), tmp_path / "wide.csv"
    RUNS[["run"]].assign(acc_piqa="good", acc_arc_easy="bad").to_csv(path, index=False)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {path}: no score is a number: every value of columns 'acc_piqa', "
        f"'acc_arc_easy' (metric 'acc') is text ('good') {HINT}"
    )
    assert RunStore(store).evals().empty


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("run,task,metric,value\n", "the file has a header but no data rows"),
        ("run,acc_piqa\n", "the file has a header but no data rows"),
        ("run,task,metric,value\na,piqa,acc,\nb,piqa,acc,\n", "every score (2) is blank"),
        ("run,acc_piqa\na,\n", "every score (1) is blank"),
    ],
)
def test_an_evaluation_table_without_a_score_is_refused_by_ingest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, why: str
) -> None:
    """It said 'read 0 score(s) ... nothing stored' and an empty tasks line, exit 0."""
    store, path = with_runs(capsys, tmp_path), tmp_path / "empty.csv"
    path.write_text(text)
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {path}: no evaluations: {why} hint: add the scores: ")
    assert RunStore(store).evals().empty
