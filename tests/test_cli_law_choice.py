"""The law-choice hint of ``scalinglab fit``, computed on a thread while the law is fitted:
the same line and scores as computed in turn."""

from __future__ import annotations

import pytest

import scalinglab as sl
from scalinglab.cli import _law_choice as law_choice


def test_the_hint_on_a_thread_is_the_hint() -> None:
    runs = sl.bundled_runs()
    pending = law_choice.hint_in_background("chinchilla", runs, "loss", seed=0)
    fitted = sl.fit("chinchilla", runs, bootstrap=20, extrapolation=False)  # meanwhile
    line, choice = pending.result()
    again, direct = law_choice.hint("chinchilla", runs, "loss", seed=0)
    assert fitted.ok
    assert line == again and line is not None and "'overtraining'" in line
    assert choice.scores == direct.scores


def test_no_hint_for_a_users_formula() -> None:
    pending = law_choice.hint_in_background("E + A*N**-a", sl.bundled_runs(), "loss", seed=0)
    assert pending.result() == (None, None)


def test_fit_refuses_several_laws(capsys: pytest.CaptureFixture[str]) -> None:
    """Typer kept the last of several --law silently: fit --law chinchilla --law kaplan
    fitted kaplan alone."""
    from scalinglab.cli import main

    assert main(["fit", "--law", "chinchilla", "--law", "kaplan", "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err
    assert "fit takes one --law, and 2 were given (chinchilla, kaplan)" in err
    assert "scalinglab backtest --law chinchilla --law kaplan" in err
