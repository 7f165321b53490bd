"""A size cell may carry its own unit word where it names the column's quantity (``10B
tokens``, ``70M params``, ``3e21 FLOPs``; singular or plural, any case), as ``--compute
1e24 FLOPs`` reads one; the word of another quantity (``10B params`` among the tokens) is
refused in one line naming the row and column. ``fit`` refused every such cell as "not a
number"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import refused

from scalinglab import read_runs
from scalinglab._errors import DataError

HEAD = "run,params,tokens,flops,loss\n"


def _csv(tmp_path: Path, rows: str, head: str = HEAD) -> Path:
    path = tmp_path / "runs.csv"
    path.write_text(head + rows)
    return path


def test_a_size_cell_reads_its_own_unit_word(tmp_path: Path) -> None:
    rows = (
        "a,70M params,20B tokens,8.4e18 FLOPs,3.1\n"
        "b,1.2B Parameters,20 B Tokens,1.44e20 flop,2.6\n"
        "c,300m param,20bTOKEN,3.6E19FLOPS,2.8\n"
        "d,150M,10B,9e18,2.9\n"
    )
    table = read_runs(_csv(tmp_path, rows))
    np.testing.assert_allclose(table["params"], [7e7, 1.2e9, 3e8, 1.5e8])
    np.testing.assert_allclose(table["tokens"], [2e10, 2e10, 2e10, 1e10])
    np.testing.assert_allclose(table["flops"], [8.4e18, 1.44e20, 3.6e19, 9e18])
    assert "column 'tokens': human-readable numbers read (e.g. '20B tokens' as 2e10)" in (
        table.notes
    )


@pytest.mark.parametrize(
    ("cell", "said", "column", "number"),
    [("10B params", "params", "tokens", "10B"), ("70M tokens", "tokens", "params", "70M"),
     ("1e21 tokens", "tokens", "flops", "1e21")],
)  # fmt: skip
def test_another_quantitys_word_is_refused_naming_row_and_column(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    cell: str,
    said: str,
    column: str,
    number: str,
) -> None:
    """The hint writes the cell's own number, not a fixed 10B."""
    cells = {"params": "70M", "tokens": "20B", "flops": "8.4e18"}
    path = _csv(tmp_path, "a,150M,10B,9e18,2.9\nb,{params},{tokens},{flops},3.1\n".format(
        **{**cells, column: cell}))  # fmt: skip
    error, hint = refused(capsys, ["fit", str(path)])
    assert error == (
        f"error: {path}, row 3, column {column!r}: {cell!r} is a count of {said}, and this "
        f"column is read as {column}"
    )
    assert hint == (
        f"hint: write the {column} there ({number} or {number} {column}), or read {column} "
        "from the column that holds them"
    )


def test_a_word_alone_is_still_no_number(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="'many tokens' is not a number"):
        read_runs(_csv(tmp_path, "a,70M,many tokens,8.4e18,3.1\n"))


def test_a_word_is_no_unit_under_a_header_that_gives_one(tmp_path: Path) -> None:
    """``20 tokens`` under ``Tokens (B)`` is 20 billion: the word names the quantity, and
    its t is no trillion (a cell's own unit, which the header's would not scale)."""
    head = "run,Params (M),Tokens (B),loss\n"
    table = read_runs(_csv(tmp_path, "a,70,20 tokens,3.1\nb,150 params,10,2.9\n", head))
    np.testing.assert_allclose(table["tokens"], [2e10, 1e10])
    np.testing.assert_allclose(table["params"], [7e7, 1.5e8])


def test_a_curve_files_sizes_read_the_word_too(tmp_path: Path) -> None:
    """One rule for every table: a loss-curve file's params column as a run table's."""
    from scalinglab import read_lr_curves

    path = tmp_path / "curves.csv"
    path.write_text(
        "run,step,loss,lr,params\na,1,4.0,0.001,70M params\na,2,3.5,0.001,70M params\n"
        "b,1,4.1,0.001,1.2B Parameters\nb,2,3.4,0.001,1.2B Parameters\n"
    )
    assert "N 70M-1.2B" in repr(read_lr_curves(path))
