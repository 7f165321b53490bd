"""Law choice by rolling-origin backtest: the cuts the calibration counts, each one vote;
Chinchilla's law on the Chinchilla points, the same law as backtest names, the laws of one
variable where only it varies, and the tie and 'clearly better' rules."""

from __future__ import annotations

import pytest

import scalinglab as sl
from conftest import CHINCHILLA_CSV, SHARED
from scalinglab.validate import LawChoice, choose_law, compare

OVERTRAINING_CSV = SHARED / "overtraining" / "models.dev.csv"


def test_the_cuts_scored_are_those_calibration_counts_each_one_vote() -> None:
    """On the over-training models (31 runs) the cuts fitted on 15 and 18 runs are under 5
    runs per parameter of the over-training law and Kaplan's (4 each), whose calibrated
    intervals do not count them: the law choice does not either. On the cuts fitted on 21,
    24 and 27 runs Chinchilla's law and the over-training law tie (pooled over all five
    cuts, 15 and 18 runs' cuts made the over-training law 'clearly better': 1.61% to 2.24%),
    and the tie goes to the fewer parameters."""
    runs = sl.bundled_runs("overtraining-c4")
    choice = choose_law(runs)
    assert [int((runs["params"] * runs["tokens"] < c * (1 - 1e-9)).sum()) for c in choice.cuts] == [
        21,
        24,
        27,
    ]
    assert choice.n_scored == 10 + 7 + 4
    assert choice.scores == pytest.approx(
        {"chinchilla": 0.014277, "overtraining": 0.014794, "kaplan": 0.024848}, rel=1e-4
    )
    assert choice.chosen == "overtraining"  # tied within 5%: 4 parameters, not 5
    assert choice.better_than("chinchilla") is None
    assert choice.better_than("kaplan") == "overtraining"
    assert "2 cuts not counted, fitted on under 5 runs per parameter" in choice.reason
    assert "overtraining: tied within 5%, fewest parameters" in choice.reason


@pytest.mark.skipif(not OVERTRAINING_CSV.is_file(), reason=f"not found: {OVERTRAINING_CSV}")
def test_law_auto_and_backtest_name_the_same_law_on_the_small_c4_models() -> None:
    """On the 24 C4 models up to 154M (validation loss on C4) the pooled median chose
    Kaplan's law (3.10% against Chinchilla's 3.97%) where backtest on the top decile names
    Chinchilla's; each cut one vote, the law choice names Chinchilla's too."""
    import pandas as pd

    frame = pd.read_csv(OVERTRAINING_CSV)
    small = frame[(frame["dataset"] == "c4_original") & (frame["params"] <= 1.6e8)]
    laws = ["chinchilla", "overtraining", "kaplan"]
    choice = choose_law(small, y="loss_c4_val")
    winner = compare(small, laws=laws, bootstrap=0, y="loss_c4_val").winner
    assert winner is not None and winner.law == choice.chosen == "chinchilla"
    assert choice.scores["chinchilla"] == pytest.approx(0.016903, rel=1e-4)
    assert choice.scores["kaplan"] == pytest.approx(0.031488, rel=1e-4)


@pytest.mark.slow
@pytest.mark.skipif(not CHINCHILLA_CSV.is_file(), reason=f"shared data not found: {CHINCHILLA_CSV}")
def test_chinchilla_law_is_chosen_on_the_chinchilla_points() -> None:
    choice = choose_law(sl.read_runs(CHINCHILLA_CSV))
    assert choice.chosen == "chinchilla"


def test_ties_go_to_the_fewest_parameters_and_clearly_means_a_quarter() -> None:
    choice = LawChoice("overtraining", {"chinchilla": 0.0102, "overtraining": 0.0100}, 10, (), "")
    assert choice.better_than("chinchilla") is None  # 2% better is not clearly better
    clear = LawChoice("overtraining", {"chinchilla": 0.0200, "overtraining": 0.0140}, 10, (), "")
    assert clear.better_than("chinchilla") == "overtraining"


def test_too_few_scales_is_refused_with_the_reason() -> None:
    runs = sl.bundled_runs()
    compute = runs["params"] * runs["tokens"]
    few = runs.select((runs["params"] < 1e8) & (compute < 1e17))  # 2 sizes, 11 runs
    with pytest.raises(sl.DataError, match="too few scales to compare laws"):
        choose_law(few)


def test_runs_of_one_size_compare_the_laws_of_tokens() -> None:
    """Every run at one model size: no law of N and D can be fitted, so the candidates are
    the one-variable laws of tokens, and the reason says so."""
    runs = sl.bundled_runs()
    one = runs.select(runs["params"] < 2e7)  # 10.6M: 8 runs
    choice = choose_law(one)
    assert set(choice.scores) == {"power-law-plus-constant:tokens", "power-law:tokens"}
    assert choice.chosen == "power-law-plus-constant:tokens"
    assert choice.reason.endswith(
        "every run has params = 10.6M: laws of tokens alone compared (a law of params and "
        "tokens cannot fit how the loss depends on params)"
    )
    fitted = sl.fit("auto", one, bootstrap=0)
    assert fitted.law.spec == "power-law-plus-constant:tokens"


