"""One behaviour for a misspelt keyword across the public Python API: every function in
``scalinglab.__all__`` and the results' ``predict`` / ``final_loss`` refuse it with one
:class:`ConfigError` form (what was given, the options taken, the nearest one), never
Python's bare ``TypeError``; ``compare(runs, law=...)`` says it takes ``laws=``; the old
``loss=`` still works, warning at the caller's line."""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.test_curves import SPECS, _synthetic
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab
from scalinglab import ConfigError
from scalinglab.curves import Tissue

FORM = re.compile(
    r"^(?P<call>[\w.]+) got (?P<name>\w+)=, which is none of its options \((?P<options>.*)\)$"
)
TISSUE = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


@dataclass(frozen=True)
class Inputs:
    """Minimal valid arguments, written once per module."""

    runs_csv: Path
    curves_csv: Path
    evals_csv: Path
    report: Path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    root = tmp_path_factory.mktemp("slips")
    runs_csv = root / "runs.csv"
    scalinglab.simulated_runs().to_pandas().to_csv(runs_csv, index=False)
    curves_csv = root / "curves.csv"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)
    rows = [(c.run, int(k), float(c.schedule.lr[k]), float(v))
            for c in curves for k, v in zip(c.step, c.loss, strict=True)]  # fmt: skip
    pd.DataFrame(rows, columns=["run", "step", "lr", "loss"]).to_csv(curves_csv, index=False)
    evals_csv = root / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(evals_csv, index=False)
    return Inputs(runs_csv, curves_csv, evals_csv, root / "report.html")


@cache
def _fit() -> scalinglab.FitResult:
    return scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)


@cache
def _chain(evals_csv: Path) -> scalinglab.DownstreamFit:
    evals = scalinglab.read_evals(evals_csv)
    return scalinglab.fit_downstream(evals, tasks=["task"], bootstrap=0, max_backtest_error=None)


def _ladder() -> object:
    from scalinglab.ladder import get_recipe

    return get_recipe("tiny")


Args = tuple[tuple[Any, ...], dict[str, Any]]
#: Each public function: its positional arguments and the keywords it needs.
ARGS: dict[str, Callable[[Inputs], Args]] = {
    "backtest": lambda i: ((i.runs_csv,), {}),
    "backtest_downstream": lambda i: ((scalinglab.read_evals(i.evals_csv),), {}),
    "backtest_hparams": lambda i: ((sweep(1),), {}),
    "bundled_runs": lambda i: (("overtraining-c4",), {}),
    "compare": lambda i: ((i.runs_csv,), {"laws": ["chinchilla"]}),
    "compute_for_loss": lambda i: ((scalinglab.get_preset("hoffmann2022"),), {"target_loss": 2.5}),
    "default_runs": lambda i: ((), {}),
    "envelope": lambda i: ((scalinglab.read_lr_curves(i.curves_csv),), {}),
    "fit": lambda i: (("chinchilla", i.runs_csv), {}),
    "fit_curves": lambda i: ((i.curves_csv,), {}),
    "fit_downstream": lambda i: ((scalinglab.read_evals(i.evals_csv),), {}),
    "fit_hparams": lambda i: ((sweep(1),), {}),
    "fit_loss_to_loss": lambda i: ((i.evals_csv,), {"x": "loss", "y": "loss"}),
    "flops_6nd": lambda i: ((7e9, 1.4e12), {}),
    "get_critical_batch_preset": lambda i: (("kaplan2020",), {}),
    "get_hparam_preset": lambda i: (("steplaw2025",), {}),
    "get_law": lambda i: (("chinchilla",), {}),
    "get_preset": lambda i: (("hoffmann2022",), {}),
    "ingest": lambda i: ((i.runs_csv,), {"store": i.report.with_suffix(".duckdb")}),
    "isoflop": lambda i: ((i.runs_csv,), {}),
    "optimal_allocation": lambda i: ((scalinglab.get_preset("hoffmann2022"),), {"flops": 1e24}),
    "parse_formula": lambda i: (("E + A*N**-alpha",), {}),
    "parse_quantity": lambda i: (("70B",), {}),
    "parse_schedule": lambda i: ((SPECS[0],), {}),
    "plan_for_accuracy": lambda i: ((_chain(i.evals_csv), "task", 0.6), {}),
    "read_evals": lambda i: ((i.evals_csv,), {}),
    "read_lr_curves": lambda i: ((i.curves_csv,), {}),
    "read_runs": lambda i: ((i.runs_csv,), {}),
    "rolling_backtest": lambda i: ((i.runs_csv,), {}),
    "run_ladder": lambda i: ((_ladder(),), {"store": None, "backend": None}),
    "simulate_ladder": lambda i: ((), {}),
    "simulated_runs": lambda i: ((), {}),
    "transformer_flops": lambda i: (
        (),
        {"d_model": 512, "n_layers": 8, "n_heads": 8, "vocab_size": 50257, "seq_len": 1024},
    ),
    "transformer_params": lambda i: ((), {"d_model": 512, "n_layers": 8, "vocab_size": 50257}),
    "write_report": lambda i: ((_fit(), scalinglab.simulated_runs(), i.report), {}),
}
#: Old names still read (with a warning): taken, never listed.
DEPRECATED = {
    **dict.fromkeys(("fit", "fit_curves"), frozenset({"loss", "max_steps"})),
    **dict.fromkeys(("fit_hparams", "backtest_hparams"), frozenset({"loss"})),
    **dict.fromkeys(("backtest", "compare", "rolling_backtest"), frozenset({"loss", "levels"})),
}


def _functions() -> list[str]:
    return [n for n in scalinglab.__all__ if inspect.isfunction(getattr(scalinglab, n))]


