"""An evaluation table saved as ``.csv`` with semicolons or tabs (a spreadsheet set to a
language whose decimal mark is a comma) is split by its header's separator, as a run table
is: by ``downstream`` and by ``ingest``'s detection; a decimal comma there is refused."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_downstream_evals_read import small
from tests.test_ingest_eval_tables import long_table, with_runs

from scalinglab import DataError
from scalinglab.downstream import read_evals, read_store_evals
from scalinglab.ingest import detect_kind

_cli = functools.partial(cli, one_line=True)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_a_csv_of_semicolons_or_tabs_is_read_as_evaluations(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "evals.csv"
    small().to_csv(path, index=False, sep=sep)
    evals = read_evals(path)
    assert set(evals.tasks) == set(read_evals(small()).tasks)
    np.testing.assert_allclose(evals.accuracy("task"), small()["acc_task"])


# tabs are read as the test above reads them; their whole ingest runs with -m heavy
@pytest.mark.parametrize("sep", [";", pytest.param("\t", marks=pytest.mark.heavy)])
def test_a_long_csv_of_semicolons_or_tabs_is_ingested_as_evaluations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sep: str
) -> None:
    store = with_runs(capsys, tmp_path)
    path = tmp_path / "long.csv"
    long_table().to_csv(path, index=False, sep=sep)
    assert detect_kind(path) == "evals"
    code, out, err = _cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert f"read 16 scores of 4 models on 2 tasks from {path} (evals)" in " ".join(out.split())
    assert set(read_store_evals(store).tasks) == {"piqa", "arc_easy"}


def test_a_decimal_comma_beside_semicolons_is_refused_by_its_row(tmp_path: Path) -> None:
    path = tmp_path / "evals.csv"
    path.write_text("run;task;metric;value\nr1;piqa;acc;0.5\nr2;piqa;acc;0,55\n")
    with pytest.raises(DataError) as info:
        read_evals(path)
    assert str(info.value).startswith(
        f"{path}, row 3, column 'value': '0,55' has a comma in a number, in a file separated "
        "by semicolons"
    )
