"""Baselines scored on the same split as scalinglab: what people do without it.

- ``curve_fit``: :func:`scipy.optimize.curve_fit` least squares on the raw loss, the law's
  form, one start (the law's own initial guess from the data), bounds from the law; intervals
  from the returned covariance (parameter draws ``N(popt, pcov)``, percentiles of the
  predictions), which is what a user of ``curve_fit`` gets.
- ``chinchilla-pkg``: the ``chinchilla`` package from PyPI (Takano 2024, ``pip install
  chinchilla``), Chinchilla law only, its default loss (asymmetric MAE, which fits the floor
  of the loss distribution) and BFGS over a grid of starts; point predictions only (it has no
  intervals). Imported lazily; if it is not installed the baseline raises
  :class:`ConfigError` naming the install command.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import math
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.data import RunTable, check_enough_runs
from scalinglab.data._readers import RunsLike, to_table
from scalinglab.data._schema import Y_OPTION
from scalinglab.laws import Law, get_law
from scalinglab.validate._backtest import Backtest, spec_of
from scalinglab.validate._few_runs import few_runs_note
from scalinglab.validate._score import Array, Predictor, score, scored_levels, summarize
from scalinglab.validate._split import Split, law_scale, split_runs

__all__ = ["BASELINES", "baseline_backtest"]

#: Baseline methods :func:`baseline_backtest` knows.
BASELINES = ("curve_fit", "chinchilla-pkg")
_DRAWS = 2000


def baseline_backtest(
    runs: RunsLike,
    *,
    method: str,
    law: str | Law = "chinchilla",
    holdout: str | Split = "top-decile",
    level: float | Sequence[float] | None = None,
    seed: int = 0,
    y: str = "loss",
    x: Mapping[str, str] | None = None,
    levels: Sequence[float] | None = None,
) -> Backtest:
    """Backtest a baseline method on a split, scored exactly as :func:`backtest` scores.

    Args:
        runs: A :class:`RunTable`, a DataFrame, or a path readable by :func:`read_runs`.
        method: ``"curve_fit"`` or ``"chinchilla-pkg"``.
        law: The law form (``chinchilla-pkg`` fits only the Chinchilla law).
        holdout: A hold-out rule or a :class:`Split`, as :func:`backtest` takes it.
        level: Nominal coverage(s) scored, as :func:`backtest`'s.
        seed: Seed, as :func:`backtest`'s.
        y: Column holding the loss.
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it: the baseline reads the
            columns scalinglab's fit of ``law`` reads (a formula in ``P`` and ``T`` with
            ``x={"P": "params", "T": "tokens"}``; ``N`` from ``nonemb``), not the symbols'
            default columns.
        levels: Deprecated name of ``level`` (one release), as in :func:`backtest`.

    Returns:
        The backtest, scored as :func:`backtest` scores.

    Raises:
        ConfigError: For an unknown method, or ``chinchilla-pkg`` not installed.
    """
    levels = scored_levels(level, levels, caller="baseline_backtest")
    form = get_law(law, columns=x)
    # the column each symbol reads, as fit maps it: x over the law's defaults
    columns = {s: (x or {}).get(s, c) for s, c in form.variables.items()}
    if isinstance(holdout, Split):
        split = holdout
    else:
        table = to_table(runs, x=x, y=y, loss_option=Y_OPTION)
        split = split_runs(table, holdout, scale=law_scale([form], table, x))
    check_enough_runs(split.fitted, len(form.params), law_name=form.name)
    if method == "curve_fit":
        predict, notes = _curve_fit(form, split.fitted, columns, y=y, seed=seed)
    elif method == "chinchilla-pkg":
        if set(form.variables) != {"N", "D"} or form.name != "chinchilla":
            raise ConfigError(
                f"the chinchilla package fits only the Chinchilla law, not {form.name!r}",
                hint="compare it with --law chinchilla",
            )
        predict, notes = _chinchilla_pkg(split.fitted, (columns["N"], columns["D"]), y=y)
    else:
        raise ConfigError(
            f"unknown baseline {method!r}", hint=f"choose one of {', '.join(BASELINES)}"
        )
    scored = score(split, predict, levels=levels, y=y)
    summary = summarize(scored, levels)
    few = few_runs_note(summary, levels)
    return Backtest(
        law=spec_of(law),
        method=method,
        split=split,
        runs=scored,
        summary=summary,
        notes=(*notes, *([few] if few else [])),
        warnings=split.warnings,
    )


def _curve_fit(
    form: Law, train: RunTable, columns: Mapping[str, str], *, y: str, seed: int
) -> tuple[Predictor, list[str]]:
    from scipy.optimize import curve_fit

    data = {s: np.asarray(train[c], float) for s, c in columns.items()}
    loss = np.asarray(train[y], float)
    guess = form.initial_guess(data, loss)
    p0 = np.array([guess[n] for n in form.param_names], float)
    lo = np.array([p.lower if not p.positive else max(p.lower, 0.0) for p in form.params])
    hi = np.array([p.upper for p in form.params])
    p0 = np.clip(p0, np.nextafter(lo, np.inf), np.nextafter(hi, -np.inf))

    def model(_: Any, *theta: float) -> Array:
        return np.asarray(form.evaluate(np.array(theta), data), float)

    notes = [f"curve_fit: least squares on raw loss from the law's initial guess {_fmt(p0)}"]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # OptimizeWarning on an unestimable covariance
        try:
            popt, pcov = curve_fit(
                model, np.zeros(len(loss)), loss, p0=p0, bounds=(lo, hi), maxfev=20000
            )
        except (RuntimeError, ValueError) as err:
            notes.append(f"curve_fit failed ({err}); predicting with its starting point")
            popt, pcov = p0, np.full((len(p0), len(p0)), np.inf)
    rng = np.random.default_rng(seed)
    draws = None
    if np.all(np.isfinite(pcov)):
        with contextlib.suppress(np.linalg.LinAlgError, ValueError):
            draws = rng.multivariate_normal(popt, pcov, size=_DRAWS, method="eigh")
            draws = np.clip(draws, lo, hi)
    if draws is None:
        notes.append("curve_fit: covariance not finite, no intervals")

    def predict(test: RunTable, levels: Sequence[float]) -> Any:
        at = {s: np.asarray(test[c], float) for s, c in columns.items()}
        point = np.asarray(form.evaluate(popt, at), float)
        bands = {}
        for lv in levels:
            if draws is None:
                nan = np.full_like(point, math.nan)
                bands[lv] = (nan, nan)
                continue
            with np.errstate(all="ignore"):
                values = form.evaluate(draws, at)
            lo_v, hi_v = np.nanpercentile(values, [50 * (1 - lv), 50 * (1 + lv)], axis=0)
            bands[lv] = (lo_v, hi_v)
        return point, bands

    return predict, notes


def chinchilla_package() -> Any:
    """The ``chinchilla`` package's ``Chinchilla`` class (the ``chinchilla-pkg`` baseline).

    Raises:
        ConfigError: When it is not installed, with the version range scalinglab is tested
            with (the ``baselines`` extra).
    """
    try:  # imported by name: an optional, untyped package
        return importlib.import_module("chinchilla").Chinchilla
    except ImportError as err:
        raise ConfigError(
            f"the chinchilla package is not importable ({err})",
            hint='install the tested versions: pip install "chinchilla>=0.2,<0.3" '
            '(scalinglab\'s "baselines" extra)',
        ) from None


def _chinchilla_pkg(train: RunTable, nd: tuple[str, str], *, y: str) -> tuple[Predictor, list[str]]:
    """``nd``: the columns the law's N and D read (``nonemb`` for N with ``x={"N": ...}``)."""
    package = chinchilla_package()
    import pandas as pd

    grid = {
        "e": (-1.0, 0.0, 1.0),
        "a": (0.0, 5.0, 10.0),
        "b": (0.0, 5.0, 10.0),
        "alpha": (0.0, 0.5, 1.0),
        "beta": (0.0, 0.5, 1.0),
    }
    df = pd.DataFrame(
        {
            "C": 6 * np.asarray(train[nd[0]]) * np.asarray(train[nd[1]]),
            "N": np.asarray(train[nd[0]]),
            "D": np.asarray(train[nd[1]]),
            "loss": np.asarray(train[y]),
        }
    )
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        df.to_csv(f"{folder}/df.csv", index=False)
        logging.disable(logging.CRITICAL)  # it logs at INFO through rich on every call
        try:
            cc = package(project_dir=folder, param_grid=grid, log_level=50)
            cc.fit(parallel=False)
            params = cc.get_params()
        finally:
            logging.disable(logging.NOTSET)
    notes = [
        "chinchilla-pkg: chinchilla "
        + _version()
        + f" with its default loss (asymmetric MAE), BFGS from {3**5} starts; no intervals",
    ]

    def predict(test: RunTable, levels: Sequence[float]) -> Any:
        n, d = np.asarray(test[nd[0]]), np.asarray(test[nd[1]])
        point = (
            params["E"] + params["A"] * n ** -params["alpha"] + params["B"] * d ** -params["beta"]
        )
        nan = np.full_like(point, math.nan)
        return np.asarray(point, float), {lv: (nan, nan.copy()) for lv in levels}

    return predict, notes


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinchilla")
    except PackageNotFoundError:  # pragma: no cover - imported but not installed as a dist
        return "(unknown version)"


def _fmt(theta: Array) -> str:
    return "[" + ", ".join(format_g(v, 3) for v in theta) + "]"
