"""A notebook user's wrong inputs to the Python API, each one scalinglab error that names the
argument and says what to pass, never Python's, NumPy's or pandas' bare ``TypeError``,
``AttributeError``, ``KeyError`` or ``ValueError`` from deep inside (the second sweep of
the API's errors; ``tests/test_api_sweep.py`` holds the first)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import chinchilla_runs
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab import ConfigError, DataError, ScalingLabError
from scalinglab.downstream import DownstreamFit, LossToLossFit


@cache
def _fit() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, seed=0)


@cache
def _evals() -> Any:
    return sl.read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})


@cache
def _hp_backtest() -> Any:
    return sl.backtest_hparams(sweep(5), holdout="top-scales:1", seq_len=SEQ_LEN)


def _hp(**options: Any) -> object:
    return sl.fit_hparams(sweep(5), seq_len=SEQ_LEN, **{"bootstrap": 0, **options})


def _hp_bt(**options: Any) -> object:
    return sl.backtest_hparams(sweep(5), seq_len=SEQ_LEN, **options)


@cache
def _chain() -> DownstreamFit:
    return sl.fit_downstream(_evals(), law="chinchilla", tasks=["task"], bootstrap=0)


CASES: list[tuple[str, Callable[[], object], type[ScalingLabError], tuple[str, ...]]] = [
    # a path that is no path: save and every load (was TypeError from pathlib)
    ("FitResult.save(5)", lambda: _fit().save(5), ConfigError, ("path", "got int 5", "fit.json")),
    ("FitResult.load(5)", lambda: sl.FitResult.load(5), ConfigError, ("path", "got int 5")),
    ("HparamFit.load(5)", lambda: sl.HparamFit.load(5), ConfigError, ("path", "got int 5")),
    ("CurveFit.load(5)", lambda: sl.CurveFit.load(5), ConfigError, ("path", "got int 5")),
    ("DownstreamFit.load(5)", lambda: DownstreamFit.load(5), ConfigError, ("got int 5",)),
    ("LossToLossFit.load([])", lambda: LossToLossFit.load([]), ConfigError, ("got list",)),
    # from_dict of a list (was AttributeError: 'list' object has no attribute 'get')
    (
        "FitResult.from_dict([1])",
        lambda: sl.FitResult.from_dict([1]),  # type: ignore[arg-type]
        DataError,
        ("not a scalinglab fit", "a list", "to_dict()"),
    ),
    (
        "LossToLossFit.from_dict([1])",
        lambda: LossToLossFit.from_dict([1]),  # type: ignore[arg-type]
        DataError,
        ("not a loss-to-loss fit", "a list"),
    ),
    # where= that is no condition (was TypeError: 'int' object is not iterable)
    (
        "fit(where=5)",
        lambda: sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, where=5),
        ConfigError,
        ("where must be conditions", "got int 5", "where={'dataset'"),
    ),
    # a robust loss's delta that is no number (was TypeError from '>')
    (
        "fit(delta='a')",
        lambda: sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, delta="a"),
        ConfigError,
        ("delta must be a positive number", "'a'", "--delta"),
    ),
    (
        "fit(conventions='x')",
        lambda: sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, conventions="x"),
        ConfigError,
        ("conventions must be a scalinglab.Conventions", "got str 'x'"),
    ),
    # a schedule that is no spec (was AttributeError: 'int' object has no attribute 'strip')
    (
        "parse_schedule(5)",
        lambda: sl.parse_schedule(5),  # type: ignore[arg-type]
        ConfigError,
        ("a schedule must be a string", "got 5", "cosine:peak="),
    ),
    # the chain's inputs (was AttributeError: ... has no attribute 'via')
    (
        "fit_downstream(path)",
        lambda: sl.fit_downstream("evals.csv"),  # type: ignore[arg-type]
        ConfigError,
        ("takes evaluations read by scalinglab.read_evals", "got str 'evals.csv'", "read_evals("),
    ),
    (
        "fit_downstream(RunTable)",
        lambda: sl.fit_downstream(sl.read_runs(chinchilla_runs())),  # type: ignore[arg-type]
        ConfigError,
        ("got RunTable", "read_evals("),
    ),
    (
        "backtest_downstream(DataFrame)",
        lambda: sl.backtest_downstream(chinchilla_runs()),  # type: ignore[arg-type]
        ConfigError,
        ("backtest_downstream takes evaluations", "got DataFrame"),
    ),
    (
        "fit_downstream(bootstrap=1.5)",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], bootstrap=1.5),
        ConfigError,
        ("bootstrap must be a whole number", "got float 1.5"),
    ),
    (
        "fit_downstream(seed=1.5)",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], bootstrap=0, seed=1.5),
        ConfigError,
        ("seed must be a whole number", "got float 1.5"),
    ),
    (
        "backtest_downstream(seed=1.5)",
        lambda: sl.backtest_downstream(_evals(), tasks=["task"], bootstrap=0, seed=1.5),
        ConfigError,
        ("seed must be a whole number",),
    ),
    (
        "fit_downstream(margin='a')",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], bootstrap=0, margin="a"),
        ConfigError,
        ("margin must be a number of accuracy", "got str 'a'"),
    ),
    (
        "fit_downstream(margin=-1)",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], bootstrap=0, margin=-1),
        ConfigError,
        ("margin must be a number of accuracy, 0 or more", "-1"),
    ),
    (
        "fit_downstream(max_backtest_error='a')",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], max_backtest_error="a"),
        ConfigError,
        ("max_backtest_error must be a number of accuracy", "got str 'a'"),
    ),
    (
        "fit_downstream(tasks=5)",
        lambda: sl.fit_downstream(_evals(), tasks=5, bootstrap=0),
        ConfigError,
        ("tasks must be task names", "got int 5", "tasks='all'"),
    ),
    (
        "fit_downstream(average_of=5)",
        lambda: sl.fit_downstream(_evals(), tasks=["task"], bootstrap=0, average_of=5),
        ConfigError,
        ("average_of must be task names", "got int 5"),
    ),
    (
        "read_evals(tasks=5)",
        lambda: sl.read_evals(models(np.random.default_rng(0), SIZES, MULTS), tasks=5),
        ConfigError,
        ("tasks must be task names",),
    ),
    (
        "chain.tasks['nope']",
        lambda: _chain().tasks["nope"],
        ConfigError,
        ("no task 'nope'", "the tasks are 'task'"),
    ),
    (
        "chain.distance(params='x')",
        lambda: _chain().distance(params="x", tokens=1e10),  # type: ignore[arg-type]
        ConfigError,
        ("params='x' is not a number",),
    ),
    (
        "chain.below(params=-1)",
        lambda: _chain().below(params=-1, tokens=1e10),
        ConfigError,
        ("params and tokens must be positive and finite", "params=-1", "params=1.4e9"),
    ),
    (
        "chain.predict(params=-1)",
        lambda: _chain().predict(params=-1, tokens=1e10),
        ConfigError,
        ("params and tokens must be positive and finite", "e.g. params="),
    ),
    (
        "plan_for_accuracy(FitResult)",
        lambda: sl.plan_for_accuracy(_fit(), "task", 0.6),  # type: ignore[arg-type]
        ConfigError,
        ("plans from a downstream chain", "got FitResult", "DownstreamFit.load"),
    ),
    (
        "plan_for_accuracy(path)",
        lambda: sl.plan_for_accuracy("ds.json", "task", 0.6),  # type: ignore[arg-type]
        ConfigError,
        ("got str 'ds.json'",),
    ),
    (
        "plan_for_accuracy(target='a')",
        lambda: sl.plan_for_accuracy(_chain(), "task", "a"),  # type: ignore[arg-type]
        ConfigError,
        ("target accuracy must be a number", "got str 'a'"),
    ),
    # the hyperparameter sweep's options (were TypeError from NumPy or a comparison)
    ("fit_hparams(bootstrap=1.5)", lambda: _hp(bootstrap=1.5), ConfigError, ("got float 1.5",)),
    ("fit_hparams(seed=1.5)", lambda: _hp(seed=1.5), ConfigError, ("seed must be a whole",)),
    (
        "fit_hparams(span='a')",
        lambda: _hp(span="a"),
        ConfigError,
        ("span must be a number > 1", "got str 'a'", "span=4"),
    ),
    ("fit_hparams(diverged='a')", lambda: _hp(diverged="a"), ConfigError, ("diverged must",)),
    (
        "fit_hparams(by='params')",
        lambda: _hp(by="params"),
        ConfigError,
        ("by must be a list of names", "by=['params']"),
    ),
    (
        "backtest_hparams(span=-1)",
        lambda: _hp_bt(span=-1),
        ConfigError,
        ("span must be > 1", "got -1"),
    ),
    (
        "backtest_hparams(holdout=5)",
        lambda: _hp_bt(holdout=5),
        ConfigError,
        ("a hold-out rule must be a string", "top-scales:1"),
    ),
    (
        "backtest_hparams(presets=5)",
        lambda: _hp_bt(presets=5),
        ConfigError,
        ("presets must be preset names", "got int 5"),
    ),
    (
        "get_hparam_preset(5)",
        lambda: sl.get_hparam_preset(5),  # type: ignore[arg-type]
        ConfigError,
        ("a preset name must be a string", "deepseek2024"),
    ),
    (
        "get_critical_batch_preset(5)",
        lambda: sl.get_critical_batch_preset(5),  # type: ignore[arg-type]
        ConfigError,
        ("a preset name must be a string", "kaplan2020"),
    ),
    (
        "HparamBacktest.summary('nope')",
        lambda: _hp_backtest().summary("nope"),
        ConfigError,
        ("no method 'nope'", "scalinglab, naive"),
    ),
]


@pytest.mark.parametrize(
    ("call", "exc", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_wrong_input_is_a_scalinglab_error(
    call: Callable[[], object], exc: type[ScalingLabError], words: tuple[str, ...]
) -> None:
    with pytest.raises(exc) as err:
        call()
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_chain_tasks_stay_a_dict_of_the_same_fits(tmp_path: Path) -> None:
    # tasks wrapped to name the missing key: still a dict, equal, saved and read the same
    chain = _chain()
    assert isinstance(chain.tasks, dict)
    chain.save(tmp_path / "ds.json")
    loaded = DownstreamFit.load(tmp_path / "ds.json")
    assert loaded.tasks.keys() == chain.tasks.keys()
    assert loaded.to_dict() == chain.to_dict()
    # distance reads units as predict does: "10M" is 1e7
    assert chain.distance(params="10M", tokens="1e9") == chain.distance(params=1e7, tokens=1e9)


def test_backtest_hparams_reads_presets_as_a_comma_separated_string() -> None:
    # presets="deepseek2024" was read letter by letter ("unknown preset 'd'")
    bt = sl.backtest_hparams(
        sweep(5), holdout="top-scales:1", seq_len=SEQ_LEN, presets="deepseek2024"
    )
    assert bt.methods == ("scalinglab", "naive", "deepseek2024")
    assert bt.summary("deepseek2024") == _hp_backtest().summary("deepseek2024")
