"""Follow-ups of a new user's walk through laws, law choice and backtests: a huge ARE in
the tables' percent style and explained, pooled corpora warned of by the law choice, one
percent style in LawChoice's repr, a shared exponent listed once, formula slips noted,
rules that select nothing or are written backwards, and a data warning said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests._cli import cli, refused
from tests.conftest import CHINCHILLA_CSV, SHARED

import scalinglab as sl
from scalinglab.cli._law_help import exponent_notes
from scalinglab.data._training_data import mixed_training_data
from scalinglab.laws import get_law
from scalinglab.validate import LawChoice, choose_law
from scalinglab.validate._rows import pct

MODELS = SHARED / "overtraining" / "models.dev.csv"


def _need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not here; it lives in ../shared/data")
    return path


def test_a_huge_are_is_written_in_whole_percents() -> None:
    assert pct(0.0114) == "1.14%"
    assert pct(66.352157) == "6,635%"
    assert pct(1500.8576) == "150,086%"
    assert pct(2.5e4) == "2.5e6%"
    assert pct(float("nan")) == "—"


def test_near_best_holds_out_the_smallest_size_and_the_backtest_says_why_it_misses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "backtest", "--holdout", "near-best:1.5", "--no-rolling")
    text = " ".join(out.split())
    assert code == 0
    assert not re.search(r"\d{4}\.\d\d%", text)  # no hundredths of a 1,000%+ error
    assert "below the fitted runs' smallest (78.9M)" in text
    assert "extrapolate down in params" in text


def test_the_law_choice_warns_of_pooled_corpora_as_fit_does() -> None:
    runs = sl.read_runs(_need(MODELS), y="loss_c4_val")
    choice = choose_law(runs)
    assert choice.warnings == mixed_training_data(runs.labels)
    assert "3 values of 'dataset'" in choice.warnings[0]
    assert "warnings=1" in repr(choice)
    assert type(choice).from_dict(choice.to_dict()).warnings == choice.warnings
    one = choose_law(runs.where(dataset="c4_original"))
    assert one.warnings == ()


def test_the_law_choice_repr_writes_scores_as_the_cli_does() -> None:
    choice = LawChoice("a", {"a": 0.00657, "b": 0.0078, "c": float("nan")}, 10, (1e20,), "r")
    assert "{a: 0.66%, b: 0.78%, c: nan}" in repr(choice)


def test_a_shared_exponent_is_listed_once_and_n_before_d(
    capsys: pytest.CaptureFixture[str],
) -> None:
    law = get_law("E + B*D**(-alpha) + A*N**(-alpha)")
    (line,) = exponent_notes(law)
    assert line.index("in N") < line.index("in D")
    code, out, _ = cli(capsys, "laws", "E + B*D**(-beta) + A*N**(-alpha)")
    text = " ".join(out.split())
    assert code == 0
    assert "variables: N reads column 'params', D reads column 'tokens'" in text
    assert text.index("alpha: each 10×") < text.index("beta: each 10×")


def test_a_variable_times_a_negated_parameter_is_noted() -> None:
    (note,) = get_law("E + A*N*-alpha").notes
    assert "did you mean 'N**-alpha'?" in note
    assert get_law("E + A*N**-alpha").notes == ()


def test_a_lowercase_variable_suggests_its_symbol(capsys: pytest.CaptureFixture[str]) -> None:
    error, _ = refused(capsys, ["fit", "--law", "E + A*n**-alpha", "--bootstrap", "0"])
    assert "did you mean 'N'?" in error
    error, _ = refused(capsys, ["fit", "--law", "E + A*n**-alpha + B*D**-beta"])
    assert "did you mean 'N'?" in error


def test_a_fit_on_rule_that_keeps_nothing_says_the_range_and_a_bound(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, hint = refused(capsys, ["backtest", "--fit-on", "params>=1e9"])
    assert "it keeps none of the 27 runs not held out" in hint
    # not half of them (params>=78.9M): the 25 chinchilla fits without a too-few warning,
    # which with the smallest size's runs tied takes every one of the 27; beside the
    # hold-out's cut (top-decile by flops), as params>=10.5M alone keeps held-out runs too
    assert "10.6M-412M" in hint and "params>=10.5M & flops<8.13e19 keeps 27" in hint


@pytest.mark.parametrize(("given", "meant"), [("flops=>1e20", ">="), ("flops=<1e20", "<=")])
def test_a_swapped_operator_suggests_the_right_one(
    capsys: pytest.CaptureFixture[str], given: str, meant: str
) -> None:
    error, _ = refused(capsys, ["backtest", "--holdout", given])
    assert f"did you mean 'flops{meant}1e20'?" in error


def test_a_data_warning_is_said_once_for_several_laws(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _need(CHINCHILLA_CSV)
    code, out, err = cli(
        capsys, "backtest", str(path), "--law", "chinchilla", "--law", "kaplan",
        "--no-rolling", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0
    assert (out + err).count("look diverged are kept in the fit") == 1
