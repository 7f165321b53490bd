"""Every reader of a scalinglab JSON file, given a file of another kind, says what that file
is and which command reads it (one table of kinds, :mod:`scalinglab._formats`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._stores import store_of
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab._formats import (
    KINDS,
    LAW_FIT,
    READER,
    check_format,
    kind_name,
    kind_use,
    read_result,
)
from scalinglab.cli import main
from scalinglab.curves import Tissue
from scalinglab.downstream._io import chain_from_dict

_READERS = {
    "scalinglab.fit/1": sl.FitResult.load,
    "scalinglab.downstream/1": sl.DownstreamFit.load,
    "scalinglab.loss2loss/1": sl.LossToLossFit.load,
    "scalinglab.hparams/1": sl.HparamFit.load,
    "scalinglab.curve_fit/1": sl.CurveFit.load,
    "scalinglab.law_backtest/1": sl.validate.Backtest.load,
    "scalinglab.backtest/1": sl.validate.Comparison.load,  # what `backtest --out` writes
    "scalinglab.rolling/1": sl.validate.Rolling.load,
    "scalinglab.isoflop/2": sl.validate.IsoFLOPResult.load,
    "scalinglab.envelope/2": sl.validate.EnvelopeResult.load,
}
#: The kinds a reader takes beside its own: the command's earlier summaries (refused as
#: such, not as another kind).
_ITS_OWN = {
    "scalinglab.isoflop/2": {"scalinglab.isoflop/1"},
    "scalinglab.envelope/2": {"scalinglab.envelope/1"},
}

#: validate's loads: a missing file is named by its kind ("file not found"), not a fit file.
_SAVED_IN_PYTHON = {
    k for k, r in _READERS.items() if r.__module__ == "scalinglab.validate._savable"
}


@pytest.mark.parametrize(
    ("reader", "given"),
    [
        (r, g)
        for r in sorted(_READERS)
        for g in sorted(KINDS)
        if r != g and g not in _ITS_OWN.get(r, ())
    ],
)
def test_a_file_of_another_kind_is_named(tmp_path: Path, reader: str, given: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": given}))
    with pytest.raises(sl.InputError) as err:
        _READERS[reader](path)
    assert repr(given) in err.value.message and repr(reader) in err.value.message
    if reader == LAW_FIT:
        said = KINDS[given].replace("{reader}", READER)  # FitResult.load, as Python reads it
        assert err.value.hint is not None and err.value.hint.startswith(f"it is {said}; ")
        return
    # a reader of another kind: not what reads a law fit, but what it reads and what writes it
    said = f"{kind_name(given)}: {kind_use(given, reader=None)}".removesuffix(": ")
    wanted = f"this reads {kind_name(reader)}: write one with"
    assert err.value.hint.startswith(f"it is {said}; {wanted}"), err.value.hint
    assert "reads a law fit" not in err.value.hint


def test_a_reader_of_another_kind_says_which_command_writes_what_it_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``downstream predict --fit plan.json``, ``curves predict --fit iso.json``: the hint
    says what the command reads and which command writes it, not that FitResult.load reads
    a law fit (which is not what was run)."""
    plan, iso = tmp_path / "plan.json", tmp_path / "iso.json"
    plan.write_text(json.dumps({"format": "scalinglab.plan/1"}))
    iso.write_text(json.dumps({"format": "scalinglab.isoflop/2"}))
    for args, hint in (
        (["downstream", "predict", "--fit", str(plan), "--params", "1B", "--tokens", "20B"],
         "hint: it is a plan (`scalinglab plan --out`): its allocations are in the file; this "
         "reads a downstream chain: write one with `scalinglab downstream fit ... --out ds.json`"),
        (["curves", "predict", "--fit", str(iso), "--schedule", "cosine:steps=1000"],
         "with intervals: `scalinglab isoflop RUNS --at 1e23` (Python: "
         "IsoFLOPResult.at(flops=1e23)); this reads a curve fit: write one with `scalinglab "
         "curves fit CURVES --out curve.json`"),
    ):  # fmt: skip
        assert main(args) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert hint in err and "reads a law fit" not in err


