"""Every table reads numbers by the run table's two rules (``data/_plain_numbers.py``): a loss
is a plain number, and a single comma group (``5,006``) is read as digits only where the file
shows grouping. Curve files read ``4,102`` losses as 4102, and their sizes' ``5,006`` silently
as 5006; a loss-to-loss table's text loss column was told to write a size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scalinglab._errors import DataError
from scalinglab.cli import main
from scalinglab.data._curves import read_curves
from scalinglab.data._plain_numbers import LOSS_HINT

COMMA_LOSS = "loss '4,102' has a comma: a decimal comma (4.102) or a digit group (4102)"


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 2 and out == "", err
    return err.splitlines()


@pytest.mark.parametrize(
    ("name", "text", "command", "column"),
    [
        (  # curves fit: read each cell with float(), told only "write a number"
            "curve.csv",
            'run,step,loss,lr,params\na,100,"4,102",0.001,1e7\na,200,3.9,0.001,1e7\n',
            ["curves", "fit"],
            "loss",
        ),
        (  # the envelope: read 4,102 as 4102
            "envelope.csv",
            'run,tokens,eval_loss,params\na,100,"4,102",1e7\na,200,3.9,1e7\n',
            ["envelope"],
            "eval_loss",
        ),
        (
            "sweep.csv",
            'run,params,tokens,lr,batch,loss\na,1e7,2e8,1e-3,32,"4,102"\nb,1e7,2e8,2e-3,32,3.8\n',
            ["hparams", "fit"],
            "loss",
        ),
        (
            "evals.csv",
            'run,params,tokens,loss,acc_piqa\na,1e7,2e8,"4,102",0.6\nb,2e7,4e8,3.6,0.62\n',
            ["downstream", "fit"],
            "loss",
        ),
    ],
)
def test_a_comma_loss_is_refused_in_every_table(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    text: str,
    command: list[str],
    column: str,
) -> None:
    path = _write(tmp_path / name, text)
    err = _refused(capsys, *command, str(path))
    assert err[0] == f"error: {path}, row 2, column {column!r}: {COMMA_LOSS}, and a loss is " + (
        "written with neither"
    )
    assert err[1].startswith(f"hint: {LOSS_HINT}; save the table with '.' as the decimal mark")


def test_a_loss2loss_table_s_comma_losses_are_refused_with_the_loss_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = "".join(f"r{i},{1e7 * (i + 1)},2e9,{3 - i / 10},{4 - i / 10}\n" for i in range(5))
    path = _write(tmp_path / "l2l.csv", "run,params,tokens,loss_x,loss_y\n" + rows)
    comma = path.read_text().replace(",3.7\n", ',"3,700"\n')
    err = _refused(
        capsys, "loss2loss", "fit", str(_write(path, comma)), "--x", "loss_x", "--y", "loss_y"
    )
    assert err[0].endswith("row 5, column 'loss_y': loss '3,700' has a comma: a decimal comma "
                           "(3.700) or a digit group (3700), and a loss is written with neither")  # fmt: skip
    # a text cell makes loss_y a label column: its refusal said how to write a size
    text = comma.replace(",3.9\n", ",3.9x\n")
    err = _refused(
        capsys, "loss2loss", "fit", str(_write(path, text)), "--x", "loss_x", "--y", "loss_y"
    )
    assert err[0] == f"error: {path}, row 3, column 'loss_y': '3.9x' is not a number"
    assert err[1] == f"hint: {LOSS_HINT}; or choose another loss column: --y COLUMN"


def test_curve_sizes_read_a_comma_group_only_where_the_file_groups_digits(tmp_path: Path) -> None:
    grouped = _write(
        tmp_path / "grouped.csv",
        'run,tokens,loss,params\na,"5,006",3.9,"12,000,000"\na,"10,012",3.7,"12,000,000"\n',
    )
    curves = read_curves(grouped)
    np.testing.assert_array_equal(curves.tokens, [5006.0, 10012.0])
    np.testing.assert_array_equal(curves.params, [1.2e7, 1.2e7])
    alone = _write(tmp_path / "alone.csv", 'run,tokens,loss,params\na,"5,006",3.9,1.2e7\n')
    with pytest.raises(DataError) as err:
        read_curves(alone)
    assert err.value.message == (
        f"{alone}, row 2, column 'tokens': '5,006' may be a decimal comma (5.006) or a digit "
        "group (5006), and no number in the file settles which (digit groups are read only "
        "where a number is written as 1,234,567 or 1,234.5)"
    )


def test_a_runs_file_s_sizes_follow_the_comma_rule(tmp_path: Path) -> None:
    curve = _write(tmp_path / "curve.csv", "run,tokens,loss\na,100,3.9\na,200,3.7\n")
    runs = _write(tmp_path / "runs.csv", 'run,params\na,"1,500"\n')
    with pytest.raises(DataError, match=r"row 2, column 'params': '1,500' may be a decimal"):
        read_curves(curve, runs=runs)
    _write(runs, 'run,params\na,"1,500"\nb,"1,000,000"\n')
    np.testing.assert_array_equal(read_curves(curve, runs=runs).params, [1500.0, 1500.0])


def test_a_single_group_with_a_unit_is_refused_as_one_without(tmp_path: Path) -> None:
    from scalinglab import read_runs

    rows = "".join(
        f'{r},"{p}",200B,{loss}\n'
        for r, p, loss in (("a", "1,250M", 4.0), ("b", "2,500M", 3.7), ("c", "5,000M", 3.4))
    )
    path = _write(tmp_path / "runs.csv", "run,params,tokens,loss\n" + rows)
    with pytest.raises(DataError) as caught:
        read_runs(path)  # was read as 1.25e9 while 1,250 alone is refused
    assert str(caught.value).startswith(
        f"{path}, row 2, column 'params': '1,250M' may be a decimal comma (1.250M) or a digit "
        "group (1250M), and no number in the file settles which"
    )
    settled = _write(
        tmp_path / "grouped.csv", "run,params,tokens,loss\n" + rows + 'd,"1,000,000,000",200B,3.3\n'
    )
    assert read_runs(settled)["params"][0] == pytest.approx(1.25e9)


def test_a_decimal_comma_in_an_eval_loss_is_refused_not_kept_as_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``4,2`` in ``loss_openlm`` beside the loss read (``loss_c4_val``) was kept as a text
    label, quietly, in an evaluation table and a run table alike: it is a loss, refused as
    ``5,006`` there is, whichever loss column the command reads."""
    from scalinglab import read_runs
    from scalinglab.downstream import read_evals

    rows = [f"r{i},{1e7 * 2**i:g},{2e8 * 2**i:g},{3.9 - i / 10:.1f},{4.4 - i / 10:.1f},0.{6 + i}"
            for i in range(4)]  # fmt: skip
    rows[1] = rows[1].replace(",4.3,", ',"4,3",')
    path = _write(tmp_path / "evals.csv", "run,params,tokens,loss_c4_val,loss_openlm,acc_piqa\n"
                  + "\n".join(rows) + "\n")  # fmt: skip
    said = (
        f"{path}, row 3, column 'loss_openlm': loss '4,3' is written with a decimal comma "
        "(for 4.3), and a loss is a plain number"
    )
    for command in (
        ["downstream", "fit", str(path), "--via", "loss_c4_val", "--tasks", "piqa"],
        ["fit", str(path), "--y", "loss_c4_val"],
    ):
        err = _refused(capsys, *command)
        assert err[0] == f"error: {said}"
        assert err[1].startswith(f"hint: {LOSS_HINT}; save the table with '.' as the decimal mark")
    for read in (
        lambda: read_evals(path, loss="loss_c4_val"),
        lambda: read_runs(path, y="loss_c4_val"),
    ):
        with pytest.raises(DataError) as caught:
            read()
        assert caught.value.message == said
    # a column named as a loss that holds text is a label still, as is a decimal comma
    # in a column that is no loss
    _write(path, path.read_text().replace("loss_openlm", "loss_fn").replace('"4,3"', "xent"))
    table = read_runs(path, y="loss_c4_val")
    assert table.labels["loss_fn"][1] == "xent"
    _write(path, path.read_text().replace("loss_fn", "note").replace("xent", '"4,3"'))
    assert read_runs(path, y="loss_c4_val").labels["note"][1] == "4,3"
