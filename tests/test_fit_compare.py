"""Python's ``fit(law, runs)`` compares a given catalog law with the others as ``scalinglab
fit`` does (``compare=True``, ``--compare``): the same ``law_choice`` and the same warning,
so the same runs give the same fit, trusted or not, in a notebook and on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.report._python_call import python_call
from scalinglab.validate._law_hint import hint

#: The warning on the bundled runs for Kaplan's law (its scores as the choice gives them).
KAPLAN = (
    "law 'overtraining' backtests clearly better on these runs (median extrapolation error "
    "{best} against {mine} for 'kaplan', under 75% of it; tied with 'chinchilla' at {tied}; "
    "fewest parameters); try --law overtraining or --law "
    "auto (fit('overtraining', runs) or fit('auto', runs) in Python)"
)


@pytest.fixture(scope="module")
def kaplan() -> sl.FitResult:
    return sl.fit("kaplan", sl.bundled_runs(), bootstrap=0)


def test_a_given_law_is_compared_and_warned_of_as_the_cli_does(kaplan: sl.FitResult) -> None:
    """``fit("kaplan", runs)`` was ``trusted`` with no ``law_choice`` where ``scalinglab fit
    --law kaplan`` warned that the over-training law backtests clearly better."""
    choice = kaplan.law_choice
    assert choice is not None and (choice.fitted, choice.chosen) == ("kaplan", "overtraining")
    best, mine = choice.scores["overtraining"], choice.scores["kaplan"]
    tied = choice.scores["chinchilla"]  # lower than overtraining's: the tie rule chose
    assert tied < best and choice.tied == ("chinchilla", "overtraining")
    line = KAPLAN.format(best=f"{best:.2%}", mine=f"{mine:.2%}", tied=f"{tied:.2%}")
    assert kaplan.warnings[-1] == line and not kaplan.trusted
    assert hint("kaplan", sl.bundled_runs(), "loss", seed=0)[0] == line  # the CLI's function


def test_compare_false_neither_compares_nor_warns(kaplan: sl.FitResult) -> None:
    alone = sl.fit("kaplan", sl.bundled_runs(), bootstrap=0, compare=False)
    assert alone.law_choice is None
    assert alone.warnings == kaplan.warnings[:-1] and alone.coefs == kaplan.coefs


def test_a_formula_is_not_compared() -> None:
    """A user's formula is the user's choice, as ``--compare`` says (catalog laws only)."""
    result = sl.fit("E + A*N**-alpha + B*D**-beta", sl.bundled_runs(), bootstrap=0)
    assert result.law_choice is None
    assert not any("backtests clearly better" in w for w in result.warnings)


def test_compare_must_be_a_bool() -> None:
    """``compare="no"`` is truthy: it would have compared."""
    with pytest.raises(ConfigError, match=r"compare must be True or False, got str 'no'") as err:
        sl.fit("chinchilla", sl.bundled_runs(), bootstrap=0, compare="no")  # type: ignore[arg-type]
    assert "compare=False" in err.value.hint and "--no-compare" in err.value.hint


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_the_cli_and_python_give_the_same_fit_on_the_bundled_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``scalinglab fit --json`` (bundled runs by default) and ``scalinglab.fit("chinchilla",
    bundled_runs())`` with both defaults: the same dictionary, law_choice included; the
    command's JSON adds only its plan rows."""
    code, out, err = cli(capsys, "fit", "--json")
    assert code == 0, err
    printed = json.loads(out)
    assert printed.pop("plan")
    python = sl.fit("chinchilla", sl.bundled_runs())
    assert python.law_choice is not None and python.law_choice.fitted == "chinchilla"
    assert printed == json.loads(json.dumps(python.to_dict()))


def test_a_warned_fit_is_the_same_from_the_cli_and_python(
    capsys: pytest.CaptureFixture[str], kaplan: sl.FitResult
) -> None:
    code, out, err = cli(capsys, "fit", "--law", "kaplan", "--bootstrap", "0", "--json")
    assert code == 0, err
    printed = json.loads(out)
    printed.pop("plan", None)
    assert printed == json.loads(json.dumps(kaplan.to_dict()))
    assert printed["warnings"][-1] == kaplan.warnings[-1]


def test_the_reports_python_call_says_compare_false_where_not_compared(
    kaplan: sl.FitResult, tmp_path: Path
) -> None:
    """The card's call reproduces the fit: a fit not compared says ``compare=False``, as
    ``fit()`` would compare it."""
    alone = sl.fit("kaplan", sl.bundled_runs(), bootstrap=0, compare=False)
    assert python_call(alone).endswith(f"seed=0, compare=False)  # runs: {alone.source}")
    assert "compare" not in python_call(kaplan)


def test_a_backtests_fit_is_not_compared() -> None:
    """The fit below a cut measures the law's own extrapolation: not compared (no backtest
    of the other laws inside a backtest), and ``compare=`` is no backtest option."""
    runs = sl.bundled_runs()
    bt = sl.backtest(runs, law="kaplan", bootstrap=0)
    assert bt.fit is not None and bt.fit.law_choice is None
    with pytest.raises(ConfigError, match="compare"):
        sl.backtest(runs, law="kaplan", bootstrap=0, compare=True)


def test_the_choice_says_a_tie_decided_it() -> None:
    """Overtraining was called better than Kaplan at 1.48% while chinchilla scored 1.43%:
    its repr and its line now say the tie rule (within 5%, fewest parameters) chose it."""
    from scalinglab.validate._law_choice import LawChoice

    scores = {"chinchilla": 0.0143, "overtraining": 0.0148, "kaplan": 0.0248}
    tied = LawChoice(
        "overtraining", scores, 21, (1.0, 2.0, 3.0), "", tied=("chinchilla", "overtraining")
    )
    assert repr(tied) == (
        "LawChoice(chosen='overtraining' (tied with 'chinchilla' at 1.43%; fewest parameters), "
        "median error {chinchilla: 1.43%, overtraining: 1.48%, kaplan: 2.48%}, n_scored=21, "
        "cuts=3)"
    )
    lowest = LawChoice("chinchilla", scores, 21, (1.0,), "", tied=("chinchilla", "overtraining"))
    assert lowest.tie_words() == "" and repr(lowest).startswith("LawChoice(chosen='chinchilla', ")
