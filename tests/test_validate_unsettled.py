"""``--law auto`` warns where a law its backtests could not tell from the chosen one plans
another compute-optimal N* (:mod:`scalinglab.validate._unsettled`): the numbers checked
against each law's closed-form optimum, the rule's edges, and the command line's outputs."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab._format import format_count
from scalinglab.validate._choose import choose_law
from scalinglab.validate._law_choice import LawChoice
from scalinglab.validate._unsettled import rivals

C = 1e24  # the largest default budget of runs up to 5.5e20 FLOPs


def _runs(*, alpha: float, beta: float, noise: float, seed: int, B: float = 410.0) -> pd.DataFrame:
    """A new user's sweep: 5 sizes x 6 tokens per parameter from ``1.7 + 400/N^alpha +
    B/D^beta``, each loss times ``1 + noise·z`` (drawn in the order of the rows)."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in (20e6, 50e6, 125e6, 350e6, 760e6):
        for r in (5, 10, 20, 40, 80, 160):
            d = n * r
            rows.append((n, d, (1.7 + 400 * n**-alpha + B * d**-beta) * (1 + noise * rng.normal())))
    return pd.DataFrame(rows, columns=["params", "tokens", "loss"])


def _optimum(coefs: np.ndarray) -> np.ndarray:
    """N* at C = 6·N·D of ``E + A/N^alpha + B/D^beta`` (Hoffmann et al. 2022, eq. 4), rows
    of ``(A, B, alpha, beta)``: ``G·(C/6)^(beta/(alpha+beta))``, ``G = (alpha·A/(beta·B))
    ^(1/(alpha+beta))``; the over-training law is ``beta = alpha``."""
    a, b, alpha, beta = np.atleast_2d(coefs).T
    g = (alpha * a / (beta * b)) ** (1 / (alpha + beta))
    return np.asarray(g * (C / 6) ** (beta / (alpha + beta)))


def _split(n: float) -> str:
    r = C / 6 / n**2  # tokens per parameter: D*/N* = C/(6·N*^2)
    return f"{format_count(n)} ({f'{r:.0f}' if r >= 100 else f'{r:.3g}'} tokens/param)"


#: Chinchilla's law with the exponents of Hoffmann et al. (0.34, 0.28), 0.5% noise: the
#: over-training law (one exponent) backtests 6% better and plans 1.57x Chinchilla's N*.
TIED: dict[str, Any] = {"alpha": 0.34, "beta": 0.28, "noise": 0.005, "seed": 1}


def test_law_auto_warns_where_a_tied_law_puts_n_star_elsewhere() -> None:
    runs = _runs(**TIED)
    choice = choose_law(runs)
    assert choice.chosen == "overtraining" and rivals(choice) == ("chinchilla",)
    result = sl.fit("auto", runs, bootstrap=50)
    chin = sl.fit("chinchilla", runs, bootstrap=0).coefs
    over = result.coefs
    n_chin = float(_optimum(np.array([chin["A"], chin["B"], chin["alpha"], chin["beta"]]))[0])
    row = [over["A"], over["B"], over["alpha"], over["alpha"]]
    n_over = float(_optimum(np.array(row))[0])
    assert (n_chin, n_over) == pytest.approx((5.46e10, 8.58e10), rel=1e-2)
    # the interval: the 5th and 95th percentiles of every resample's closed-form optimum
    assert result.samples is not None
    s = result.samples  # E, A, B, alpha
    lower, upper = np.percentile(_optimum(np.c_[s[:, 1], s[:, 2], s[:, 3], s[:, 3]]), [5, 95])
    ours, theirs = choice.scores["overtraining"], choice.scores["chinchilla"]
    within = math.ceil(100 * (theirs - ours) / ours)
    assert within == 7
    expected = (
        f"law auto: chinchilla backtests within 7% of overtraining ({theirs:.2%} vs "
        f"{ours:.2%}) but puts N* at 1e24 FLOPs at {_split(n_chin)} against "
        f"{_split(n_over)}, {n_over / n_chin:.2f}x apart, wider than overtraining's 90% "
        f"interval [{format_count(lower)}, {format_count(upper)}] ({upper / lower:.2f}x): "
        "the runs do not settle the allocation; plan with each law (--law chinchilla, --law "
        "overtraining; fit('chinchilla', runs) in Python) and compare"
    )
    assert result.warnings == (expected,)
    assert "54.6B (55.8 tokens/param) against 85.8B (22.6 tokens/param), 1.57x apart" in expected
    assert "[81.4B, 90.8B] (1.12x)" in expected
    assert not result.trusted
    # the plan module's allocation says the same
    planned = sl.optimal_allocation(result, flops=C)
    assert planned.params.value == pytest.approx(n_over, rel=1e-6)
    assert (planned.params.lower, planned.params.upper) == pytest.approx((lower, upper), rel=1e-6)


def test_without_a_bootstrap_the_two_n_star_are_compared_by_their_ratio() -> None:
    result = sl.fit("auto", _runs(**TIED), bootstrap=0)
    (line,) = result.warnings
    assert "at 54.6B (55.8 tokens/param) against 85.8B (22.6 tokens/param), 1.57x apart, " in line
    assert "over 1.25x (the fit has no bootstrap, so no interval): the runs do not settle" in line


