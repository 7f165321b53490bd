"""The ``Raises:`` sections of the first calls name classes a user can catch, and say true.

``help()`` of ``fit``, ``read_runs``, ``FitResult.predict``, ``fit_curves``,
``fit_downstream``, ``fit_hparams``, ``compute_for_loss``, ``isoflop`` and
``plan_for_accuracy`` said what they raise in words that had drifted from the code:
``fit_downstream`` put an unknown law under ``ConfigError`` (it is a ``FormulaError``),
``compute_for_loss`` named ``UnreachableError``, which ``scalinglab`` did not export, and
``read_runs``' ``ConfigError`` sat below a paragraph, outside its Raises section; ``fit``
and ``FitResult.predict`` had no Raises section. Each class named there must be an
exception ``scalinglab`` exports, and a case of each raises exactly the class named.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from tests.test_public_docs_match import CALLABLES, entries, sections

import scalinglab
from scalinglab import (
    ConfigError,
    DataError,
    FitError,
    FormulaError,
    TooFewCellsError,
    UnreachableError,
)

#: The entry points whose Raises sections are held to the classes they raise.
ENTRY_POINTS = (
    "fit", "read_runs", "FitResult.predict", "fit_curves", "fit_downstream", "fit_hparams",
    "compute_for_loss", "isoflop", "plan_for_accuracy",
)  # fmt: skip


def raises_named(doc: str) -> list[str]:
    """The classes a docstring's ``Raises:`` section names, in order."""
    return entries(sections(doc).get("Raises", []))


def not_exported(names: list[str]) -> list[str]:
    """The names that are no exception class of ``scalinglab.__all__``."""

    def caught(name: str) -> bool:
        cls = getattr(scalinglab, name, None) if name in scalinglab.__all__ else None
        return isinstance(cls, type) and issubclass(cls, scalinglab.ScalingLabError)

    return [n for n in names if not caught(n)]


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_each_names_what_it_raises_as_classes_scalinglab_exports(name: str) -> None:
    named = raises_named(CALLABLES[name][1])
    assert named, f"{name}: no Raises section"
    assert not_exported(named) == [], f"{name}: names a class scalinglab does not export"


def test_a_class_scalinglab_does_not_export_is_caught() -> None:
    doc = """Plan.

    Raises:
        ConfigError: A bad option.
        RungError: A private class.
        KeyError: Not scalinglab's.
    """
    assert not_exported(raises_named(inspect.cleandoc(doc))) == ["RungError", "KeyError"]


# -- a case of each class named, raised as named ---------------------------------------


def _runs() -> scalinglab.RunTable:
    return scalinglab.simulated_runs()


def _frame() -> pd.DataFrame:
    frame = _runs().to_pandas()
    frame["acc_task"] = 0.25 + 0.6 / (1 + np.exp(3 * (frame["loss"] - 2.9)))
    return frame


def _sweep() -> pd.DataFrame:
    grid = [(n, 20 * n, lr, b) for n in (1e8, 2e8, 4e8, 8e8)
            for lr in np.geomspace(1e-4, 1e-1, 10) for b in 2.0 ** np.arange(17, 22)]  # fmt: skip
    sweep = pd.DataFrame(grid, columns=["params", "tokens", "lr", "batch"])
    best_lr = 0.01 * (sweep["params"] / 1e8) ** -0.5
    sweep["loss"] = 3 + 0.05 * np.log(sweep["lr"] / best_lr) ** 2
    return sweep


def _curves() -> pd.DataFrame:
    steps = np.arange(1, 101)
    return pd.concat(
        pd.DataFrame({"run": f"lr{lr:g}", "step": steps, "lr": lr,
                      "loss": 2.5 + 0.5 * (lr * steps) ** -0.3})
        for lr in (3e-4, 1e-3, 3e-3)
    )  # fmt: skip


def _fit() -> scalinglab.FitResult:
    return scalinglab.fit("chinchilla", _runs(), bootstrap=0, compare=False)


