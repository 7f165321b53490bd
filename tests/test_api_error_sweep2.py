"""The Python API's wrong inputs, second sweep (``tests/test_api_error_sweep.py`` holds the
first): each is one scalinglab error naming the argument and what to pass, never Python's,
NumPy's or pandas' bare ``TypeError``, ``AttributeError``, ``KeyError`` or ``ValueError``
from deep inside, and a True/False option given ``"no"`` (truthy) is refused, not read as
True."""

from __future__ import annotations

import importlib
import inspect
import json
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import chinchilla_runs
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab as sl
from scalinglab import ConfigError, DataError, ScalingLabError
from scalinglab._errors import MissingKeyError
from scalinglab.curves import Curve, Schedule, Tissue
from scalinglab.store import StoredRun

#: A folder that exists, for a report that must be refused before it is written.
_OUT = Path(tempfile.gettempdir()) / "scalinglab-api-sweep2.html"
#: A store no case opens: each is refused before the store is read.
_STORE = Path(tempfile.gettempdir()) / "scalinglab-api-sweep2-never-opened.duckdb"


@cache
def _fit() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(), bootstrap=20, seed=0)


@cache
def _curves() -> list[Curve]:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    return _synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3)


def _fit_curves(**options: Any) -> object:
    return sl.fit_curves(_curves(), **{"law": "tissue", "bootstrap": 0, **options})


def _evals() -> pd.DataFrame:
    return models(np.random.default_rng(0), SIZES, MULTS)


def _l2l(**options: Any) -> object:
    frame = pd.DataFrame({"loss_a": [3.0, 2.8, 2.6], "loss_b": [3.3, 3.1, 2.9]})
    return sl.fit_loss_to_loss(frame, **{"x": "loss_a", "y": "loss_b", "bootstrap": 0, **options})


def _report(result: object = None, **options: Any) -> object:
    return sl.write_report(_fit() if result is None else result, chinchilla_runs(), _OUT, **options)


def _ingest(source: object = "nowhere.csv", **options: Any) -> object:
    return sl.ingest(source, **{"store": _STORE, **options})  # type: ignore[arg-type]


