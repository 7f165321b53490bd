"""A loss is a plain number, and a comma that may be a decimal mark is not guessed: a German
export's ``5,006`` (5.006) was read as 5006 with only a note, and ``3.1K`` as 3100."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab._errors import DataError
from scalinglab.data import read_runs


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _refusal(path: Path) -> DataError:
    with pytest.raises(DataError) as err:
        read_runs(path)
    return err.value


def test_a_decimal_comma_in_a_tab_file_s_loss_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "de.tsv", "run\tparams\ttokens\tloss\na\t1e7\t2e8\t5,006\n")
    err = _refusal(path)
    assert err.message == (
        f"{path}, row 2, column 'loss': loss '5,006' has a comma: a decimal comma (5.006) or "
        "a digit group (5006), and a loss is written with neither"
    )
    assert err.hint.startswith("write each loss as a plain number with '.' as its decimal mark")
    assert "no digit grouping" in err.hint and "y=COLUMN" in err.hint


def test_a_quoted_comma_loss_of_a_csv_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", 'run,params,tokens,loss\na,"1,000,000",2e8,"5,006"\n')
    assert "loss '5,006' has a comma" in _refusal(path).message


@pytest.mark.parametrize(("cell", "read"), [("3.1K", "3100"), ("1_000", "1000"), ("3M", "3e6")])
def test_a_loss_takes_no_unit_suffix_or_digit_separator(
    tmp_path: Path, cell: str, read: str
) -> None:
    path = _write(tmp_path / "r.csv", f"run,params,tokens,loss\na,1e7,2e8,3.2\nb,2e7,4e8,{cell}\n")
    err = _refusal(path)
    assert err.message == (
        f"{path}, row 3, column 'loss': loss {cell!r} would be read as {read}: a loss takes "
        "no unit suffix or digit separator"
    )
    assert "unit suffix K, M" not in err.hint and "decimal mark" not in err.hint.split(";")[1:]


def test_a_loss_that_is_no_number_gets_a_loss_hint(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "run,params,tokens,loss\na,1e7,2e8,oops\n")
    err = _refusal(path)
    assert "unit suffix" not in err.hint
    assert err.hint == (
        "write each loss as a plain number with '.' as its decimal mark (2.83, 2.83e0); "
        "or read loss from another column: y=COLUMN"
    )


def test_an_eval_loss_column_is_as_plain_as_the_loss(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "run,params,tokens,loss,val_loss_c4\na,1e7,2e8,3.2,3.1K\n")
    err = _refusal(path)
    assert err.message.endswith("column 'val_loss_c4': loss '3.1K' would be read as 3100: a "
                                "loss takes no unit suffix or digit separator")  # fmt: skip
    assert "another column" not in err.hint


def test_one_comma_group_in_a_column_read_as_numbers_is_refused_without_proof(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "r.tsv", "run\tparams\ttokens\tloss\na\t6,795\t2e8\t3.2\n")
    err = _refusal(path)
    assert err.message == (
        f"{path}, row 2, column 'params': '6,795' may be a decimal comma (6.795) or a digit "
        "group (6795), and no number in the file settles which (digit groups are read only "
        "where a number is written as 1,234,567 or 1,234.5)"
    )
    assert err.hint.startswith("save the table with '.' as the decimal mark")


def test_one_comma_group_in_a_covariate_keeps_it_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.tsv", "run\tparams\ttokens\tloss\tlr\na\t1e7\t2e8\t3.2\t6,795\n")
    table = read_runs(path)  # no command of these runs reads lr: refused where one does
    assert table.labels["lr"] == ("6,795",) and "lr" not in table.columns


def test_digit_groups_are_read_where_the_file_shows_them(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.tsv", "run\tparams\ttokens\tloss\tsteps\na\t6,795,600\t2e8\t3.2\t6,795\n"
    )
    table = read_runs(path)
    assert table["params"][0] == 6795600.0 and table["steps"][0] == 6795.0