@pytest.mark.parametrize(
    ("drawn", "chosen", "rival", "apart", "wide"),
    [
        # the over-training law's own runs, 0.1% noise: 387B against 398B [390B, 403B]
        ({"alpha": 0.3, "beta": 0.3, "noise": 0.001, "seed": 2}, "overtraining", "chinchilla",
         1.03, 1.03),
        # 0.2% noise: 459B against 398B [393B, 404B], under the 1.25x floor
        ({"alpha": 0.3, "beta": 0.3, "noise": 0.002, "seed": 1}, "overtraining", "chinchilla",
         1.15, 1.03),
        # Chinchilla's runs, 1% noise: 81.3B against 34.9B [12.2B, 76.7B], a wider interval
        ({"alpha": 0.34, "beta": 0.28, "noise": 0.01, "seed": 3}, "chinchilla", "overtraining",
         2.33, 6.29),
    ],
)  # fmt: skip
def test_no_warning_where_the_tied_laws_n_star_is_within_the_floor_or_the_interval(
    drawn: dict[str, Any], chosen: str, rival: str, apart: float, wide: float
) -> None:
    """A law the backtests cannot tell apart whose N* lies within 1.25x of the chosen one's,
    or within the width of its interval (outside the interval itself, in all three), plans
    the same or says no more than the interval does."""
    runs = _runs(**drawn)
    choice = choose_law(runs)
    assert choice.chosen == chosen and rivals(choice) == (rival,)
    result = sl.fit("auto", runs, bootstrap=50)
    theirs = sl.fit(rival, runs, bootstrap=0).coefs
    beta = theirs.get("beta", theirs["alpha"])
    n_rival = float(_optimum(np.array([theirs["A"], theirs["B"], theirs["alpha"], beta]))[0])
    planned = sl.optimal_allocation(result, flops=C).params
    assert not planned.lower <= n_rival <= planned.upper
    ratio = max(planned.value, n_rival) / min(planned.value, n_rival)
    assert (ratio, planned.upper / planned.lower) == pytest.approx((apart, wide), abs=0.006)
    assert result.warnings == ()


def test_no_warning_where_the_chosen_law_backtests_clearly_better() -> None:
    """On the RedPajama models Chinchilla's law scores 0.39% and the over-training law 0.53%:
    over 1/0.75 = 1.33x (the fit hint's "clearly better"), so it is not compared, though it
    would plan another N*; on RefinedWeb 0.50% against 2.07%."""
    for name in ("overtraining-rpj", "overtraining-rw"):
        runs = sl.bundled_runs(name)
        choice = choose_law(runs)
        assert choice.chosen == "chinchilla" and rivals(choice) == ()
        result = sl.fit("auto", runs, bootstrap=0)
        assert not [w for w in result.warnings if w.startswith("law auto:")]


def test_a_rival_is_a_law_the_chosen_one_is_not_clearly_better_than() -> None:
    scores = {"chinchilla": 0.0028, "overtraining": 0.0026, "kaplan": 0.0204}
    assert rivals(LawChoice("overtraining", scores, 21, (), "")) == ("chinchilla",)
    edge = {"chinchilla": 0.0039, "overtraining": 0.0052}  # 1.333x: not clearly better
    assert rivals(LawChoice("chinchilla", edge, 21, (), "")) == ("overtraining",)
    apart = {"chinchilla": 0.00392, "overtraining": 0.00532}  # 1.357x: clearly better
    assert rivals(LawChoice("chinchilla", apart, 21, (), "")) == ()
    tied = {"chinchilla": 0.0143, "overtraining": 0.0148, "kaplan": math.nan}
    assert rivals(LawChoice("overtraining", tied, 21, (), "")) == ("chinchilla",)


def test_laws_of_one_variable_are_not_compared() -> None:
    """Every run at one size: the candidates are laws of tokens alone, with no allocation."""
    runs = sl.bundled_runs()
    one = runs.select(runs["params"] < 2e7)
    result = sl.fit("auto", one, bootstrap=0)
    assert result.law.spec == "power-law-plus-constant:tokens"
    assert not [w for w in result.warnings if w.startswith("law auto:")]


@pytest.mark.heavy  # 2.0 s in the suite on a 2-core AMD EPYC
def test_fit_plan_and_json_carry_the_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The same line from ``fit --law auto`` (text, --json, --out) as from Python's
    ``fit("auto")``, repeated by ``plan --fit``; the default fit (Chinchilla's law, given)
    has no such line."""
    path = tmp_path / "sweep.csv"
    _runs(**TIED).to_csv(path, index=False)
    python = sl.fit("auto", sl.read_runs(path), bootstrap=50)
    (line,) = python.warnings
    saved = tmp_path / "fit.json"
    code, out, err = cli(
        capsys, "fit", str(path), "--law", "auto", "--bootstrap", "50", "--out", str(saved)
    )
    assert code == 0, err
    assert "warning: law auto: chinchilla backtests within 7% of overtraining" in out
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["warnings"] == [line] and data["trusted"] is False
    code, out, err = cli(capsys, "fit", str(path), "--law", "auto", "--bootstrap", "50", "--json")
    assert code == 0, err
    assert json.loads(out)["warnings"] == [line]
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e24", "--json")
    assert code == 0, err
    assert json.loads(out)["warnings"] == [line]
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22")
    assert code == 0, err
    assert "85.8B" in " ".join(out.split()) and "the runs do not settle" in out
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0", "--json")
    assert code == 0, err
    assert json.loads(out)["law"] == "chinchilla" and json.loads(out)["warnings"] == []
