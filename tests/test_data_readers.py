"""Readers: every format, aliases, mappings, derived columns, labels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError
from scalinglab.data import CANONICAL, FORMATS, read_runs

RUNS = [
    {"run": "a", "params": 1e7, "tokens": 2e8, "loss": 4.0, "optimizer": "adam"},
    {"run": "b", "params": 3e7, "tokens": 6e8, "loss": 3.5, "optimizer": "adam"},
    {"run": "c", "params": 1e8, "tokens": 2e9, "loss": 3.1, "optimizer": "lion"},
]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_format(tmp_path: Path, ext: str) -> Path:
    frame = pd.DataFrame(RUNS)
    path = tmp_path / f"runs{ext}"
    if ext in (".csv", ".tsv", ".csv.gz", ".tsv.gz"):  # pandas gzips by the suffix
        frame.to_csv(path, index=False, sep="," if ext.startswith(".csv") else "\t")
    elif ext in (".parquet", ".pq"):
        frame.to_parquet(path)
    elif ext in (".jsonl", ".ndjson"):
        _write(path, "".join(json.dumps(r) + "\n" for r in RUNS))
    else:
        _write(path, json.dumps(RUNS, indent=2))
    return path


@pytest.mark.parametrize("ext", list(FORMATS))
def test_every_format_reads_the_same_table(tmp_path: Path, ext: str) -> None:
    table = read_runs(_write_format(tmp_path, ext))
    assert table.runs == ("a", "b", "c")
    assert table.source == str(tmp_path / f"runs{ext}")
    assert table["params"].tolist() == [1e7, 3e7, 1e8]
    assert table["loss"].dtype == np.float64
    assert table.labels["optimizer"] == ("adam", "adam", "lion")
    assert table.describe_source() == f"{tmp_path / f'runs{ext}'} (3 runs)"
    expected_rows = {".csv": (2, 3, 4), ".tsv": (2, 3, 4), ".jsonl": (1, 2, 3)}
    expected_rows[".csv.gz"] = expected_rows[".tsv.gz"] = (2, 3, 4)
    expected_rows[".ndjson"] = (1, 2, 3)
    assert table.rows == expected_rows.get(ext, (1, 2, 3))


def test_dataframe(tmp_path: Path) -> None:
    table = read_runs(pd.DataFrame(RUNS))
    assert table.source == "<DataFrame>"
    assert table.rows == (1, 2, 3)
    assert table.runs == ("a", "b", "c")


def test_path_object_and_string_agree(tmp_path: Path) -> None:
    path = _write_format(tmp_path, ".csv")
    assert read_runs(path).runs == read_runs(str(path)).runs


def test_flops_derived_as_6nd(tmp_path: Path) -> None:
    table = read_runs(pd.DataFrame(RUNS))
    np.testing.assert_allclose(table["flops"], 6.0 * table["params"] * table["tokens"], rtol=0)
    assert "flops derived as 6·N·D (column absent)" in table.notes
    assert tuple(table.columns)[:4] == CANONICAL


def test_tokens_derived_from_flops() -> None:
    frame = pd.DataFrame(
        {"params": [1e8, 2e8, 4e8], "flops": [6e18, 6e18, 6e18], "loss": [3, 2.9, 3]}
    )
    table = read_runs(frame)
    np.testing.assert_allclose(table["tokens"], 6e18 / (6 * table["params"]), rtol=1e-15)
    assert "tokens derived as C/(6N) (column absent)" in table.notes


def test_params_derived_from_flops_and_tokens() -> None:
    table = read_runs(pd.DataFrame({"tokens": [1e9, 2e9], "flops": [6e18, 6e18], "loss": [3, 2.9]}))
    np.testing.assert_allclose(table["params"], [1e9, 5e8], rtol=1e-15)
    assert any("params derived" in n for n in table.notes)


def test_given_columns_are_not_overwritten() -> None:
    frame = pd.DataFrame(
        {"params": [1.0, 2.0], "tokens": [1.0, 1.0], "flops": [7.0, 7.0], "loss": [2, 1]}
    )
    table = read_runs(frame)
    assert table["flops"].tolist() == [7.0, 7.0]
    assert not any("derived" in n for n in table.notes)


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("N", "params"),
        ("n_params", "params"),
        ("Num_Params", "params"),
        ("parameters", "params"),
        ("Model Size", "params"),
        ("model_size", "params"),
        ("nparams", "params"),
        ("D", "tokens"),
        ("n_tokens", "tokens"),
        ("num_tokens", "tokens"),
        ("tokens_seen", "tokens"),
        ("Training Tokens", "tokens"),
        ("C", "flops"),
        ("compute", "flops"),
        ("Training FLOP", "flops"),
        ("training_flops", "flops"),
        ("FLOP", "flops"),
        ("FLOPs", "flops"),
        ("L", "loss"),
        ("final_loss", "loss"),
        ("train_loss", "loss"),
        ("eval_loss", "loss"),
        ("val_loss", "loss"),
    ],
)
def test_aliases(header: str, canonical: str) -> None:
    base = {"params": [1e7, 2e7], "tokens": [1e9, 2e9], "loss": [3.0, 2.9]}
    base[header] = base.pop(canonical, [5e18, 6e18])
    table = read_runs(pd.DataFrame(base))
    assert table.has(canonical)
    assert table[canonical].tolist() == base[header]
    if header != canonical:
        assert f"column {header!r} read as {canonical}" in table.notes


def test_exact_name_wins_over_alias() -> None:
    frame = pd.DataFrame(
        {"N": [5.0, 6.0], "params": [1e7, 2e7], "tokens": [1e9, 1e9], "loss": [3, 2]}
    )
    table = read_runs(frame)
    assert table["params"].tolist() == [1e7, 2e7]
    assert table["N"].tolist() == [5.0, 6.0]  # kept as an ordinary column
    assert not any("read as params" in n for n in table.notes)


def test_mapping(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "name,size,toks,loss,val\na,1e7,1e9,9,3.0\nb,2e7,1e9,9,2.9\n")
    table = read_runs(path, columns={"loss": "val", "params": "size", "tokens": "toks"})
    assert table["loss"].tolist() == [3.0, 2.9]
    assert table["params"].tolist() == [1e7, 2e7]
    assert "column 'val' read as loss (as mapped)" in table.notes
    assert "column 'loss' ignored: loss is read from 'val'" in table.notes
    assert "run ids read from column 'name'" in table.notes
    assert table.runs == ("a", "b")


def test_mapping_other_column_and_run_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "r.csv",
        "model,params,tokens,loss,learning_rate\nx,1e7,1e9,3,0.001\ny,2e7,1e9,2.9,3e-4\n",
    )
    table = read_runs(path, columns={"lr": "learning_rate"}, run_column="model")
    assert table.runs == ("x", "y")
    assert table["lr"].tolist() == [0.001, 3e-4]
    assert not table.has("learning_rate")


def test_human_units_in_csv(tmp_path: Path) -> None:
    # 1,000M is 1000M only where the file groups digits (1,400,000,000), as 1,000 is
    text = 'run,params,tokens,loss\na,70M,"1,400,000,000",3.0\nb,"1,000M",2T,2.5\n'
    table = read_runs(_write(tmp_path / "r.csv", text))
    assert table["params"].tolist() == [7e7, 1e9]
    assert table["tokens"].tolist() == [1.4e9, 2e12]
    assert any("human-readable numbers read (e.g. '70M' as 7e7)" in n for n in table.notes)


def test_rows_are_file_lines_with_blank_lines_and_multiline_cells(tmp_path: Path) -> None:
    text = 'run,params,tokens,loss,comment\n\na,1e7,1e9,3.0,"two\nlines"\nb,2e7,1e9,2.9,x\n'
    table = read_runs(_write(tmp_path / "r.csv", text))
    assert table.rows == (3, 5)
    assert table.labels["comment"] == ("two\nlines", "x")


def test_no_run_column_names_runs_by_row(tmp_path: Path) -> None:
    table = read_runs(_write(tmp_path / "r.csv", "params,tokens,loss\n1e7,1e9,3\n2e7,1e9,2.9\n"))
    assert table.runs == ("row2", "row3")
    assert any("no run-id column" in n for n in table.notes)


def test_missing_run_ids_fall_back_to_row(tmp_path: Path) -> None:
    table = read_runs(
        _write(tmp_path / "r.csv", "run,params,tokens,loss\n,1e7,1e9,3\nb,2e7,1e9,2.9\n")
    )
    assert table.runs == ("row2", "b")


def test_numeric_ids_from_dataframe() -> None:
    table = read_runs(
        pd.DataFrame({"id": [1, 2], "params": [1e7, 2e7], "tokens": [1e9, 1e9], "loss": [3, 2]})
    )
    assert table.runs == ("1", "2")


def test_text_columns_become_labels_partly_numeric_too(tmp_path: Path) -> None:
    text = "run,params,tokens,loss,lr,opt\na,1e7,1e9,3,1e-3,adam\nb,2e7,1e9,2.9,auto,\n"
    table = read_runs(_write(tmp_path / "r.csv", text))
    assert table.labels["lr"] == ("1e-3", "auto")
    assert table.labels["opt"] == ("adam", "")
    assert not table.has("lr")


def test_jsonl_skips_blank_lines_and_unions_keys(tmp_path: Path) -> None:
    text = (
        '{"run": "a", "params": 1e7, "tokens": 1e9, "loss": 3}\n'
        "\n"
        '{"run": "b", "params": 2e7, "tokens": 1e9, "loss": 2.9, "seed": 1}\n'
    )
    table = read_runs(_write(tmp_path / "r.jsonl", text))
    assert table.rows == (1, 3)
    assert np.isnan(table["seed"][0])
    assert table["seed"][1] == 1.0


def test_bool_and_nullable_dataframe_columns() -> None:
    frame = pd.DataFrame(
        {
            "params": pd.array([10_000_000, 20_000_000], dtype="Int64"),
            "tokens": [1e9, 1e9],
            "loss": [3.0, 2.9],
            "mup": [True, False],
            "tag": pd.array(["x", None], dtype="string"),
        }
    )
    table = read_runs(frame)
    assert table["params"].dtype == np.float64
    assert table.labels["mup"] == ("True", "False")
    assert table.labels["tag"] == ("x", "")


def test_bom_and_whitespace_in_header(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffrun , params,tokens,loss\na,1e7,1e9,3\nb,2e7,1e9,2.9\n".encode())
    assert read_runs(path).runs == ("a", "b")


def test_to_pandas_round_trip() -> None:
    table = read_runs(pd.DataFrame(RUNS))
    frame = table.to_pandas()
    assert list(frame.columns[:5]) == ["run", "params", "tokens", "flops", "loss"]
    assert frame["optimizer"].tolist() == ["adam", "adam", "lion"]
    again = read_runs(frame)
    assert again.runs == table.runs
    np.testing.assert_array_equal(again["flops"], table["flops"])


def test_mapping_a_conventional_run_column_makes_it_a_value(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", "run,name,tokens,loss\na,1e7,1e9,3\nb,2e7,1e9,2.9\n")
    table = read_runs(path, columns={"params": "name"})
    assert table.runs == ("a", "b")
    assert table["params"].tolist() == [1e7, 2e7]
    path = _write(tmp_path / "s.csv", "name,tokens,loss\n1e7,1e9,3\n2e7,1e9,2.9\n")
    assert read_runs(path, columns={"params": "name"}).runs == ("row2", "row3")


@pytest.mark.parametrize(
    ("scale", "convention", "noted"),
    [
        (1.0, "as given in the data (column 'flops'): 6·N·D to within 2% (median ratio 1)", False),
        (
            1.04,
            "as given in the data (column 'flops'), counted as its source did: 1.04× 6·N·D",
            False,
        ),
        (
            1.25,
            "as given in the data (column 'flops'), counted as its source did: 1.25× 6·N·D",
            True,
        ),
    ],
)
def test_a_given_flops_column_is_measured_against_6nd(
    scale: float, convention: str, noted: bool
) -> None:
    """A file whose FLOPs are exact counts (1.25× here) is said to be: plans from a fit of it
    count C as it does (they counted C = 6·N·D and said to divide a budget by 1.25)."""
    n = np.array([1e8, 3e8, 1e9, 3e9])
    d = 20 * n
    frame = pd.DataFrame({"params": n, "tokens": d, "flops": scale * 6 * n * d, "loss": 3.0})
    table = read_runs(frame)
    assert table.flops_convention == convention
    said = [m for m in table.notes if "budgets in this file's FLOPs" in m]
    if noted:
        assert said == [
            "column 'flops' holds 1.25× 6·N·D: plans and predictions from a fit of N and D "
            "count C as it does (C = 6·N·D·r(N), r read off the fitted runs: a constant, "
            "1 + k·N^p where it follows one, else their median ratio; plan prints the fit's "
            "as 'FLOPs counted as'), so give budgets in this file's FLOPs"
        ]
    else:
        assert said == []


def test_a_law_of_the_flops_column_drops_the_note_on_counting_budgets() -> None:
    """A law of C plans in the column's own FLOPs (its plan says so), with no ratio to 6·N·D
    to count budgets by; a law of N and D keeps the note."""
    from scalinglab import fit

    n = np.geomspace(1e8, 3e9, 12)
    d = 20 * n
    c = 1.25 * 6 * n * d
    frame = pd.DataFrame({"params": n, "tokens": d, "flops": c, "loss": 1.8 + 900 * c**-0.15})
    of_c = fit("power-law:flops", frame, bootstrap=0)
    assert not any("budgets in this file's FLOPs" in m for m in of_c.notes)
    of_nd = fit("E + A*N**-alpha", frame, bootstrap=0)
    assert any("count C as it does (C = 6·N·D·r(N), r read" in m for m in of_nd.notes)


def test_tokens_derived_from_flops_say_so_in_the_convention() -> None:
    n = np.array([1e8, 3e8, 1e9])
    table = read_runs(pd.DataFrame({"params": n, "flops": 120 * n**2, "loss": 3.0}))
    assert table.flops_convention == (
        "as given in the data (column 'flops'); tokens derived from it as D = C/(6N), so C = 6·N·D"
    )


def test_flops_alone_are_taken_as_given() -> None:
    frame = pd.DataFrame({"flops": [1e18, 1e19, 1e20], "loss": [3.0, 2.8, 2.6]})
    table = read_runs(frame)
    assert (
        table.flops_convention == "as given in the data (column 'flops'), counted as its source did"
    )


@pytest.mark.parametrize(("sep", "word"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_a_csv_separated_otherwise_is_read_by_its_header(
    tmp_path: Path, sep: str, word: str
) -> None:
    """A spreadsheet set to a language whose decimal mark is a comma saves ``params;tokens``
    in a .csv: read by the separator its header uses, and a note says which."""
    rows = [sep.join(str(r[k]) for k in ("run", "params", "tokens", "loss")) for r in RUNS]
    path = _write(tmp_path / "runs.csv", sep.join(["run", "params", "tokens", "loss"]) + "\n"
                  + "\n".join(rows) + "\n")  # fmt: skip
    table = read_runs(path)
    assert table.runs == ("a", "b", "c") and list(table["loss"]) == [4.0, 3.5, 3.1]
    assert table.notes[0] == f"read as {word}-separated: the header line has no commas"
    # a .tsv whose header has commas is a CSV: read as one too
    assert read_runs(_write_format(tmp_path, ".csv").rename(tmp_path / "r.tsv")).runs == (
        "a", "b", "c",
    )  # fmt: skip


@pytest.mark.parametrize("cell", ["3,2", "1,000", "1,5e3"])
def test_a_comma_in_a_number_of_a_semicolon_file_is_refused(tmp_path: Path, cell: str) -> None:
    """``3,2`` in a semicolon-separated file may be 3.2 or 32 (a digit group): not guessed."""
    path = _write(tmp_path / "eu.csv", f"run;params;tokens;loss\na;1e7;2e8;4\nb;3e7;6e8;{cell}\n")
    with pytest.raises(DataError) as err:
        read_runs(path)
    assert err.value.message == f"{path}, row 3, column 'loss': " + (
        f"{cell!r} has a comma in a number, in a file separated by semicolons: a decimal "
        "comma or a digit group, which is not guessed"
    )
    assert err.value.row == 3 and err.value.column == "loss"
    assert "'.' as the decimal mark" in err.value.hint
    # in a comma-separated file a quoted "1,000" is a digit group where another number
    # shows the file groups digits ("2,000,000"), and refused where none does
    grouped = _write(tmp_path / "us.csv", 'run,params,tokens,loss\na,"1,000","2,000,000",4\n')
    assert read_runs(grouped)["params"][0] == 1000.0
    alone = _write(tmp_path / "alone.csv", 'run,params,tokens,loss\na,"1,000",2e8,4\n')
    with pytest.raises(DataError, match=r"'1,000' may be a decimal comma \(1\.000\) or a digit"):
        read_runs(alone)


def _wandb_csv(path: Path, loss_columns: tuple[str, ...]) -> Path:
    """A W&B run table as the project page exports it: nested config names, metric paths."""
    head = ["Name", "State", "ID", "model.n_params", "data.tokens", *loss_columns, "_step"]
    lines = [",".join(head)]
    for i, (n, d) in enumerate([(1e8, 2e9), (2e8, 4e9), (4e8, 8e9), (8e8, 1.6e10)]):
        loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
        cells = [f"run-{i}", "finished", f"id{i}", f"{n:g}", f"{d:g}"]
        cells += [f"{loss + 0.01 * k:.4f}" for k in range(len(loss_columns))] + ["1000"]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_wandb_column_names_are_read_as_ingest_maps_them(tmp_path: Path) -> None:
    """``eval/loss`` is the loss and ``model.n_params`` the model size in a W&B export, for
    read_runs (and so fit) as for ingest: one table of names (they were 'no loss column')."""
    from scalinglab.data import _tracker_names
    from scalinglab.ingest import DEFAULT_NAMES

    assert DEFAULT_NAMES is _tracker_names.DEFAULT_NAMES  # shared, not copied
    table = read_runs(_wandb_csv(tmp_path / "wb.csv", ("eval/loss", "train/loss")))
    assert table.origins == {
        "params": "model.n_params",
        "tokens": "data.tokens",
        "loss": "eval/loss",
    }
    assert "column 'eval/loss' read as loss" in table.notes
    assert table.runs == ("run-0", "run-1", "run-2", "run-3")
    only_train = read_runs(_wandb_csv(tmp_path / "wbt.csv", ("train/loss",)))
    assert only_train.origins["loss"] == "train/loss"  # as ingest: a training loss alone is fit
