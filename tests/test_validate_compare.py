"""Law comparison: the true law wins; the winner rule and the exponent spread by hand."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

from scalinglab import ConfigError, read_runs
from scalinglab.validate import compare, exponent_spread, split_runs
from scalinglab.validate._compare import TIE_RTOL, LawScore, pick_winner
from scalinglab.validate._tie import tie_said


@pytest.fixture(scope="module")
def comparison():  # type: ignore[no-untyped-def]
    df = chinchilla_runs(seed=3, noise=0.01, outliers=3)
    df["flops"] = 6 * df["params"] * df["tokens"]
    return compare(
        read_runs(df),
        laws=["chinchilla", "kaplan", "E + A*C**-alpha"],
        holdout="flops>=3e20",
        bootstrap=60,
    )


def test_the_true_law_wins(comparison) -> None:  # type: ignore[no-untyped-def]
    assert comparison.winner is not None and comparison.winner.law == "chinchilla"
    are = {s.law: s.backtest.summary.median_are for s in comparison.laws}
    assert are["chinchilla"] < 0.02
    assert are["chinchilla"] < min(are["kaplan"], are["E + A*C**-alpha"])
    assert "the lowest" in comparison.reason
    # every law saw the same runs: same split, same held-out runs in the same order
    held = {tuple(r.run for r in s.backtest.runs) for s in comparison.laws}
    assert len(held) == 1


def test_rows_carry_information_criteria_and_spreads(comparison) -> None:  # type: ignore[no-untyped-def]
    rows = {s.law: s for s in comparison.laws}
    c = rows["chinchilla"]
    assert c.n_coefs == 5 and c.ok and c.at_bound == ()
    assert c.backtest.fit is not None
    assert c.bic == pytest.approx(c.aic + 5 * (math.log(c.backtest.fit.n_runs) - 2))
    assert set(c.exponent_spread) == {"alpha", "beta"}
    assert set(rows["kaplan"].exponent_spread) == {"alpha_N", "alpha_D"}
    assert set(rows["E + A*C**-alpha"].exponent_spread) == {"alpha"}
    data = comparison.to_dict()
    assert data["winner"] == "chinchilla" and len(data["laws"]) == 3


def test_coefficient_count_is_n_coefs(comparison) -> None:  # type: ignore[no-untyped-def]
    # E, A, B, alpha, beta; N_c, alpha_N, D_c, alpha_D; E, A, alpha: counted by hand
    counts = {"chinchilla": 5, "kaplan": 4, "E + A*C**-alpha": 3}
    assert {s.law: s.n_coefs for s in comparison.laws} == counts
    laws = {row["law"]: row for row in comparison.to_dict()["laws"]}
    assert {k: row["n_coefs"] for k, row in laws.items()} == counts
    # the old key (params is model size everywhere else) stays one release, same number
    assert {k: row["n_params"] for k, row in laws.items()} == counts
    with pytest.warns(DeprecationWarning, match=r"LawScore.n_params .* use LawScore.n_coefs"):
        assert comparison.laws[0].n_params == 5  # type: ignore[deprecated]
    assert "n_coefs=5" in repr(comparison.laws[0])


def test_the_rows_are_laws_in_python_as_in_json_and_the_old_name_warns(comparison) -> None:  # type: ignore[no-untyped-def]
    """One name for the rows: ``laws``, as the JSON; ``scores`` reads them for one release.
    The JSON's ``"winner"`` is the winning row's ``"law"``, the law's name."""
    data = comparison.to_dict()
    assert [s.law for s in comparison.laws] == [row["law"] for row in data["laws"]]
    assert [s.law for s in comparison.laws] == ["chinchilla", "kaplan", "E + A*C**-alpha"]
    with pytest.warns(DeprecationWarning, match=r"Comparison.scores .* use Comparison.laws"):
        old = comparison.scores  # type: ignore[deprecated]
    assert old is comparison.laws
    assert data["winner"] == comparison.winner.law == "chinchilla"
    assert data["laws"][[r["law"] for r in data["laws"]].index(data["winner"])]["ok"] is True