CASES: list[tuple[str, Callable[[], object], type[ScalingLabError], tuple[str, ...]]] = [
    # curves: what is read (was TypeError: 'int' object is not iterable, or from Path)
    (
        "read_lr_curves(5)",
        lambda: sl.read_lr_curves(5),  # type: ignore[arg-type]
        ConfigError,
        ("sources must be a file's or folder's path", "got int 5", "read_lr_curves('curves.csv')"),
    ),
    (
        "fit_curves(5)",
        lambda: sl.fit_curves(5),  # type: ignore[arg-type]
        ConfigError,
        ("curves must be a file's or folder's path", "got int 5", "Curve objects"),
    ),
    (
        "fit_curves([1, 2])",
        lambda: sl.fit_curves([1, 2]),  # type: ignore[list-item]
        ConfigError,
        ("curves must be", "got list [1, 2]"),
    ),
    (
        "fit_curves(RunTable)",
        lambda: sl.fit_curves(sl.read_runs(chinchilla_runs())),  # type: ignore[arg-type]
        ConfigError,
        ("fit_curves takes loss curves", "curves is a RunTable", "one final loss per run"),
    ),
    (
        "fit_curves(law=5)",
        lambda: _fit_curves(law=5),
        ConfigError,
        ("law must be a curve law's name or a CurveLaw", "got int 5", "multipower"),
    ),
    # curves: the fit's options (were NumPy's TypeError, or taken without a word)
    (
        "fit_curves(bootstrap=1.5)",
        lambda: _fit_curves(bootstrap=1.5),
        ConfigError,
        ("bootstrap must be a whole number", "got float 1.5", "--bootstrap"),
    ),
    (
        "fit_curves(max_iter=1.5)",
        lambda: _fit_curves(max_iter=1.5),
        ConfigError,
        ("max_iter must be a whole number", "got float 1.5", "--max-iter"),
    ),
    (
        "fit_curves(ridge='a')",
        lambda: _fit_curves(law="multipower", ridge="a"),
        ConfigError,
        ("ridge must be a number >= 0", "got str 'a'", "ridge=1e-6"),
    ),
    (
        "fit_curves(seed=1.5)",
        lambda: _fit_curves(seed=1.5),
        ConfigError,
        ("seed must be a whole number", "got float 1.5"),
    ),
    (
        "fit_curves(max_iter=0)",
        lambda: _fit_curves(max_iter=0),
        ConfigError,
        ("max_iter must be at least 1", "got 0"),
    ),
    (
        "Schedule.from_function(steps=1.5)",
        lambda: Schedule.from_function(lambda s: 1e-3, steps=1.5),  # type: ignore[arg-type]
        ConfigError,
        ("steps=1.5 is not a whole number of steps", "steps=2160"),
    ),
    (
        "Schedule.from_function(a string)",
        lambda: Schedule.from_function(lambda s: "3e-4", steps=10),  # type: ignore[arg-type,return-value]
        ConfigError,
        ("function(0) returned str '3e-4', not a learning rate", "lambda step: 3e-4"),
    ),
    (
        "parse_schedule(defaults=[1])",
        lambda: sl.parse_schedule("cosine:peak=3e-4", defaults=[1]),  # type: ignore[arg-type]
        ConfigError,
        ("defaults must be a mapping", "got list [1]", "defaults={'steps': 24000}"),
    ),
    # evaluations (were TypeError from os.fspath, 'not iterable', float('a'))
    (
        "read_evals(5)",
        lambda: sl.read_evals(5),  # type: ignore[arg-type]
        ConfigError,
        ("source must be a file's path", "or a DataFrame", "got int 5", "'evals.csv'"),
    ),
    (
        "read_evals([frame])",
        lambda: sl.read_evals([_evals()]),  # type: ignore[arg-type]
        ConfigError,
        ("source must be a file's path", "got list", "pd.concat"),
    ),
    (
        "read_evals(chance=5)",
        lambda: sl.read_evals(_evals(), chance=5),  # type: ignore[arg-type]
        ConfigError,
        ("chance must be a mapping of task -> chance accuracy", "got int 5", "{'piqa': 0.5}"),
    ),
    (
        "read_evals(chance={'task': 'a'})",
        lambda: sl.read_evals(_evals(), chance={"task": "a"}),  # type: ignore[dict-item]
        ConfigError,
        ("chance['task'] must be a chance accuracy", "got str 'a'", "chance={'task': 0.25}"),
    ),
    # loss-to-loss (x=5 said "y must name the loss column"; group=5 AttributeError .strip)
    (
        "fit_loss_to_loss(x=5)",
        lambda: _l2l(x=5),
        ConfigError,
        ("x (a column's name) must be a string", "got 5", "x='loss_c4'"),
    ),
    (
        "fit_loss_to_loss(group=5)",
        lambda: _l2l(group=5),
        ConfigError,
        ("group (a column's name) must be a string", "group='dataset'"),
    ),
    # a list (or a number) where a mapping or a list goes
    (
        "compare(laws=5)",
        lambda: sl.compare(chinchilla_runs(), laws=5, bootstrap=0),  # type: ignore[arg-type]
        ConfigError,
        ("laws must be laws' names, formulas or Law objects", "got int 5", "laws=['chinchilla'"),
    ),
    (
        "compare(laws=[5])",
        lambda: sl.compare(chinchilla_runs(), laws=[5], bootstrap=0),  # type: ignore[list-item]
        ConfigError,
        ("laws must be", "got list [5]"),
    ),
    (
        "fit_hparams(columns=['lr'])",
        lambda: sl.fit_hparams(sweep(5), seq_len=SEQ_LEN, bootstrap=0, columns=["lr"]),  # type: ignore[arg-type]
        ConfigError,
        ("columns must map names to column names", "got list ['lr']", "columns={"),
    ),
    (
        "envelope(columns=['loss'])",
        lambda: sl.envelope(pd.DataFrame(), columns=["loss"]),  # type: ignore[arg-type]
        ConfigError,
        ("columns must map names to column names", "got list ['loss']"),
    ),
    (
        "read_lr_curves(columns=['loss'])",
        lambda: sl.read_lr_curves("nowhere.csv", columns=["loss"]),  # type: ignore[arg-type]
        ConfigError,
        ("columns must map names to column names", "got list ['loss']"),
    ),
    (
        "write_report(stated=['x'])",
        lambda: _report(stated=["x"], validate=False),
        ConfigError,
        ("stated must be a mapping of label -> value", "got list ['x']"),
    ),
    (
        "write_report(sections=5)",
        lambda: _report(sections=5, validate=False),
        ConfigError,
        ("sections must be a list of scalinglab.report.Section", "got int 5", "sections=[]"),
    ),
    (
        "ingest(mapping=['loss'])",
        lambda: _ingest(mapping=["loss"]),
        ConfigError,
        ("mapping must map names to column names", "got list ['loss']", "mapping={"),
    ),
    # a report of what is no fit (was AttributeError: 'str' object has no attribute 'y')
    (
        "write_report('fit.json')",
        lambda: _report("fit.json"),
        ConfigError,
        (
            "reports a scaling-law fit (a scalinglab.FitResult)",
            "got str 'fit.json'",
            "FitResult.load('fit.json')",
        ),
    ),
    (
        "write_report(CurveFit)",
        lambda: _report(_fit_curves()),
        ConfigError,
        ("reports a scaling-law fit", "got CurveFit"),
    ),
    # numbers (NumPy's broadcast ValueError; TypeError from math.isfinite or SeedSequence)
    (
        "flops_6nd([1, 2], [1, 2, 3])",
        lambda: sl.flops_6nd([1, 2], [1, 2, 3]),
        ConfigError,
        ("params (2 values) and tokens (3 values) do not pair up", "as many of each"),
    ),
    (
        "envelope(tokens_per_step='a')",
        lambda: sl.envelope(pd.DataFrame(), tokens_per_step="a"),  # type: ignore[arg-type]
        ConfigError,
        # text is read as --tokens-per-step reads it ('0.5M tokens'), and refused alike
        ("tokens_per_step='a' is not a number", "batch size × sequence length"),
    ),
    (
        "simulate_ladder(noise='a')",
        lambda: sl.simulate_ladder(noise="a"),  # type: ignore[arg-type]
        ConfigError,
        ("noise must be a number >= 0", "got str 'a'", "noise=0.01"),
    ),
    (
        "simulate_ladder(seed=1.5)",
        lambda: sl.simulate_ladder(seed=1.5),  # type: ignore[arg-type]
        ConfigError,
        ("seed must be a whole number", "got float 1.5"),
    ),
    (
        "simulate_ladder(seed=-1)",
        lambda: sl.simulate_ladder(seed=-1),
        ConfigError,
        ("seed must be at least 0", "got -1"),
    ),
    (
        "simulate_ladder(budgets=5)",
        lambda: sl.simulate_ladder(budgets=5),  # type: ignore[arg-type]
        ConfigError,
        ("budgets must be positive FLOP counts", "got int 5", "budgets=[1e18"),
    ),
    (
        "simulate_ladder(sizes_per_budget=1.5)",
        lambda: sl.simulate_ladder(sizes_per_budget=1.5),  # type: ignore[arg-type]
        ConfigError,
        ("sizes_per_budget must be a whole number", "got float 1.5"),
    ),
    # the store (TypeError from Path; AttributeError .run_id, .columns, .items)
    (
        "RunStore(5)",
        lambda: sl.RunStore(5),  # type: ignore[arg-type]
        ConfigError,
        ("path must be a file's path", "got int 5", "'runs.duckdb'"),
    ),
    (
        "ingest(5)",
        lambda: _ingest(5),
        ConfigError,
        ("source must be a file's path", "got int 5"),
    ),
    (
        "ingest(store=5)",
        lambda: _ingest(store=5),
        ConfigError,
        ("store must be a file's path", "got int 5"),
    ),
    (
        "RunStore.put_run(5)",
        lambda: sl.RunStore(_STORE).put_run(5),  # type: ignore[arg-type]
        ConfigError,
        ("RunStore.put_run takes a StoredRun", "got int 5", "StoredRun(run_id="),
    ),
    (
        "RunStore.put_evals(5)",
        lambda: sl.RunStore(_STORE).put_evals(5),  # type: ignore[arg-type]
        ConfigError,
        ("RunStore.put_evals takes a DataFrame of scores", "got int 5", "run (or run_id)"),
    ),
    (
        "StoredRun.from_dict([1])",
        lambda: StoredRun.from_dict([1]),  # type: ignore[arg-type]
        DataError,
        ("not a stored run: a list where the run's dict goes", "StoredRun.to_dict()"),
    ),
    (
        "StoredRun.from_dict({})",
        lambda: StoredRun.from_dict({}),
        DataError,
        ("not a stored run: its dict has no run_id and no name",),
    ),
    # a fit's coefficients by a name it lacks (was a bare KeyError: 'nope')
    (
        "FitResult.coefs['nope']",
        lambda: _fit().coefs["nope"],
        MissingKeyError,
        ("no coefficient 'nope'", "the coefficients are 'E', 'A', 'B', 'alpha', 'beta'"),
    ),
    (
        "FitResult.intervals['alpah']",
        lambda: _fit().intervals["alpah"],
        MissingKeyError,
        ("no coefficient 'alpah'", "did you mean 'alpha'?"),
    ),
    (
        "CurveFit.coefs['nope']",
        lambda: _fit_curves().coefs["nope"],  # type: ignore[attr-defined]
        MissingKeyError,
        ("no coefficient 'nope'", "'L0'"),
    ),
    # True/False options given a truthy string (were read as True)
    (
        "read_runs(drop_outliers='no')",
        lambda: sl.read_runs(chinchilla_runs(), drop_outliers="no"),  # type: ignore[arg-type]
        ConfigError,
        ("drop_outliers must be True or False, got str 'no'", "drop_outliers=False"),
    ),
    (
        "FitResult.predict(extrapolation='no')",
        lambda: _fit().predict(params=1e9, tokens=1e10, extrapolation="no"),  # type: ignore[arg-type]
        ConfigError,
        ("extrapolation must be True or False, got str 'no'",),
    ),
    (
        "FitResult.predict(noise='no')",
        lambda: _fit().predict(params=1e9, tokens=1e10, noise="no"),  # type: ignore[arg-type]
        ConfigError,
        ("noise must be True or False, got str 'no'",),
    ),
    (
        "Preset.predict(noise=0)",
        lambda: sl.get_preset("hoffmann2022").predict(params=1e9, tokens=1e10, noise=0),  # type: ignore[arg-type]
        ConfigError,
        ("noise must be True or False, got int 0",),
    ),
    (
        "fit_hparams(include_unbracketed='no')",
        lambda: sl.fit_hparams(sweep(5), seq_len=SEQ_LEN, include_unbracketed="no"),  # type: ignore[arg-type]
        ConfigError,
        ("include_unbracketed must be True or False, got str 'no'",),
    ),
    (
        "fit(compare='no')",
        lambda: sl.fit("chinchilla", chinchilla_runs(), compare="no"),  # type: ignore[arg-type]
        ConfigError,
        ("compare must be True or False", "--no-compare"),
    ),
    (
        "ingest(progress=5)",
        lambda: _ingest(progress=5),
        ConfigError,
        ("progress must be a callable progress(done, total)", "got int 5"),
    ),
    # predict's keyword named, not the law's symbol, with what to pass
    (
        "FitResult.predict(params=-1)",
        lambda: _fit().predict(params=-1, tokens=1e10),
        DataError,
        (
            "params (the law's N) must be positive and finite to predict, got -1 ",
            "pass a value above 0, e.g. params=7e9",
        ),
    ),
    (
        "FitResult.predict(tokens=0)",
        lambda: _fit().predict(params=1e9, tokens=0),
        DataError,
        ("tokens (the law's D) must be positive and finite", "e.g. tokens=1.4e12"),
    ),
]


