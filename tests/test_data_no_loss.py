"""A run whose loss cell holds no value (blank, ``-``, ``N/A``, a JSON ``null``, a DataFrame's
``None`` or ``pd.NA``) is skipped with one note naming the first three and a count, as
``ingest`` skips it; a NaN or ``inf`` written as a number is a diverged run, refused with the
``--drop-outliers`` hint as before. A float NaN in a DataFrame is such a number."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import fit
from scalinglab._errors import DataError
from scalinglab.data import read_runs

_PARAMS = [1e7 * 2**i for i in range(10)]
_LOSS = [4.0, 3.7, 3.45, 3.25, 3.1, 2.98, 2.9, 2.83, 2.77, 2.72]


def _csv(path: Path, cells: dict[int, str]) -> Path:
    """Ten runs, the loss of run ``k`` written as ``cells[k]`` where given."""
    lines = ["run,params,tokens,loss"]
    for k, (n, loss) in enumerate(zip(_PARAMS, _LOSS, strict=True)):
        lines.append(f"r{k},{n:g},{20 * n:g},{cells.get(k, f'{loss:g}')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_blank_dash_and_na_loss_cells_are_skipped_with_one_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _csv(tmp_path / "runs.csv", {2: "", 4: "-", 6: "N/A", 7: " n/a ", 8: "NA"})
    code, out, err = cli(capsys, "fit", str(path), "--law", "E + A*N**-alpha", "--bootstrap", "0")
    assert code == 0, err
    said = [line for line in (out + err).splitlines() if "without a loss" in line]
    assert said == [
        "note: 5 runs without a loss skipped (no value of 'loss': a blank, '-', 'N/A' or "
        "null cell): 'r2' (row 4), 'r4' (row 6), 'r6' (row 8) and 2 more"
    ]
    assert "data: " + str(path) + " (5 runs)" in out
    table = read_runs(path)
    assert table.runs == ("r0", "r1", "r3", "r5", "r9") and table.excluded == ()


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf"])
def test_a_nan_or_inf_written_as_a_number_is_still_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cell: str
) -> None:
    path = _csv(tmp_path / "runs.csv", {3: cell, 5: ""})
    code, _, err = cli(capsys, "fit", str(path), one_line=True)
    shown = "missing or NaN" if cell.lower() == "nan" else "inf (diverged)"
    assert code == 2
    assert err.startswith(
        f"error: {path}, row 5, column 'loss': run without a usable loss (diverged?): run 'r3' "
        f"(row 5): loss is {shown} hint: pass --drop-outliers"
    )


def test_every_loss_blank_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv", dict.fromkeys(range(10), ""))
    with pytest.raises(DataError) as info:
        read_runs(path)
    assert info.value.message == (
        f"{path}, column 'loss': no run has a loss: every cell of column 'loss' is empty "
        "(or '-', 'N/A')"
    )
    assert info.value.hint == "fill in the losses, or read the loss from another column: y=COLUMN"


def test_a_json_null_is_no_value_and_its_nan_a_diverged_run(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    rows = [f'{{"run": "r{k}", "params": {n:g}, "tokens": {20 * n:g}, "loss": {loss:g}}}'
            for k, (n, loss) in enumerate(zip(_PARAMS, _LOSS, strict=True))]  # fmt: skip
    path.write_text("\n".join([*rows[:9], rows[9].replace("2.72", "null")]) + "\n")
    assert read_runs(path).runs == tuple(f"r{k}" for k in range(9))
    path.write_text("\n".join([*rows[:9], rows[9].replace("2.72", "NaN")]) + "\n")
    with pytest.raises(DataError, match=re.escape("run 'r9' (row 10): loss is missing or NaN")):
        read_runs(path)


def _frame(loss: object) -> pd.DataFrame:
    return pd.DataFrame({"params": _PARAMS, "tokens": [20 * n for n in _PARAMS], "loss": loss})


@pytest.mark.parametrize(
    "loss",
    [
        pd.Series([*_LOSS[:9], None], dtype=object),
        pd.array([*_LOSS[:9], None], dtype="Float64"),
        pd.Series([*_LOSS[:9], pd.NA], dtype=object),
    ],
    ids=["object None", "Float64 NA", "object NA"],
)
def test_a_frame_s_none_or_na_loss_is_skipped(loss: object) -> None:
    result = fit("E + A*N**-alpha", _frame(loss), bootstrap=0)
    assert result.n_runs == 9
    assert any(n.startswith("1 run without a loss skipped") for n in result.notes)


@pytest.mark.parametrize(
    "loss",
    [[*_LOSS[:9], np.nan], pd.Series([*_LOSS[:9], float("nan")], dtype=object)],
    ids=["float64 NaN", "object NaN"],
)
def test_a_frame_s_float_nan_loss_is_a_diverged_run(loss: object) -> None:
    with pytest.raises(
        DataError, match=re.escape("run 'row10' (row df.iloc[9]): loss is missing or NaN")
    ):
        fit("E + A*N**-alpha", _frame(loss), bootstrap=0)