def test_when_no_candidate_can_be_fitted_for_one_value_it_is_said_once() -> None:
    runs = sl.bundled_runs()
    one = runs.select(runs["params"] < 2e7)
    with pytest.raises(sl.DataError) as caught:
        choose_law(one, laws=["chinchilla", "kaplan"])
    assert caught.value.message.endswith(
        "every run has params = 10.6M: no candidate law (chinchilla, kaplan) can fit how the "
        "loss depends on it without runs at different params"
    )
    assert caught.value.hint == (
        "add runs at other values of params: a scaling law is fitted across sizes; or name a "
        "law without params with --law"
    )


@pytest.mark.parametrize("data", ["overtraining-c4", "overtraining-rw", "simulated"])
def test_kaplans_10_starts_reach_the_optima_of_the_64(
    monkeypatch: pytest.MonkeyPatch, data: str
) -> None:
    """The NumPy solver's laws start each cut from the first 10 of the 64 drawn points;
    with all 64 every cut reaches the same optimum, so the same score."""
    from scalinglab.validate import _choose

    runs = sl.bundled_runs(data)
    few = choose_law(runs, laws=["kaplan"])
    monkeypatch.setattr(_choose, "_STARTS_NUMPY", _choose._STARTS)
    every = choose_law(runs, laws=["kaplan"])
    assert few.scores["kaplan"] == pytest.approx(every.scores["kaplan"], rel=1e-7)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_each_law_is_scored_at_its_own_delta_as_fit_would_fit_it() -> None:
    """With one Huber delta per law, each law's score is the median ARE of ``fit`` at that
    delta below every cut (full fits, recomputed here), and differs from the score at 1e-3."""
    import numpy as np

    runs = sl.bundled_runs("overtraining-c4")
    deltas = {"chinchilla": 0.012, "overtraining": 0.02}
    choice = choose_law(runs, laws=list(deltas), delta=deltas)
    default = choose_law(runs, laws=list(deltas))
    axis = np.log10(runs["params"] * runs["tokens"])
    for name, delta in deltas.items():
        errors: list[float] = []  # each cut's median: one vote each
        for cut in choice.cuts:
            below = axis < np.log10(cut) - 1e-9
            fitted = sl.fit(name, runs.select(below), delta=delta, bootstrap=0)
            above = runs.select(~below)
            predicted = fitted.predict(params=above["params"], tokens=above["tokens"]).loss
            errors.append(float(np.median(np.abs(predicted / above["loss"] - 1))))
        assert choice.scores[name] == pytest.approx(float(np.median(errors)), rel=1e-6)
        assert choice.scores[name] != pytest.approx(default.scores[name], rel=1e-3)
    assert "Huber delta chinchilla 0.012, overtraining 0.02" in choice.reason


@pytest.mark.parametrize(
    ("delta", "match"),
    [({"chinchilla": 0.01}, "no Huber delta given for law"), (-1.0, "must be a positive")],
)
def test_a_delta_missing_a_law_or_not_positive_is_refused(delta: object, match: str) -> None:
    with pytest.raises(sl.ConfigError, match=match):
        choose_law(sl.bundled_runs("overtraining-c4"), laws=["chinchilla", "kaplan"], delta=delta)  # type: ignore[arg-type]


def test_a_law_not_identified_below_a_cut_is_not_scored() -> None:
    """On two model sizes Chinchilla's E, A and alpha form a valley of equal fits: its error
    at a held-out scale is wherever the solver stopped (it varied 1.5-6.6% by build on the
    over-trained models), so it is not compared; the over-training law (one exponent shared
    by N and D) is identified there and is scored."""
    runs = sl.bundled_runs("overtraining-c4")
    two = runs.select(runs["params"] < 1e8)  # 10.6M and 78.9M
    assert len(set(two["params"].tolist())) == 2
    choice = choose_law(two, laws=["chinchilla", "overtraining"])
    assert choice.chosen == "overtraining"
    assert choice.scores["chinchilla"] != choice.scores["chinchilla"]  # NaN: not scored
    assert "chinchilla not identified below a cut" in choice.reason
    assert choice.scores["overtraining"] > 0


def test_better_than_a_law_not_compared_is_refused_not_none() -> None:
    from scalinglab._errors import ConfigError

    choice = LawChoice("overtraining", {"chinchilla": 0.02, "overtraining": 0.01}, 9, (1.0,), "r")
    assert choice.better_than("chinchilla") == "overtraining"
    with pytest.raises(
        ConfigError, match="'chinchila' was not compared; did you mean 'chinchilla'"
    ):
        choice.better_than("chinchila")
