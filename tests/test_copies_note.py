"""Runs that repeat another run's params, tokens and loss to the last digit under another
name (one table saved twice, or ingested from two files) get one note: a fit counts copies
as independent evidence, and its intervals come out too narrow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import read_runs
from scalinglab.data._copies import copies

_SIZES = [(n, d) for n in (2e7, 5e7, 1.25e8, 3.5e8) for d in (20 * n, 40 * n, 80 * n)]


def _loss(n: float, d: float) -> float:
    return 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28


def _table(path: Path, extra: list[str]) -> Path:
    rows = [f"r{k},{n:g},{d:g},{_loss(n, d)!r}" for k, (n, d) in enumerate(_SIZES)]
    path.write_text("\n".join(["run,params,tokens,loss", *rows, *extra]) + "\n")
    return path


def test_copies_under_other_names_are_noted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # row3 copies r3; a copy written to 6 digits is the same run (to its last digit)
    n3, d3 = _SIZES[3]
    n5, d5 = _SIZES[5]
    path = _table(
        tmp_path / "runs.csv",
        [f"row3,{n3:g},{d3:g},{_loss(n3, d3)!r}", f"short5,{n5:g},{d5:g},{_loss(n5, d5):.6g}"],
    )
    note = (
        "2 runs repeat another run's params, tokens and loss exactly (to the last digit; "
        "e.g. row3 = r3, short5 = r5): copies of one run count as independent evidence and "
        "narrow the intervals; remove the copies"
    )
    assert read_runs(path).notes[-1] == note
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0")
    assert code == 0, err
    assert f"note: {note}" in " ".join(out.split())


def test_the_note_counts_the_runs_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``--where`` keeps runs before they are screened: a copy left out is not counted, and
    a table screened again (a store's runs, narrowed) says its own count, once."""
    from scalinglab.data._outliers import screen

    rows = [f"r{k},a,{n:g},{d:g},{_loss(n, d)!r}" for k, (n, d) in enumerate(_SIZES)]
    n, d = _SIZES[0]
    path = tmp_path / "runs.csv"
    path.write_text(
        "\n".join(["run,dataset,params,tokens,loss", *rows, f"copy,b,{n:g},{d:g},{_loss(n, d)!r}"])
        + "\n"
    )
    table = read_runs(path)
    assert sum("copies of one run" in note for note in table.notes) == 1
    kept = screen(table.where("dataset", "a"), drop=False)
    assert not any("copies of one run" in note for note in kept.notes)
    code, out, err = cli(capsys, "fit", str(path), "--where", "dataset=a", "--bootstrap", "0")
    assert code == 0, err
    assert "copies of one run" not in out


def test_near_runs_are_not_copies(tmp_path: Path) -> None:
    n, d = _SIZES[0]
    loss = _loss(n, d)
    path = _table(
        tmp_path / "runs.csv",
        [
            f"other_tokens,{n:g},{d * 1.01:g},{loss!r}",  # another size: another run
            f"seed2,{n:g},{d:g},{loss * (1 + 1e-9)!r}",  # a loss a digit away
            f"coarse,{n:g},{d:g},{loss:.3g}",  # three digits: too few to call it a copy
        ],
    )
    runs = read_runs(path)
    assert copies(runs) == []
    assert not any("copies of one run" in note for note in runs.notes)


def test_the_same_loss_to_every_digit_is_a_copy_however_short(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("run,params,tokens,loss\na,1e8,2e9,3.1\nb,1e8,2e9,3.1\nc,2e8,4e9,2.9\n")
    assert copies(read_runs(path)) == [(1, 0)]
    assert (
        read_runs(path)
        .notes[-1]
        .startswith(
            "1 run repeats another run's params, tokens and loss exactly (to the last digit; "
            "e.g. b = a): "
        )
    )


def test_a_table_without_run_names_says_it_once(tmp_path: Path) -> None:
    """Rows named by their row already get the reader's note of rows repeating another."""
    path = tmp_path / "runs.csv"
    path.write_text("params,tokens,loss\n1e8,2e9,3.1\n1e8,2e9,3.1\n2e8,4e9,2.9\n")
    notes = read_runs(path).notes
    assert sum("1 row repeats another" in n for n in notes) == 1
    assert not any("copies of one run" in n for n in notes)


def test_runs_of_a_sweep_at_other_learning_rates_are_not_copies(tmp_path: Path) -> None:
    """Step Law's sweep has two runs of one size whose losses agree to 6 digits
    (2.45221 and 2.452209): at two learning rates and batches, they are two runs."""
    path = tmp_path / "sweep.csv"
    path.write_text(
        "run,params,tokens,lr,bs,loss\n"
        "a,536872960,1e10,0.003906,256,2.45221\n"
        "b,536872960,1e10,0.0009766,1024,2.452209\n"
        "c,536872960,1e10,0.0009766,1024,2.452209\n"  # b again, under another name
    )
    runs = read_runs(path)
    assert [(runs.runs[c], runs.runs[o]) for c, o in copies(runs)] == [("c", "b")]


def test_runs_with_no_size_column_are_compared_on_their_other_columns() -> None:
    """Runs of a law of another variable, read with x={"U": "width"}, have no params,
    tokens nor flops: their copies are found on the columns they have (was: "no column
    'flops'" from the copies check, before any backtest or fit)."""
    import pandas as pd

    from scalinglab.data._readers import to_table

    frame = pd.DataFrame(
        {"run": ["a", "b", "c", "d"], "width": [1.0, 2.0, 4.0, 2.0], "loss": [3.0, 2.5, 2.2, 2.5]}
    )
    table = to_table(frame, x={"U": "width"})
    assert copies(table) == [(3, 1)]
    assert (
        "1 run repeats another run's width and loss exactly (to the last digit; e.g. d = b)"
    ) in " ".join(table.notes)


def _width_table(path: Path, extra: str = "") -> Path:
    rows = [f"r{k},{w},{1.5 + 30 * w**-0.5!r}" for k, w in enumerate(2**k for k in range(6, 14))]
    path.write_text("\n".join(["run,width,loss", *rows]) + "\n" + extra)
    return path


def test_a_law_of_mapped_columns_fits_named_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A table with no size column (its law reads ``--x U=width``) is compared for copies on
    the columns it has: the fit is not refused for a flops column it never needed."""
    path = _width_table(tmp_path / "wd.csv")
    law = "E + A*U**-a"
    code, out, err = cli(
        capsys, "fit", str(path), "--law", law, "--x", "U=width", "--bootstrap", "0"
    )
    assert code == 0, err
    assert "no column 'flops'" not in err
    assert "copies of one run" not in out


def test_copies_of_a_table_without_sizes_are_compared_on_its_columns(tmp_path: Path) -> None:
    from scalinglab.data._readers import to_table

    path = _width_table(tmp_path / "wd.csv", f"copy,128,{1.5 + 30 * 128**-0.5!r}\n")
    table = to_table(path, x={"U": "width"})
    assert [(table.runs[c], table.runs[o]) for c, o in copies(table)] == [("copy", "r1")]
    assert table.notes[-1].startswith(
        "1 run repeats another run's width and loss exactly (to the last digit; e.g. copy = r1)"
    )
    only_loss = replace(table, columns={"loss": table["loss"]})
    assert copies(only_loss) == []