def test_an_isoflop_file_carries_its_kind() -> None:
    assert (
        sl.isoflop(sl.simulated_runs(), bootstrap=0).to_dict()["format"] == "scalinglab.isoflop/2"
    )


def _given(tmp_path: Path, kind: str) -> Path:
    frame = pd.DataFrame({"run": ["a"], "params": [1e8], "tokens": [1e9], "loss": [3.0]})
    if kind == "duckdb":
        return store_of(frame, tmp_path / "runs.duckdb")
    path = tmp_path / f"runs.{kind}"
    if kind == "parquet":
        frame.to_parquet(path)
    elif kind == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    else:
        path.write_text(frame.to_csv(index=False) if kind == "csv" else "[{}]", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "seen"),
    [
        ("csv", "a CSV file (a run table)"),
        ("duckdb", "a run store (a DuckDB database)"),
        ("parquet", "a Parquet file (a run table)"),
        ("json", "a JSON array (a run table in JSON)"),
        ("png", "a PNG image"),
    ],
)
@pytest.mark.parametrize("command", ["predict", "plan"])
def test_a_run_table_given_as_fit_says_what_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str, seen: str, command: str
) -> None:
    path = _given(tmp_path, kind)
    extra = (
        ["--params", "1e9", "--tokens", "2e10"] if command == "predict" else ["--compute", "1e20"]
    )
    assert main([command, "--fit", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: is {seen}, not a scaling-law fit\n")
    hint = "hint: `--fit` reads a fit written by `scalinglab fit ... --out fit.json`"
    runs = {  # a store's runs are fitted with --store, not as the RUNS file
        "png": "",
        "duckdb": f"; to fit its runs: `scalinglab fit --store {path} --out fit.json`",
    }.get(kind, f"; to fit these runs: `scalinglab fit {path} --out fit.json`")
    assert err.endswith(hint + runs + "\n")


def test_loss2loss_predict_given_a_run_table(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _given(tmp_path, "csv")
    assert main(["loss2loss", "predict", "--fit", str(path), "--loss", "3.0"]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}: is a CSV file (a run table), not a loss-to-loss fit\n" in err
    assert "to fit these runs: `scalinglab loss2loss fit " in err


@pytest.mark.parametrize("reader", sorted(_READERS))
@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("missing", "fit file not found"),
        ("folder", "a folder, not a"),  # "an" before a vowel
        ("csv", "is a CSV file (a run table), not a"),
        ("png", "is a PNG image, not a"),
        ("array", "is a JSON array (a run table in JSON), not a"),
    ],
)
def test_every_reader_says_what_is_wrong_with_the_file(
    tmp_path: Path, reader: str, given: str, message: str
) -> None:
    """One reader of result files: no reader lets an OSError, a UnicodeDecodeError or a
    JSONDecodeError through, and each names the file and how to write one."""
    path = {"folder": tmp_path, "missing": tmp_path / "gone.json"}.get(given)
    if path is None:
        path = _given(tmp_path, {"array": "json"}.get(given, given))
    with pytest.raises(sl.DataError) as err:
        _READERS[reader](path)
    if given == "missing" and reader in _SAVED_IN_PYTHON:  # named by its kind, not "fit file"
        message = message.replace("fit file", "file")
        assert err.value.message.endswith(message) and "fit" not in err.value.message
    assert err.value.message.startswith(f"{path}: ") and message in err.value.message
    assert err.value.source == str(path)
    assert err.value.hint is not None
    if given == "csv":  # given in Python: the call, not a command
        assert "to fit these runs: `scalinglab." in err.value.hint
    if given == "missing":
        assert err.value.hint.startswith("write one with `")
        assert ".save(path)` in Python" in err.value.hint


def test_read_result_checks_the_format_it_is_given(tmp_path: Path) -> None:
    """``read_result(..., format=)``: the one check of a file's kind, word for word as each
    loader gave it; an older curve fit's ``"kind"`` counts as its format where the curve fit's
    loader reads it, and nowhere else."""
    path = tmp_path / "hp.json"
    path.write_text(json.dumps({"format": "scalinglab.curve_fit"}))
    write = "write one with: scalinglab hparams fit SWEEP --out hp.json"
    read = {"what": "hyperparameter fit", "reads": "a fit", "fit_with": "fit {}", "write": write}
    with pytest.raises(sl.DataError) as err:
        read_result(path, **read, format="scalinglab.hparams/1")
    assert str(err.value) == (
        f"{path}: not a hyperparameter fit (format 'scalinglab.curve_fit', expected "
        f"'scalinglab.hparams/1') (it is {KINDS['scalinglab.curve_fit/1']}; this reads an "
        f"hparams fit: {write})"
    )
    assert read_result(path, **read) == {"format": "scalinglab.curve_fit"}  # not asked: read
    path.write_text(json.dumps({"kind": "scalinglab.curve_fit", "law": "x"}))
    older = read_result(path, **read)
    check_format(older, "scalinglab.curve_fit/1", "curve fit", source="f", write="w",
                 accept_kind=True)  # fmt: skip  # as the curve fit's loader reads it
    with pytest.raises(
        sl.DataError, match=r'\(no "format" key, expected \'scalinglab.curve_fit/1\'\)'
    ):
        read_result(path, **read, format="scalinglab.curve_fit/1")  # any other loader
    path.write_text(json.dumps({"law": "x"}))  # neither: no format at all
    with pytest.raises(sl.DataError, match=r'not a curve fit \(no "format" key, expected \'scalin'):
        sl.CurveFit.load(path)


def test_a_result_other_than_a_curve_fit_with_kind_alone_is_refused(tmp_path: Path) -> None:
    """``"kind"`` stood for ``"format"`` in older curve fits only: a fit, a downstream fit
    or a loss-to-loss fit that has it and no ``"format"`` is refused, as before it was read
    for every kind."""
    runs = sl.read_runs(chinchilla_runs(outliers=0))
    data = sl.fit("chinchilla", runs, bootstrap=0, extrapolation=False).to_dict()
    data["kind"] = data.pop("format")
    path = tmp_path / "fit.json"
    path.write_text(json.dumps(data))
    with pytest.raises(sl.DataError) as err:
        sl.FitResult.load(path)
    assert err.value.message.endswith(
        "not a scalinglab fit (no \"format\" key, expected 'scalinglab.fit/1')"
    )
    with pytest.raises(sl.DataError, match=r'not a downstream fit \(no "format" key'):
        chain_from_dict({"kind": "scalinglab.downstream/1"})
    # an older curve fit, its format under "kind", is read still
    from tests.test_curves import SPECS, _synthetic

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curve = sl.fit_curves(_synthetic(Tissue(), truth, SPECS, noise=0, seed=0), law="tissue",
                          bootstrap=0)  # fmt: skip
    older = curve.to_dict()
    older["kind"] = older.pop("format")
    path.write_text(json.dumps(older))
    assert sl.CurveFit.load(path).coefs == pytest.approx(curve.coefs)


@pytest.mark.parametrize("given", sorted(KINDS))
def test_a_result_given_as_runs_says_what_it_holds_with_no_placeholder(
    tmp_path: Path, given: str
) -> None:
    """A result where runs are read (`fit iso.json`, `isoflop plan.json`): the hint says
    what it holds or what reads it, never an unfilled ``{reader}``, and to give a table."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"format": given}))
    with pytest.raises(sl.DataError) as err:
        sl.read_runs(path)
    assert "{" not in err.value.hint and "law fit" not in err.value.hint
    assert err.value.hint.endswith(
        "here give a table (.csv .parquet .jsonl, or a JSON array of rows)"
    )


def test_an_isoflop_file_given_to_fit_says_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "iso.json"
    path.write_text(json.dumps({"format": "scalinglab.isoflop/1"}))
    assert main(["fit", str(path)]) == 2
    # not "its allocation is in the file": it holds the power laws, read at a budget by --at
    assert " ".join(capsys.readouterr().err.split()).endswith(
        "no law of the loss; N_opt and D_opt at a budget, with intervals: `scalinglab isoflop "
        "RUNS --at 1e23` (Python: IsoFLOPResult.at(flops=1e23)); here give a table (.csv "
        ".parquet .jsonl, or a JSON array of rows)"
    )
