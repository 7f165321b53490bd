"""Follow-ups of a malformed-input sweep: each message names its file, says what a file is
and what to do, one rule for a JSON table of columns, and one line for runs of one size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli, refused


def test_curves_too_few_points_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.csv"
    path.write_text("run,step,tokens,lr,loss,params\n20M-const,50,26214400,0.003,7.80857,2e7\n")
    error, hint = refused(capsys, ["curves", "fit", str(path)])
    assert error == (
        f"error: {path}: 1 logged point for law 'multipower' with 7 parameters (in 1 curve): "
        "need more points than parameters"
    )
    assert hint == "hint: add curves or log the loss more often"


def test_a_fit_file_without_a_format_key_is_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fit.json"
    path.write_text(json.dumps({"law": "chinchilla", "coefs": {}}))
    code, _, err = cli(capsys, "predict", "--fit", str(path), "--params", "1e9", "--tokens", "2e10")
    assert code == 2
    assert f'{path}: not a scalinglab fit (no "format" key, expected ' in err
    assert "None" not in err


def test_runs_all_alike_are_one_error_not_a_line_per_law(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "same.csv"
    row = "20000000,3000000000,4.00729,0.0464"
    path.write_text("params,tokens,loss,acc_hellaswag\n" + "\n".join([row] * 12) + "\n")
    error, hint = refused(capsys, ["downstream", "fit", str(path)])
    assert error == (
        f"error: {path}: every run has params = 20M and tokens = 3B: no candidate law "
        "(chinchilla, overtraining, kaplan) can fit how the loss depends on them without runs "
        "at different params and tokens"
    )
    assert hint == (
        "hint: add runs at other values of params and tokens: a scaling law is fitted across sizes"
    )


def _columns_json(tmp_path: Path, **columns: list[object]) -> Path:
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(columns))
    return path


def test_a_json_object_of_columns_is_read_as_its_rows_by_read_runs(tmp_path: Path) -> None:
    import scalinglab as sl

    columns = {"run": ["a", "b"], "params": [1e7, 2e7], "tokens": [1e9, 2e9], "loss": [3.5, 3.2]}
    as_columns = sl.read_runs(_columns_json(tmp_path, **columns))
    rows = [dict(zip(columns, r, strict=True)) for r in zip(*columns.values(), strict=True)]
    (tmp_path / "rows.json").write_text(json.dumps(rows))
    as_rows = sl.read_runs(tmp_path / "rows.json")
    assert as_columns.runs == as_rows.runs == ("a", "b")
    for name in ("params", "tokens", "flops", "loss"):
        assert list(as_columns[name]) == list(as_rows[name])
    # pandas' DataFrame.to_json(): each column keyed by the row labels
    by_label = {k: {str(i): v for i, v in enumerate(vs)} for k, vs in columns.items()}
    (tmp_path / "labels.json").write_text(json.dumps(by_label))
    assert list(sl.read_runs(tmp_path / "labels.json")["loss"]) == [3.5, 3.2]


@pytest.mark.parametrize("command", [["fit"], ["downstream", "fit"]])
def test_json_columns_of_different_lengths_are_refused_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = _columns_json(tmp_path, params=[1e7, 2e7, 4e7], loss=[3.5, 3.2], acc_piqa=[0.5, 0.6])
    error, _ = refused(capsys, [*command, str(path)])
    assert error == (
        f"error: {path}: holds columns of different lengths ('params' 3, 'loss' 2, "
        "'acc_piqa' 2 values): a table's columns hold one value per row each"
    )


def test_a_size_column_left_unread_while_that_size_is_derived_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import scalinglab as sl

    path = tmp_path / "runs.csv"
    rows = [(n, d, 6 * n * d, 3.0 + 1e3 / n**0.3) for n in (2e7, 5e7, 1e8) for d in (1e9, 4e9)]
    path.write_text(
        "Paramètres,tokens,flops,loss,lr\n"
        + "\n".join(f"{n},{d},{c},{loss},0.001" for n, d, c, loss in rows)
        + "\n"
    )
    notes = sl.read_runs(path).notes
    assert "params derived as C/(6D) (column absent)" in notes
    assert (
        "column 'Paramètres' not read: params derived as C/(6D); if it holds params, read it: "
        "--map params=Paramètres (columns={'params': 'Paramètres'} in Python)"
    ) in notes
    assert not any("'lr' not read" in n for n in notes)  # a rate: nothing like a size
    # read as asked, the note is gone and no size is derived
    mapped = sl.read_runs(path, columns={"params": "Paramètres"}).notes
    assert not any("not read" in n or "derived" in n for n in mapped)


def test_a_column_whose_numbers_are_the_derived_size_is_named_whatever_its_name(
    tmp_path: Path,
) -> None:
    import scalinglab as sl

    path = tmp_path / "runs.csv"
    rows = [(n, d, 3.0 + 1e3 / n**0.3) for n in (2e7, 5e7, 1e8) for d in (1e9, 4e9)]
    path.write_text(
        "model,tokens,loss,lr\n" + "\n".join(f"{n},{d},{loss},0.001" for n, d, loss in rows) + "\n"
    )
    assert not any("not read" in n for n in sl.read_runs(path, columns={"params": "model"}).notes)
    path.write_text(
        "Modell,flops,tokens,loss\n"
        + "\n".join(f"{n},{6 * n * d},{d},{loss}" for n, d, loss in rows)
        + "\n"
    )
    assert (
        "column 'Modell' not read: params derived as C/(6D); if it holds params, read it: "
        "--map params=Modell (columns={'params': 'Modell'} in Python)"
    ) in sl.read_runs(path).notes


def test_a_table_given_as_a_curve_fit_is_said_curves_or_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule = ["--schedule", "cosine:steps=2000"]
    lead = "hint: `--fit` reads a fit written by `scalinglab curves fit CURVES --out curve.json`"
    curves = "loss curves (one row per logged step: run, step, loss), which `curves fit` reads"
    runs = tmp_path / "runs.json"
    runs.write_text(json.dumps([{"params": 2e7, "tokens": 4e8, "loss": 4.7}]))
    _, hint = refused(capsys, ["curves", "predict", "--fit", str(runs), *schedule])
    assert hint == (
        f"{lead}; it is a run table (no step column), not {curves}; to fit these runs: "
        f"`scalinglab fit {runs}`"
    )
    logged = tmp_path / "curves.csv"
    logged.write_text("run,step,lr,loss\na,50,0.003,7.8\na,100,0.003,6.6\n")
    _, hint = refused(capsys, ["curves", "predict", "--fit", str(logged), *schedule])
    assert (
        hint == f"{lead}; to fit its loss curves: `scalinglab curves fit {logged} --out curve.json`"
    )
    numbers = tmp_path / "numbers.json"
    numbers.write_text("[1, 2]")
    _, hint = refused(capsys, ["curves", "predict", "--fit", str(numbers), *schedule])
    assert hint == f"{lead}; it holds no {curves}"
