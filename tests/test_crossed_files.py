"""A file of the wrong kind where a command reads a fit, runs or a store: exit 2, one error
line and one hint line, no traceback, saying what the file is and which command takes it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from tests._cli import refused

import scalinglab as sl
from scalinglab.store import RunStore, StoredRun

#: Each reader of a saved result, with the words of what it reads (``read_result``'s
#: ``what``) and the option that gives it.
_FIT_READERS = {
    "plan": (["plan", "--compute", "1e23", "--fit"], "scaling-law fit", "--fit"),
    "predict": (["predict", "--params", "7B", "--tokens", "1T", "--fit"], "scaling-law fit",
                "--fit"),
    "curves predict": (["curves", "predict", "--schedule", "cosine:steps=1000", "--fit"],
                       "curve fit", "--fit"),
    "curves compare": (["curves", "compare", "--steps", "1000", "--fit"], "curve fit", "--fit"),
    "downstream predict": (["downstream", "predict", "--params", "1B", "--tokens", "20B",
                            "--fit"], "downstream fit", "--fit"),
    "downstream plan": (["downstream", "plan", "--target-accuracy", "hellaswag=0.5", "--fit"],
                        "downstream fit", "--fit"),
    "plan --downstream": (["plan", "--target-accuracy", "hellaswag=0.5", "--downstream"],
                          "downstream fit", "--downstream"),
    "loss2loss predict": (["loss2loss", "predict", "--loss", "3", "--fit"], "loss-to-loss fit",
                          "--fit"),
    "hparams predict": (["hparams", "predict", "--params", "1B", "--tokens", "20B", "--fit"],
                        "hyperparameter fit", "--fit"),
    "plan --hparams": (["plan", "--preset", "hoffmann2022", "--compute", "1e23", "--hparams"],
                       "hyperparameter fit", "--hparams"),
    "hparams predict --loss": (["hparams", "predict", "--preset", "kaplan2020", "--params", "1B",
                                "--tokens", "20B", "--seq-len", "2048", "--loss"],
                               "scaling-law fit", "--loss"),
}  # fmt: skip

#: How the hint says to fit a run store's runs, per reader: with --store where the command
#: that fits them reads a store, nothing where it reads none (hparams fit, loss2loss fit).
_FIT_STORE = {
    "scaling-law fit": "; to fit its runs: `scalinglab fit --store {} --out fit.json`",
    "curve fit": "; to fit its runs: `scalinglab curves fit --store {} --out curve.json`",
    "downstream fit": "; to fit its runs: `scalinglab downstream fit --store {} --out ds.json`",
    "loss-to-loss fit": "",
    "hyperparameter fit": "",
}

#: Commands reading runs (RUNS), with what each needs besides the file.
_RUN_READERS = {
    "fit": ["fit", "--bootstrap", "0"],
    "backtest": ["backtest"],
    "isoflop": ["isoflop", "--bootstrap", "0"],
    "envelope": ["envelope", "--bootstrap", "0"],
    "downstream fit": ["downstream", "fit", "--tasks", "hellaswag", "--bootstrap", "0"],
    "curves fit": ["curves", "fit", "--law", "tissue", "--bootstrap", "0"],
    "hparams fit": ["hparams", "fit", "--bootstrap", "0"],
    "loss2loss fit": ["loss2loss", "fit", "--x", "a", "--y", "b", "--bootstrap", "0"],
    "ingest": ["ingest", "--store", "IN_TMP"],
}


def _gzipped_fit(tmp_path: Path) -> Path:
    path = tmp_path / "fit.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": "scalinglab.fit/1"}).encode()))
    return path


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "s.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    return path


@pytest.mark.parametrize("reader", sorted(_FIT_READERS))
@pytest.mark.parametrize("given", ["empty", "gzip", "store", "report"])
def test_a_fit_option_given_the_wrong_file_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str, given: str
) -> None:
    """Before: an empty file, a run store, a gzip'd fit and a report page each read
    "fit file is not valid JSON (Expecting value: line 1 column 1 (char 0))" or a UTF-8
    decoding error; the store's hint said ``scalinglab fit s.duckdb`` (which refuses a
    store) and ``plan --downstream`` named ``--fit``."""
    args, what, option = _FIT_READERS[reader]
    if given == "empty":
        path = tmp_path / "empty.json"
        path.write_bytes(b"")
        error, hint = refused(capsys, [*args, str(path)])
        assert error == f"error: {path}: the file is empty (0 bytes), not a {what}"
        assert hint.startswith("hint: write one with `scalinglab ")
        return
    if given == "gzip":
        path = _gzipped_fit(tmp_path)
        error, hint = refused(capsys, [*args, str(path)])
        assert error == (
            f"error: {path}: is a gzip-compressed scaling-law fit (`scalinglab fit --out`): "
            "results are read uncompressed"
        )
        assert hint.startswith(
            f"hint: decompress it: `gunzip -k {path}`; read it with `plan --fit` or "
            f"`predict --fit` (Python: FitResult.load); `{option}` reads "
        )
        return
    if given == "store":
        path = _store(tmp_path)
        error, hint = refused(capsys, [*args, str(path)])
        assert error == f"error: {path}: is a run store (a DuckDB database), not a {what}"
        assert hint.startswith(f"hint: `{option}` reads ")
        fit_store = _FIT_STORE[what].format(path)
        assert hint.endswith(fit_store) if fit_store else "to fit" not in hint
        assert f"fit {path}" not in hint  # a store is not given as RUNS
        return
    path = tmp_path / "report.html"
    path.write_text("<!DOCTYPE html>\n<html><head><title>r</title></head></html>\n")
    error, hint = refused(capsys, [*args, str(path)])
    assert error == f"error: {path}: is a report page, not a {what}"
    assert hint.startswith(f"hint: `{option}` reads ")


def _runs_args(reader: str, path: Path, tmp_path: Path) -> list[str]:
    """``scalinglab READER`` with ``path`` as its RUNS file."""
    args = [a.replace("IN_TMP", str(tmp_path / "new.duckdb")) for a in _RUN_READERS[reader]]
    head = len(reader.split())  # the command's words: the file follows them
    return [*args[:head], str(path), *args[head:]]


@pytest.mark.parametrize("reader", sorted(_RUN_READERS))
@pytest.mark.parametrize("given", ["gzip", "report"])
def test_runs_given_a_gzipped_result_or_a_report_say_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str, given: str
) -> None:
    """Before: "unknown file type '.json.gz'" / "'.html'" and a list of extensions."""
    if given == "gzip":
        path = _gzipped_fit(tmp_path)
        error, hint = refused(capsys, _runs_args(reader, path, tmp_path))
        assert error == (
            f"error: {path}: is a gzip-compressed scaling-law fit (`scalinglab fit --out`), "
            "not a table of runs"
        )
        assert hint.startswith(
            f"hint: `gunzip -k {path}` decompresses it; read it with `plan --fit` or "
            "`predict --fit`"
        )
        return
    path = tmp_path / "report.html"
    path.write_text("<!DOCTYPE html>\n<html></html>\n")
    error, hint = refused(capsys, _runs_args(reader, path, tmp_path))
    assert error == f"error: {path}: is a report page, not a table of runs"
    assert hint == "hint: here give a table (.csv .parquet .jsonl, or a JSON array of rows)"


@pytest.mark.parametrize("command", [["fit", "--bootstrap", "0"], ["runs"], ["ingest", "RUNS"]])
@pytest.mark.parametrize("given", ["fit", "csv"])
def test_a_store_option_given_a_result_or_a_table_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], given: str
) -> None:
    """Before: "not a readable run store (not a DuckDB file: no 'DUCK' at byte 8)", "the file
    is corrupt or another program's" for a fit.json or a runs.csv given as --store."""
    table = tmp_path / "runs.csv"
    table.write_text("run,params,tokens,loss\na,1e6,2e7,3.5\nb,2e6,4e7,3.2\n", encoding="utf-8")
    fit = tmp_path / "fit.json"
    fit.write_text(json.dumps({"format": "scalinglab.fit/1"}))
    path = fit if given == "fit" else table
    before = path.read_bytes()
    source = tmp_path / "source.csv"  # ingest's SOURCE: another file than --store's
    source.write_bytes(table.read_bytes())
    args = [str(source) if a == "RUNS" else a for a in command]
    error, hint = refused(capsys, [*args, "--store", str(path)])
    assert path.read_bytes() == before  # refused before anything is written
    if given == "fit":
        assert error == (
            f"error: {path}: is a scaling-law fit (`scalinglab fit --out`), not a run store "
            "(a DuckDB file)"
        )
        assert hint.startswith("hint: read it with `plan --fit` or `predict --fit`")
        assert "scalinglab ingest RUNS --store runs.duckdb" in hint and "corrupt" not in hint
    else:
        assert (
            error == f"error: {path}: is a CSV file (a run table), not a run store (a DuckDB file)"
        )
        assert hint == (
            f"hint: give it as the runs, not with --store (scalinglab fit {path}), or read it "
            f"into a store: scalinglab ingest {path} --store runs.duckdb"
        )


def test_the_python_loaders_say_the_same(tmp_path: Path) -> None:
    """``FitResult.load`` and the other loaders raise the message the command line prints;
    the hint names the Python call that writes a fit, beside the command
    (tests/test_fit_load_words.py)."""
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"  \n")
    store = _store(tmp_path)
    for load, what in (
        (sl.FitResult.load, "scaling-law fit"),
        (sl.CurveFit.load, "curve fit"),
        (sl.DownstreamFit.load, "downstream fit"),
        (sl.LossToLossFit.load, "loss-to-loss fit"),
        (sl.HparamFit.load, "hyperparameter fit"),
    ):
        with pytest.raises(sl.DataError) as err:
            load(empty)
        assert err.value.message == f"{empty}: the file is empty (3 bytes), not a {what}"
        with pytest.raises(sl.DataError) as err:
            load(store)
        assert err.value.message == f"{store}: is a run store (a DuckDB database), not a {what}"
    with pytest.raises(sl.DataError) as err:
        sl.HparamFit.load(tmp_path / "gone.json")
    assert err.value.hint == (
        "write one with `HparamFit.save(path)` in Python or "
        "`scalinglab hparams fit SWEEP --out hp.json`"
    )
