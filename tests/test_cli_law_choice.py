"""The law-choice hint of ``scalinglab fit``, computed on a thread while the law is fitted:
the same line and scores as computed in turn."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.validate import _law_hint as law_choice


def test_the_hint_on_a_thread_is_the_hint() -> None:
    runs = sl.bundled_runs()
    pending = law_choice.hint_in_background("kaplan", runs, "loss", seed=0)
    fitted = sl.fit("kaplan", runs, bootstrap=20, extrapolation=False)  # meanwhile
    line, choice = pending.result()
    again, direct = law_choice.hint("kaplan", runs, "loss", seed=0)
    assert fitted.ok
    assert line == again and line is not None and "'overtraining'" in line
    assert choice.scores == direct.scores


def test_no_hint_where_the_laws_tie_on_the_cuts_calibration_counts() -> None:
    """Chinchilla's law and the over-training law tie on the cuts fitted on 21-27 of the
    31 bundled runs (1.43% and 1.48%): no law is clearly better than Chinchilla's."""
    line, choice = law_choice.hint("chinchilla", sl.bundled_runs(), "loss", seed=0)
    assert line is None and choice.chosen == "overtraining"


def test_the_json_names_the_best_score_and_the_tie_apart_from_the_choice(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``best_by_backtest`` named the tie-broken choice (overtraining, 1.48%), not the best
    score (chinchilla, 1.43%); the choice and the tie are their own keys, and no line says
    another law is better where the two tie."""
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--json")
    assert code == 0, err
    said = json.loads(out)["law_choice"]
    assert (said["fitted"], said["best_by_backtest"]) == ("chinchilla", "chinchilla")
    assert (said["chosen"], said["tie"]) == ("overtraining", True)
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--law", "auto", "--json")
    assert code == 0, err
    said = json.loads(out)["law_choice"]
    assert "fitted" not in said and said["chosen"] == json.loads(out)["law"] == "overtraining"
    assert (said["best_by_backtest"], said["tie"]) == ("chinchilla", True)
    code, out, err = cli(capsys, "fit", "--bootstrap", "0")
    assert code == 0 and "backtests" not in out + err  # a tie: nothing to say


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


def test_the_hint_is_a_warning_of_the_saved_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`fit --out` held `warnings: []`, `trusted: true` and `law_choice.chosen: overtraining`
    for a chinchilla fit, and `predict --fit`/`plan --fit` never said another law backtests
    better: the line is a warning of the fit, saved with it and repeated where it is read."""
    saved = tmp_path / "fit.json"
    code, out, err = cli(capsys, "fit", "--law", "kaplan", "--bootstrap", "0", "--out", str(saved))
    assert code == 0, err
    line, _ = law_choice.hint("kaplan", sl.bundled_runs(), "loss", seed=0)
    assert line is not None and " backtests clearly better" in line
    best = line.split("'")[1]
    assert out.count(f"warning: {line}") == 1
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["warnings"] == [line] and data["trusted"] is False
    # a given law: what was fitted, what the rule picks and what backtests best
    assert data["law"] == data["law_choice"]["fitted"] == "kaplan"
    # the line names the law --law auto fits (overtraining, tied with chinchilla's 1.43%)
    assert data["law_choice"]["chosen"] == best == "overtraining"
    assert data["law_choice"]["best_by_backtest"] == "chinchilla"
    assert data["law_choice"]["tie"] is True
    code, out, err = cli(
        capsys, "predict", "--fit", str(saved), "--params", "1B", "--tokens", "20B"
    )
    assert code == 0, err
    assert f"warning: {line}" in out
    code, out, err = cli(capsys, "plan", "--fit", str(saved), "--compute", "1e22", "--json")
    assert code == 0, err
    assert json.loads(out)["warnings"] == [line]


def test_no_comparison_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "fit", "--bootstrap", "0", "--no-compare", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["warnings"] == [] and data["trusted"] is True and data["law_choice"] is None


def test_compare_says_a_formula_is_not_compared(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "fit", "--help")
    assert code == 0
    assert "catalog laws only: a formula is not compared" in " ".join(out.split())


def test_fit_law_auto_on_one_model_size_fits_a_law_of_tokens_and_says_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Every run at one size: ``--law auto`` said "every candidate law failed to fit below
    the rolling cuts" (8 runs: "too few scales"), not why; now it compares the laws of
    tokens alone, and says that every run has the same params."""
    from scalinglab.cli import main

    runs = sl.bundled_runs()
    one = runs.select(runs["params"] < 2e7)  # 10.6M: 8 runs
    path = tmp_path / "one.csv"
    one.to_pandas()[["params", "tokens", "loss"]].to_csv(path, index=False)
    assert main(["fit", str(path), "--law", "auto", "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    assert "law auto chose power-law-plus-constant:tokens: median extrapolation error" in out
    assert "every run has params = 10.6M: laws of tokens alone compared" in out


def test_the_choice_is_the_fits_own_and_survives_load_and_save(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``FitResult.law_choice``: ``fit --law auto --out``'s block, read back by
    ``FitResult.load`` and written again by ``save`` (which lost it), and what Python's
    ``fit("auto")`` records; a law given and compared keeps the law ``fitted``."""
    saved, again = tmp_path / "auto.json", tmp_path / "again.json"
    code, _, err = cli(capsys, "fit", "--law", "auto", "--bootstrap", "0", "--out", str(saved))
    assert code == 0, err
    written = json.loads(saved.read_text(encoding="utf-8"))["law_choice"]
    loaded = sl.FitResult.load(saved)
    assert loaded.law_choice is not None and loaded.law_choice.chosen == "overtraining"
    assert loaded.law_choice.tied == ("chinchilla", "overtraining")
    loaded.save(again)
    assert json.loads(again.read_text(encoding="utf-8"))["law_choice"] == written
    python = sl.fit("auto", sl.bundled_runs(), bootstrap=0)
    assert python.law_choice is not None
    assert python.to_dict()["law_choice"] == written and "fitted" not in written
    code, out, err = cli(capsys, "fit", "--law", "kaplan", "--bootstrap", "0", "--json")
    assert code == 0, err
    given = sl.FitResult.from_dict(json.loads(out)).law_choice
    assert given is not None and (given.fitted, given.chosen) == ("kaplan", "overtraining")
    # Python's fit compares a given law as the command line does (compare=True)
    assert sl.fit("kaplan", sl.bundled_runs(), bootstrap=0).law_choice == given
    # a file from before "tied" was written: the tie read off the scores, as the rule ties
    del written["tied"]
    assert sl.validate.LawChoice.from_dict(written).tied == loaded.law_choice.tied