def _chain() -> scalinglab.DownstreamFit:
    evals = scalinglab.read_evals(_frame(), chance={"task": 0.25})
    return scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=0)


FEW = {"params": [1e8, 2e8, 4e8], "tokens": [2e9, 4e9, 8e9], "loss": [3.0, 2.9, 2.8]}

CASES: list[tuple[str, type[Exception], Callable[[], object]]] = [
    ("fit", FormulaError, lambda: scalinglab.fit("chinchila", _runs())),
    ("fit", DataError, lambda: scalinglab.fit("chinchilla", FEW)),  # too few runs
    ("fit", ConfigError, lambda: scalinglab.fit("chinchilla", _runs(), level=90)),
    ("fit", FitError, lambda: scalinglab.fit(
        "chinchilla", _runs(), bootstrap=0, compare=False, starts=[[1000.0] * 5])),
    ("read_runs", DataError, lambda: scalinglab.read_runs({"params": [1e8], "tokens": [1e9]})),
    ("read_runs", ConfigError, lambda: scalinglab.read_runs(FEW, columns=5)),
    ("FitResult.predict", ConfigError, lambda: _fit().predict(params=1e9)),
    ("FitResult.predict", DataError, lambda: _fit().predict(params=-1e9, tokens=1e10)),
    ("fit_curves", ConfigError, lambda: scalinglab.fit_curves(_curves(), law="tisue")),
    ("fit_curves", DataError, lambda: scalinglab.fit_curves(_curves().drop(columns="loss"))),
    ("fit_downstream", FormulaError, lambda: scalinglab.fit_downstream(
        scalinglab.read_evals(_frame(), chance={"task": 0.25}), law="chinchila")),
    ("fit_downstream", ConfigError, lambda: scalinglab.fit_downstream(_frame())),
    ("fit_downstream", DataError, lambda: scalinglab.fit_downstream(
        scalinglab.read_evals(_frame().iloc[:4], chance={"task": 0.25}), law="chinchilla")),
    ("fit_hparams", TooFewCellsError, lambda: scalinglab.fit_hparams(
        _sweep().query("params < 3e8"), law="steplaw", bootstrap=0)),
    ("fit_hparams", DataError, lambda: scalinglab.fit_hparams(_sweep().drop(columns="lr"))),
    ("fit_hparams", ConfigError, lambda: scalinglab.fit_hparams(_sweep(), law="steplw")),
    ("compute_for_loss", UnreachableError,
     lambda: scalinglab.compute_for_loss("hoffmann2022", target_loss=1.0)),
    ("compute_for_loss", ConfigError,
     lambda: scalinglab.compute_for_loss("hofman2022", target_loss=2.0)),
    ("compute_for_loss", DataError,
     lambda: scalinglab.compute_for_loss("no/such/fit.json", target_loss=2.0)),
    ("isoflop", DataError, lambda: scalinglab.isoflop(FEW, bootstrap=0)),
    ("isoflop", ConfigError, lambda: scalinglab.isoflop(_runs(), space="lin")),
    ("plan_for_accuracy", ConfigError, lambda: scalinglab.plan_for_accuracy(_chain(), "tsak", 0.7)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "raised", "call"), CASES, ids=[f"{n}-{r.__name__}" for n, r, _ in CASES]
)
def test_a_case_raises_the_class_its_raises_section_names(
    name: str, raised: type[Exception], call: Callable[[], object]
) -> None:
    assert raised.__name__ in raises_named(CALLABLES[name][1])
    with pytest.raises(raised) as err:
        call()
    assert type(err.value) is raised  # the class itself, not a subclass named nowhere


def test_every_class_named_has_a_case() -> None:
    cased = {(n, r.__name__) for n, r, _ in CASES}
    named = {(n, c) for n in ENTRY_POINTS for c in raises_named(CALLABLES[n][1])}
    assert named - cased == set()
