"""``law auto`` on runs with too few scales to compare laws by backtest: it fits the law the
comparison starts from (Chinchilla's for params and tokens) and says so in one note, in
``fit``, the CLI and its JSON, and the downstream chain; runs with enough scales still
compare."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import SHARED

import scalinglab as sl
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.validate import choose_law
from scalinglab.validate._law_choice import LawChoice

MODELS = SHARED / "overtraining" / "models.dev.csv"


def _few() -> sl.RunTable:
    runs = sl.bundled_runs()
    compute = runs["params"] * runs["tokens"]
    return runs.select((runs["params"] < 1e8) & (compute < 1e17))  # 2 sizes, 10 runs


def test_choose_law_still_refuses_unless_asked_to_fall_back() -> None:
    few = _few()
    with pytest.raises(sl.DataError, match="too few scales to compare laws"):
        choose_law(few)
    choice = choose_law(few, fallback=True)
    assert choice.fallback and choice.chosen == "chinchilla" and choice.cuts == ()
    assert set(choice.scores) == {"chinchilla", "overtraining", "kaplan"}
    assert all(math.isnan(v) for v in choice.scores.values())
    assert choice.best_by_backtest == "chinchilla" and choice.better_than("kaplan") is None
    assert choice.reason.startswith("too few scales to compare laws by backtest")
    assert "fitted chinchilla" in choice.reason and "--law NAME" in choice.reason
    back = LawChoice.from_dict(json.loads(json.dumps(choice.to_dict())))
    assert back.fallback and back.chosen == "chinchilla"


def test_fit_auto_on_few_scales_fits_chinchilla_and_says_so(tmp_path: Path) -> None:
    few = _few()
    auto = sl.fit("auto", few, bootstrap=0)
    given = sl.fit("chinchilla", few, bootstrap=0, compare=False)
    assert auto.law.name == "chinchilla"
    for name in given.law.param_names:  # the very fit of the law named
        assert auto.coefs[name] == pytest.approx(given.coefs[name], rel=1e-12)
    said = [n for n in auto.notes if n.startswith("law auto")]
    assert len(said) == 1 and said[0].startswith("law auto compared no laws: too few scales")
    assert auto.law_choice is not None and auto.law_choice.fallback
    auto.save(tmp_path / "fit.json")
    assert sl.FitResult.load(tmp_path / "fit.json").law_choice.fallback


def test_a_choice_saved_before_the_fallback_reads_as_compared() -> None:
    choice = choose_law(sl.bundled_runs())
    data = choice.to_dict()
    assert "fallback" not in data  # written only where nothing was compared
    assert not LawChoice.from_dict(data).fallback and len(choice.cuts) > 0


def test_cli_fit_law_auto_on_few_scales(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    few = _few()
    pd.DataFrame({c: few[c] for c in ("params", "tokens", "loss")}).to_csv(path, index=False)
    code, out, err = cli(capsys, "fit", str(path), "--law", "auto", "--json", "--bootstrap", "0")
    assert code == 0, err
    data = json.loads(out)
    assert data["law"] == "chinchilla" or data["law"]["name"] == "chinchilla"
    assert data["law_choice"]["fallback"] is True
    assert data["law_choice"]["scores"] == {
        "chinchilla": None,
        "overtraining": None,
        "kaplan": None,
    }
    assert sum(n.startswith("law auto compared no laws") for n in data["notes"]) == 1


def _evals(frame: pd.DataFrame) -> sl.downstream.Evals:
    return read_evals(frame, loss="loss_c4_val", tasks=["hellaswag"])


def test_downstream_chain_on_twelve_models_fits_chinchilla_with_a_note() -> None:
    table = pd.read_csv(MODELS)
    table = table[(table["dataset"] == "c4_original") & (table["params"] < 1e8)].head(12)
    assert len(table) == 12
    auto = fit_downstream(_evals(table), bootstrap=0)
    named = fit_downstream(_evals(table), bootstrap=0, law="chinchilla")
    assert auto.loss_step.law.name == "chinchilla"
    for name, value in named.loss_step.coefs.items():
        assert auto.loss_step.coefs[name] == pytest.approx(value, rel=1e-12)
    said = [n for n in auto.notes if n.startswith("law auto")]
    assert len(said) == 1 and "too few scales to compare laws by backtest" in said[0]
    assert "fitted chinchilla" in said[0]


@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_downstream_chain_on_enough_scales_still_compares() -> None:
    table = pd.read_csv(MODELS)
    chain = fit_downstream(_evals(table[table["dataset"] == "c4_original"]), bootstrap=0)
    said = [n for n in chain.notes if n.startswith("law auto")]
    assert len(said) == 1 and said[0].startswith("law auto: median extrapolation error")