def test_every_public_function_has_its_arguments_here() -> None:
    assert sorted(ARGS) == sorted(_functions())  # a new public function joins the loop


@pytest.mark.parametrize("name", _functions())
def test_a_misspelt_keyword_gets_the_one_message(name: str, inputs: Inputs) -> None:
    func = getattr(scalinglab, name)
    args, needed = ARGS[name](inputs)
    with pytest.raises(ConfigError) as err:
        func(*args, **needed, bootstarp=5)
    got = FORM.match(err.value.message)
    assert got is not None, err.value.message
    assert got["call"] == f"scalinglab.{name}" and got["name"] == "bootstarp"
    listed = got["options"].split(", ") if got["options"] != "it takes none" else []
    params = inspect.signature(func).parameters
    old = DEPRECATED.get(name, frozenset())
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    own = [n for n, p in params.items() if p.kind in kinds and n not in old]
    assert listed[: len(own)] == own and not old & set(listed)
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):  # backtests: fit's options too
        assert {"robust_loss", "delta", "starts"} <= set(listed[len(own) :])
    else:
        assert len(listed) == len(own)
    hint = "did you mean bootstrap=?" if "bootstrap" in listed else f"see help(scalinglab.{name})"
    assert err.value.hint == hint


def _methods() -> list[tuple[str, Callable[..., object], dict[str, Any], str]]:
    """(call, method, its arguments, the option a slip of 'level' means)."""
    lx = np.geomspace(2.2, 4.5, 16)
    frame = pd.DataFrame({"params": 1e7 * np.arange(1, 17), "tokens": 2e9, "loss_x": lx,
                          "loss_y": 0.9 * (lx - 0.5) ** 1.1 + 0.6})  # fmt: skip
    l2l = scalinglab.fit_loss_to_loss(frame, x="loss_x", y="loss_y", bootstrap=0)
    evals = scalinglab.read_evals(models(np.random.default_rng(0), SIZES, MULTS))
    chain = scalinglab.fit_downstream(evals, tasks=["task"], bootstrap=0, max_backtest_error=None)
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)
    curve_fit = scalinglab.fit_curves(curves, law="tissue", bootstrap=0)
    hp = scalinglab.fit_hparams(sweep(1), seq_len=SEQ_LEN, bootstrap=0)
    point = {"params": 3e8, "tokens": 6e9}
    return [
        ("FitResult.predict", _fit().predict, point, "level"),
        ("Preset.predict", scalinglab.get_preset("hoffmann2022").predict, point, "level"),
        ("CurveFit.predict", curve_fit.predict, {"schedule": SPECS[0]}, "level"),
        ("CurveFit.final_loss", curve_fit.final_loss, {"schedule": SPECS[0]}, "level"),
        ("DownstreamFit.predict", chain.predict, point, "level"),
        ("LossToLossFit.predict", l2l.predict, {"loss": 3.0}, "level"),
        ("HparamFit.predict", hp.predict, point, "level"),
        ("HparamPreset.predict", scalinglab.get_hparam_preset("steplaw2025").predict, point,
         "seq_len"),
    ]  # fmt: skip


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_the_results_methods_say_it_the_same_way() -> None:
    for call, method, given, meant in _methods():
        slip = "levle" if meant == "level" else "seqlen"
        with pytest.raises(ConfigError) as err:
            method(**given, **{slip: 0.5})
        got = FORM.match(err.value.message)
        assert got is not None, err.value.message
        assert (got["call"], got["name"]) == (call, slip)
        assert meant in got["options"].split(", ")
        assert err.value.hint == f"did you mean {meant}=?", call
        method(**given)  # the arguments are valid: the slip alone was refused


def test_compare_given_law_says_it_takes_laws() -> None:
    runs = scalinglab.simulated_runs()
    with pytest.raises(ConfigError) as err:
        scalinglab.compare(runs, law="chinchilla")  # type: ignore[call-arg]
    assert err.value.message.startswith("scalinglab.compare got law=, which is none of its ")
    assert err.value.hint == "compare takes laws= (a list), e.g. laws=['chinchilla']"
    with pytest.raises(ConfigError) as err:
        scalinglab.compare(runs)  # type: ignore[call-arg]
    assert err.value.message == "scalinglab.compare needs laws="
    assert err.value.hint == "compare takes laws= (a list), e.g. laws=['chinchilla']"


def test_a_needed_keyword_left_out_is_said_too() -> None:
    with pytest.raises(ConfigError) as err:
        scalinglab.optimal_allocation(scalinglab.get_preset("hoffmann2022"))  # type: ignore[call-arg]
    assert str(err.value) == (
        "scalinglab.optimal_allocation needs flops= (see help(scalinglab.optimal_allocation))"
    )


def test_old_keywords_still_work_and_warn_at_the_callers_line(inputs: Inputs) -> None:
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit_curves\(loss=\)") as got:
        old = scalinglab.fit_curves(inputs.curves_csv, law="tissue", bootstrap=0, loss="squared")
    assert got[0].filename == __file__
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.backtest_hparams\(loss=\)") as got:
        bt = scalinglab.backtest_hparams(sweep(4), seq_len=SEQ_LEN, loss="squared", presets=())
    assert got[0].filename == __file__ and bt.held_out
    with pytest.warns(DeprecationWarning, match=r"^backtest\(levels=\) is deprecated") as got:
        scored = scalinglab.backtest(inputs.runs_csv, bootstrap=0, levels=[0.8])
    assert got[0].filename == __file__ and list(scored.summary.coverage) == [0.8]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name warns of nothing, and fits the same
        new = scalinglab.fit_curves(inputs.curves_csv, law="tissue", bootstrap=0,
                                    robust_loss="squared")  # fmt: skip
    assert dict(old.coefs) == dict(new.coefs) and old.objective == new.objective