@pytest.mark.parametrize(
    ("call", "exc", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_wrong_input_is_a_scalinglab_error(
    call: Callable[[], object], exc: type[ScalingLabError], words: tuple[str, ...]
) -> None:
    with pytest.raises(exc) as err:
        call()
    for word in words:
        assert word in str(err.value), (word, str(err.value))
    assert not _OUT.exists() and not _STORE.exists()  # refused before anything is written


def _public_flags() -> list[tuple[str, Callable[..., object], str]]:
    """Every keyword-only option annotated ``bool`` of a function scalinglab's packages
    export, once per function."""
    modules = ["scalinglab", *(f"scalinglab.{m}" for m in (
        "curves", "data", "downstream", "execute", "fit", "hparams", "ingest", "laws", "plan",
        "report", "store", "validate", "ladder",
    ))]  # fmt: skip
    out: dict[int, list[tuple[str, Callable[..., object], str]]] = {}
    for name in modules:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            func = getattr(module, attr)
            if not inspect.isfunction(func) or id(func) in out:
                continue
            params = inspect.signature(func).parameters.values()
            out[id(func)] = [
                (f"{name}.{attr}", func, p.name)
                for p in params
                if p.annotation == "bool" and p.kind is inspect.Parameter.KEYWORD_ONLY
            ]
    return [flag for flags in out.values() for flag in flags]


FLAGS = _public_flags()


def test_the_public_flags_are_found() -> None:
    # the sweep finds what the brief listed, so an empty search cannot pass the test below
    found = {(call.rsplit(".", 1)[-1], name) for call, _, name in FLAGS}
    assert {("read_runs", "drop_outliers"), ("fit", "compare"), ("fit_hparams",
            "include_unbracketed"), ("write_report", "validate"), ("minimize",
            "keep_states")} <= found  # fmt: skip
    assert len(FLAGS) >= 25


@pytest.mark.parametrize(
    ("func", "name"), [f[1:] for f in FLAGS], ids=[f"{f[0]}({f[2]})" for f in FLAGS]
)
def test_every_public_true_false_option_refuses_a_truthy_string(
    func: Callable[..., object], name: str
) -> None:
    """``"no"`` is truthy: read by its truth it would do what it says not to. Refused before
    anything else is asked of the other arguments."""
    with pytest.raises(ConfigError, match=rf"^{name} must be True or False, got str 'no'"):
        func(**{name: "no"})


def test_numpy_bools_still_pass_as_flags() -> None:
    # a flag computed with NumPy (np.False_) is a bool for these options
    runs = chinchilla_runs()
    assert sl.read_runs(runs, drop_outliers=np.False_).runs == sl.read_runs(runs).runs  # type: ignore[arg-type]


def test_coefficients_by_name_keep_pickling_equality_and_json() -> None:
    result = _fit()
    assert isinstance(MissingKeyError("x"), KeyError)  # `except KeyError` still catches it
    with pytest.raises(KeyError):
        result.coefs["nope"]
    assert "nope" not in result.coefs and result.coefs.get("nope") is None
    assert result.intervals.get("nope", (0.0, 1.0)) == (0.0, 1.0)
    again = pickle.loads(pickle.dumps(result))
    assert again.coefs == result.coefs and again.intervals == result.intervals
    assert dict(again.coefs) == dict(result.coefs)  # equal to a plain dict of the same
    assert again.to_dict() == result.to_dict()
    with pytest.raises(MissingKeyError):
        again.coefs["nope"]  # still named after the round trip
    data = result.to_dict()
    assert type(data["coefs"]) is dict and type(data["intervals"]) is dict
    # the JSON form is the coefficients' own numbers, read back as they were written
    text = json.dumps(data, sort_keys=True, default=str)
    assert json.loads(text)["coefs"] == {k: float(v) for k, v in result.coefs.items()}
    assert list(result.coefs) == ["E", "A", "B", "alpha", "beta"]


def test_the_checks_leave_good_inputs_as_they_were() -> None:
    # flops_6nd broadcasts one token count against several sizes: 6·N·D by hand
    assert sl.flops_6nd([1e9, 7e9], 1e11).tolist() == [6e20, 4.2e21]
    # from_function: a count of steps written 3.0 is 3 steps; NumPy's scalars are rates
    schedule = Schedule.from_function(lambda s: np.float32(1e-3 * (s + 1)), steps=3.0)  # type: ignore[arg-type]
    assert schedule.steps == 3 and schedule.lr == pytest.approx([1e-3, 2e-3, 3e-3])
    # parse_schedule's defaults as a mapping fill the spec's missing keys
    filled = sl.parse_schedule("cosine:peak=3e-4", defaults={"steps": 1000})
    assert filled.steps == 1000 and filled.lr[0] == 3e-4  # no warm-up: the peak at step 0
    # simulate_ladder: one budget of 1e20 FLOPs, 3 sizes whose 6·N·D is the budget
    table = sl.simulate_ladder(budgets=[1e20], sizes_per_budget=3, seed=0, noise=0)
    assert table["flops"].tolist() == [1e20] * 3
    assert (6 * table["params"] * table["tokens"]).tolist() == pytest.approx([1e20] * 3)
