"""A column no command reads as a number does not refuse the file: an fp16 ``loss_scale``
(``65,536``, ``64K``) is no loss, and a covariate with a comma the file does not settle
(``batch_size`` of ``1,024``) is kept as text with a note, refused only where a law or a rule
reads it as numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab._errors import DataError
from scalinglab.data import read_runs
from scalinglab.data._plain_numbers import is_loss_name

_SIZES = [("10M", "200M"), ("20M", "400M"), ("40M", "800M"), ("80M", "1.6B"), ("160M", "3.2B")]
_LOSSES = [4.0, 3.7, 3.45, 3.25, 3.1]


def _write(path: Path, column: str, cells: list[str]) -> Path:
    rows = [f"run,params,tokens,loss,{column}"] + [
        f'r{k},{n},{d},{loss},"{cell}"'
        for k, ((n, d), loss, cell) in enumerate(zip(_SIZES, _LOSSES, cells, strict=True))
    ]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize(
    ("name", "loss"),
    [
        ("loss", True), ("val_loss", True), ("loss_c4_val", True), ("eval/loss", True),
        ("train_loss", True), ("Val Loss", True), ("eval/loss_c4", True), ("val_loss_c4", True),
        ("loss_scale", False), ("loss-scale", False), ("train/loss_scale", False),
        ("loss_weight", False), ("loss_scaler", False), ("lossless", False),
    ],
)  # fmt: skip
def test_a_loss_is_named_by_loss_at_an_end_or_as_a_word(name: str, loss: bool) -> None:
    assert is_loss_name(name) is loss


@pytest.mark.parametrize(
    ("cells", "read"),
    [(["64K", "64K", "32K", "64K", "64K"], 32000.0), (["65,536", "65,536", "32,768"] * 2, None)],
)
def test_a_loss_scale_column_does_not_refuse_the_runs(
    tmp_path: Path, cells: list[str], read: float | None
) -> None:
    table = read_runs(_write(tmp_path / "r.csv", "loss_scale", cells[:5]))
    if read is None:  # 65,536: a comma the file does not settle, kept as text
        assert table.labels["loss_scale"][2] == "32,768"
    else:
        assert table["loss_scale"][2] == read


def test_a_covariate_s_unsettled_comma_keeps_it_as_text_with_a_note(tmp_path: Path) -> None:
    path = _write(tmp_path / "bs.csv", "batch_size", ["1,024", "1,024", "2,048", "2,048", "4,096"])
    table = read_runs(path)
    assert table.labels["batch_size"] == ("1,024", "1,024", "2,048", "2,048", "4,096")
    assert [n for n in table.notes if "batch_size" in n] == [
        "column 'batch_size' read as text: '1,024' may be a decimal comma (1.024) or a digit "
        "group (1024), and no number in the file settles which; to read it as numbers, save "
        "the table with '.' as the decimal mark and no digit grouping (the spreadsheet's "
        "language or region setting, or its number format)"
    ]
    assert len(table.where("batch_size", "2,048")) == 2  # --where compares it as written


def test_an_eval_loss_with_a_comma_is_still_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "val_loss", ["3,125", "3,000", "2,900", "2,800", "2,700"])
    with pytest.raises(DataError, match="column 'val_loss': loss '3,125' has a comma"):
        read_runs(path)


def test_fit_reads_runs_with_an_unread_comma_covariate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path / "bs.csv", "batch_size", ["1,024", "1,024", "2,048", "2,048", "4,096"])
    code, out, _ = cli(capsys, "fit", str(path), "--law", "E + A*N**-alpha", "--bootstrap", "0")
    assert code == 0 and "column 'batch_size' read as text" in out


def test_a_law_reading_the_comma_column_is_refused_with_its_readings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path / "bs.csv", "batch_size", ["1,024", "1,024", "2,048", "2,048", "4,096"])
    law = ("--law", "E + A*U**-alpha", "--x", "U=batch_size", "--bootstrap", "0")
    code, _, err = cli(capsys, "fit", str(path), *law, one_line=True)
    assert code == 2
    assert err.startswith(
        f"error: {path}, column 'batch_size': law 'E + A*U**-alpha' needs column 'batch_size' "
        "for U as numbers, and the runs hold it as text: '1,024' may be a decimal comma (1.024) "
        "or a digit group (1024), and no number in the file settles which hint: to read it as "
        "numbers, save the table"
    )


def test_a_holdout_rule_on_the_comma_column_is_refused_with_its_readings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path / "bs.csv", "batch_size", ["1,024", "1,024", "2,048", "2,048", "4,096"])
    args = ("backtest", str(path), "--law", "E + A*N**-alpha", "--holdout", "batch_size>=4096")
    code, _, err = cli(capsys, *args, one_line=True)
    assert code == 2
    assert (
        "compares column 'batch_size' as numbers, and the runs hold it as text: '1,024' may be "
        "a decimal comma (1.024) or a digit group (1024)" in err
    )