def test_exponent_spread_is_iqr_over_median(comparison) -> None:  # type: ignore[no-untyped-def]
    fit = comparison.laws[0].backtest.fit
    samples = fit.samples
    k = fit.param_names.index("beta")
    q1, q2, q3 = np.percentile(samples[:, k], [25, 50, 75])
    assert exponent_spread(fit)["beta"] == pytest.approx((q3 - q1) / q2)
    no_boot = replace(fit, samples=None)
    assert math.isnan(exponent_spread(no_boot)["alpha"])


def _score(
    base: LawScore, law: str, are: float, bic: float, ok: bool = True, n_coefs: int = 5
) -> LawScore:
    summary = replace(base.backtest.summary, median_are=are)
    backtest = replace(base.backtest, summary=summary)
    return replace(base, law=law, bic=bic, ok=ok, n_coefs=n_coefs, backtest=backtest)


def test_winner_rule(comparison) -> None:  # type: ignore[no-untyped-def]
    """Ties go to the fewest parameters, as ``--law auto``'s do, not to the lowest BIC."""
    base = comparison.laws[0]
    a = _score(base, "a", 0.010, bic=-100)
    b = _score(base, "b", 0.010 * (1 + TIE_RTOL / 2), bic=-80, n_coefs=4)  # tied, fewer
    e = _score(base, "e", 0.010 * (1 + TIE_RTOL / 3), bic=-300)  # tied, best BIC, 5 params
    c = _score(base, "c", 0.020, bic=-500, n_coefs=2)  # fewest, but clearly worse error
    d = _score(base, "d", 0.001, bic=-90, ok=False)  # best error, but the fit failed
    winner, reason = pick_winner([a, b, e, c, d])
    assert winner is b
    assert reason == "median ARE 1.02%, tied with a, e; fewest parameters (4)"
    assert pick_winner([a, e])[0] is a  # same size: the lower error
    assert pick_winner([a, c])[0] is a
    assert pick_winner([d]) == (None, "no fit converged")
    assert comparison.rule.endswith(
        "within 5% of the lowest counts as a tie, broken by the fewest parameters"
    )


def test_a_tie_of_equal_sizes_says_what_broke_it(comparison) -> None:  # type: ignore[no-untyped-def]
    """Laws tied with as many parameters: the reason names the lower error, or the order
    given, not "fewest parameters (5)" as if the winner had fewer."""
    base = comparison.laws[0]
    a = _score(base, "a", 0.0019021, bic=-100)
    b = _score(base, "b", 0.0019024, bic=-300)  # tied, 5 parameters as a, a hair worse
    c = _score(base, "c", 0.00195, bic=-90, n_coefs=6)  # tied, more parameters
    winner, reason = pick_winner([b, a, c])
    assert winner is a
    assert reason == (
        "median ARE 0.19%, tied with b, c; fewest parameters (5, as many as b), then the "
        "lower error (0.19021% against 0.19024%)"
    )
    same = _score(base, "same", 0.0019021, bic=-300)
    winner, reason = pick_winner([a, same])
    assert winner is a
    assert reason == (
        "median ARE 0.19%, tied with same; fewest parameters (5, as many as same) and the "
        "same error: the first given"
    )
    twice = _score(base, "twice", 0.0019021 + 3e-15, bic=-300)  # the same law, as a formula
    assert pick_winner([twice, a])[1].endswith(
        "fewest parameters (5, as many as twice), then the lower error (0.19% both, apart by "
        "3e-15 of rounding)"
    )
    fewer = _score(base, "fewer", 0.0019024, bic=-300, n_coefs=4)
    assert pick_winner([a, fewer])[1].endswith("tied with a; fewest parameters (4)")
    # --law auto's words: the count left out where the winner has the fewest alone
    sizes = {"x": 4, "y": 5}
    assert tie_said("x", ("x", "y"), {"x": 0.011, "y": 0.0105}, sizes, counted=False) == (
        "fewest parameters"
    )


def test_bad_law_lists() -> None:
    runs = read_runs(chinchilla_runs())
    split = split_runs(runs, "largest:9")
    with pytest.raises(ConfigError, match="at least one law"):
        compare(runs, laws=[], holdout=split)
    with pytest.raises(ConfigError, match="given twice"):
        compare(runs, laws=["chinchilla", "chinchilla"], holdout=split)
