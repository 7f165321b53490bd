"""Backtest, Comparison, Rolling, IsoFLOPResult and EnvelopeResult save to a file and load
back whole: the same to_dict(), repr(), predictions and printed tables; a file of another
kind, or one a newer scalinglab wrote, is refused naming the file and which load reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rich.console import Console
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves

import scalinglab as sl
from scalinglab.cli._backtest_views import print_backtest
from scalinglab.cli._isoflop_views import print_envelope, print_isoflop
from scalinglab.validate import Backtest, Comparison, EnvelopeResult, IsoFLOPResult, Rolling

CLASSES = (Backtest, Comparison, Rolling, IsoFLOPResult, EnvelopeResult)


@pytest.fixture(scope="module")
def results() -> dict[type, Any]:
    runs = sl.simulated_runs()
    return {
        Backtest: sl.backtest(runs, law="chinchilla", holdout="largest:5", bootstrap=40),
        Comparison: sl.compare(runs, laws=["chinchilla", "kaplan"], holdout="largest:5",
                               bootstrap=30),
        Rolling: sl.rolling_backtest(runs, law="chinchilla", holdout="largest:5", bootstrap=20),
        IsoFLOPResult: sl.isoflop(isoflop_runs(), bootstrap=100, seed=0),
        EnvelopeResult: sl.envelope(law_curves(HOFFMANN, noise=0.003, sizes=10), bootstrap=40,
                                    seed=1),
    }  # fmt: skip


def _loaded(result: Any, tmp_path: Path) -> Any:
    path = tmp_path / "saved.json"
    result.save(path)
    return type(result).load(path)


def _printed(draw: Any, *args: Any) -> str:
    console = Console(record=True, width=200)
    draw(console, *args)
    return console.export_text()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_loaded_result_is_the_one_saved(results: dict[type, Any], cls: type,
                                          tmp_path: Path) -> None:  # fmt: skip
    result = results[cls]
    back = _loaded(result, tmp_path)
    assert type(back) is cls
    assert back.to_dict() == result.to_dict()
    assert repr(back) == repr(result)
    # a path given as a string reads the same
    assert cls.load(str(tmp_path / "saved.json")).to_dict() == result.to_dict()


def test_a_loaded_backtest_predicts_and_prints_as_its_fit(results: dict[type, Any],
                                                          tmp_path: Path) -> None:  # fmt: skip
    bt = results[Backtest]
    back = _loaded(bt, tmp_path)
    assert str(back.fit) == str(bt.fit)
    at = {"params": np.array([7e10, 1e9]), "tokens": np.array([1.4e12, 2e10])}
    was, now = bt.fit.predict(**at, level=0.8), back.fit.predict(**at, level=0.8)
    assert np.array_equal(now.loss, was.loss)
    assert np.array_equal(now.lower, was.lower) and np.array_equal(now.upper, was.upper)
    # the law by hand at the loaded coefficients (an independent reference)
    c = back.fit.coefs
    law = c["E"] + c["A"] * at["params"] ** -c["alpha"] + c["B"] * at["tokens"] ** -c["beta"]
    assert now.loss == pytest.approx(law, rel=1e-12)
    # the scores as read: the median ARE of the held-out runs' own predictions
    ares = [abs(r.predicted - r.actual) / r.actual for r in back.runs]
    assert back.summary.median_are == pytest.approx(float(np.median(ares)), rel=1e-12)
    assert np.array_equal(back.split.times_fitted(), bt.split.times_fitted())


def test_a_loaded_comparison_and_rolling_print_the_same_tables(results: dict[type, Any],
                                                               tmp_path: Path) -> None:  # fmt: skip
    cmp, rolling = results[Comparison], results[Rolling]
    cmp_back = _loaded(cmp, tmp_path)
    rolling_back = _loaded(rolling, tmp_path)
    assert cmp_back.winner is not None and cmp_back.winner.law == cmp.winner.law
    # the winner is one of the rows, and every row's split is the comparison's own
    assert any(s is cmp_back.winner for s in cmp_back.laws)
    assert all(s.backtest.split is cmp_back.split for s in cmp_back.laws)
    assert cmp_back.warnings == cmp.warnings
    was = _printed(print_backtest, cmp, [], rolling)
    assert "winner: chinchilla" in was
    assert _printed(print_backtest, cmp_back, [], rolling_back) == was


@pytest.mark.parametrize("cls", [IsoFLOPResult, EnvelopeResult], ids=lambda c: c.__name__)
def test_a_loaded_isoflop_or_envelope_reads_the_same_optimum(results: dict[type, Any],
                                                             cls: type, tmp_path: Path) -> None:  # fmt: skip
    result = results[cls]
    back = _loaded(result, tmp_path)
    for flops in (1e20, 1e23):
        was, now = result.at(flops=flops), back.at(flops=flops)
        assert repr(now) == repr(was)
        assert now.params_opt.value == was.params_opt.value
        assert (now.params_opt.lower, now.params_opt.upper) == (
            was.params_opt.lower,
            was.params_opt.upper,
        )
        # N_opt = k·C^a by hand, at the loaded law
        law = back.params_law
        assert now.params_opt.value == pytest.approx(
            law.coefficient.value * flops**law.exponent.value, rel=1e-12
        )
    assert back.params_law.samples is not None
    assert np.array_equal(back.params_law.samples, result.params_law.samples)
    if cls is IsoFLOPResult:
        assert _printed(print_isoflop, back, back.source) == _printed(
            print_isoflop, result, result.source
        )
    else:
        assert _printed(print_envelope, back) == _printed(print_envelope, result)


def test_a_saved_file_says_its_format_first(results: dict[type, Any], tmp_path: Path) -> None:
    formats = {}
    for cls in CLASSES:
        path = tmp_path / f"{cls.__name__}.json"
        results[cls].save(path)
        assert next(iter(json.loads(path.read_text()))) == "format"
        formats[cls.__name__] = json.loads(path.read_text())["format"]
    assert formats == {
        "Backtest": "scalinglab.law_backtest/1",
        "Comparison": "scalinglab.backtest/1",  # the kinds the commands write
        "Rolling": "scalinglab.rolling/1",
        "IsoFLOPResult": "scalinglab.isoflop/2",
        "EnvelopeResult": "scalinglab.envelope/2",
    }
    # strict JSON: no NaN token (a backtest's unbounded or missing numbers are strings)
    assert "NaN" not in (tmp_path / "Backtest.json").read_text()


def test_a_fit_file_given_to_backtest_load_is_named_with_its_load(tmp_path: Path) -> None:
    path = tmp_path / "fit.json"
    sl.fit("chinchilla", sl.simulated_runs(), bootstrap=0).save(path)
    with pytest.raises(sl.DataError) as err:
        Backtest.load(path)
    assert str(path) in str(err.value)
    assert "not a single-law backtest (format 'scalinglab.fit/1', expected " in err.value.message
    assert "it is a scaling-law fit" in err.value.hint
    assert "(Python: FitResult.load)" in err.value.hint
    assert "write one with `Backtest.save(path)` in Python" in err.value.hint


@pytest.mark.parametrize("saved", CLASSES, ids=lambda c: c.__name__)
def test_a_saved_result_given_to_another_load_names_its_own(results: dict[type, Any],
                                                            saved: type, tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "saved.json"
    results[saved].save(path)
    for other in CLASSES:
        if other is saved:
            continue
        with pytest.raises(sl.DataError) as err:
            other.load(path)
        assert str(path) in str(err.value)
        assert f"read it with {saved.__name__}.load" in err.value.hint
        assert f"`{other.__name__}.save(path)`" in err.value.hint


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_a_file_from_a_newer_version_is_refused(results: dict[type, Any], cls: type,
                                                tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "newer.json"
    results[cls].save(path)
    data = json.loads(path.read_text())
    kind, _, version = data["format"].partition("/")
    newer = f"{kind}/{int(version) + 1}"
    path.write_text(json.dumps({**data, "format": newer}))
    with pytest.raises(sl.DataError) as err:
        cls.load(path)
    short = newer.removeprefix("scalinglab.")
    assert f"written by a newer scalinglab ({short}); this version reads " in err.value.message
    assert str(path) in str(err.value)
    assert err.value.hint.startswith("upgrade scalinglab to read it")


def test_a_file_with_a_field_cut_says_which(results: dict[type, Any], tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    results[Rolling].save(path)
    data = json.loads(path.read_text())
    del data["steps"]
    path.write_text(json.dumps(data))
    with pytest.raises(sl.DataError) as err:
        Rolling.load(path)
    assert "missing or malformed field (no 'steps' key)" in err.value.message
    assert str(path) in str(err.value)


def test_a_missing_file_and_a_run_table_are_refused(tmp_path: Path) -> None:
    with pytest.raises(sl.DataError, match="not found"):
        IsoFLOPResult.load(tmp_path / "nothing.json")
    table = tmp_path / "runs.csv"
    table.write_text("params,tokens,loss\n1e8,2e9,3.1\n")
    with pytest.raises(sl.DataError) as err:
        Backtest.load(table)
    assert "scalinglab.backtest(" in err.value.hint


def test_backtest_load_of_the_commands_file_does_not_contradict_itself(
    results: dict[type, Any], tmp_path: Path
) -> None:
    """``backtest --out`` (and ``Comparison.save``) writes "a backtest" of the laws compared;
    ``Backtest.load`` reads one law's, so its refusal says "not a single-law backtest", not
    "not a backtest ... (it is a backtest ...)"."""
    path = tmp_path / "cmp.json"
    results[Comparison].save(path)
    with pytest.raises(sl.DataError) as err:
        Backtest.load(path)
    assert err.value.message == f"{path}: " + (
        "not a single-law backtest (format 'scalinglab.backtest/1', expected "
        "'scalinglab.law_backtest/1')"
    )
    assert err.value.hint.startswith("it is a backtest (`scalinglab backtest --out`")
    assert "read it with Comparison.load; this reads a single-law backtest saved from " in (
        err.value.hint
    )
