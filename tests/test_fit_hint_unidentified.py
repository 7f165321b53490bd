"""The fit's "another law backtests better" line follows the backtest winner's rule,
identified laws first: where the runs below every rolling cut hold 2 model sizes, Chinchilla's
law is not identified there (no score), the over-training law is, and ``fit --law chinchilla``
now says so and names it, where before it said nothing (its score NaN compared as no score)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.cli._backtest_auto import fit_auto_note
from scalinglab.data._readers import to_table
from scalinglab.validate import LawChoice

_LINE = (
    "law 'overtraining' backtests better on these runs (median extrapolation error {best}), "
    "where 'chinchilla' is not identified below a rolling cut (its fit there is one point of a "
    "valley of equal fits), so its extrapolation is untested; try --law overtraining or --law "
    "auto (fit('overtraining', runs) or fit('auto', runs) in Python)"
)


def _runs() -> pd.DataFrame:
    """Chinchilla's law, 0.5% noise: 100M and 200M params at 1e9..6.4e10 tokens, and 800M
    params only at 6.4e10..5.12e11 tokens, so every cut in N·D has 2 sizes below it."""
    rng = np.random.default_rng(2)
    cells = [(n, d) for n in (1e8, 2e8) for d in 1e9 * 2.0 ** np.arange(7)]
    cells += [(8e8, d) for d in 6.4e10 * 2.0 ** np.arange(4)]
    n, d = np.array(cells).T
    loss = 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28
    return pd.DataFrame(
        {"params": n, "tokens": d, "loss": loss * (1 + rng.normal(0, 0.005, n.size))}
    )


def test_an_unidentified_fitted_law_is_warned_of() -> None:
    runs = _runs()
    result = sl.fit("chinchilla", runs, bootstrap=0)
    choice = result.law_choice
    assert choice is not None and choice.chosen == "overtraining"
    # every cut has the 2 small sizes alone below it: an independent count of the design
    flops = 6 * runs["params"] * runs["tokens"]
    for cut in choice.cuts:
        assert runs["params"][flops < cut * (1 - 1e-9)].nunique() == 2
    assert choice.unidentified == ("chinchilla",) and math.isnan(choice.scores["chinchilla"])
    assert choice.better_than("chinchilla") == "overtraining"
    line = _LINE.format(best=f"{choice.scores['overtraining']:.2%}")
    assert result.warnings[-1] == line and not result.trusted
    # the chosen law is not warned of, and a law the cuts identify keeps the ratio rule
    assert choice.better_than("overtraining") is None
    kaplan = choice.scores["kaplan"]
    assert (choice.better_than("kaplan") is None) == (
        choice.scores["overtraining"] >= 0.75 * kaplan
    )


def test_cli_says_it_and_saves_the_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    runs = tmp_path / "runs.csv"
    _runs().to_csv(runs, index=False)
    code, out, err = cli(capsys, "fit", str(runs), "--law", "chinchilla", "--bootstrap", "0",
                         "--json", one_line=True)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    best = data["law_choice"]["scores"]["overtraining"]
    assert data["warnings"][-1] == _LINE.format(best=f"{best:.2%}")
    assert f"warning: {data['warnings'][-1]}" in err
    written = data["law_choice"]
    assert written["unidentified"] == ["chinchilla"] and written["scores"]["chinchilla"] is None
    again = LawChoice.from_dict(written)
    assert again.unidentified == ("chinchilla",) and again.to_dict() == written
    del written["unidentified"]  # a file from before the flag: none said, no line invented
    assert LawChoice.from_dict(written).unidentified == ()
    assert LawChoice.from_dict(written).better_than("chinchilla") is None


def test_backtest_auto_note_says_not_identified_not_failed() -> None:
    note = fit_auto_note(to_table(_runs()), y="loss", seed=0)
    assert "chinchilla not identified below a cut, overtraining " in note
    assert "chinchilla failed" not in note
