"""The Python API's wrong inputs, second sweep (``tests/test_api_error_sweep.py`` holds the
first): a True/False option given ``"no"`` (truthy) is refused, not read as True."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from functools import cache

import numpy as np
import pytest
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import ConfigError, ScalingLabError


@cache
def _fit() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(), bootstrap=20, seed=0)


CASES: list[tuple[str, Callable[[], object], type[ScalingLabError], tuple[str, ...]]] = [
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
