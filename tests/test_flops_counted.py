"""A fit whose runs' FLOPs are not 6·N·D (here 8·N·D, recorded as "1.33× 6·N·D") predicts
and plans with FLOPs counted as its runs counted them, ``C = 1.33·6·N·D``, and says so once:
``predict(params=, flops=)`` took D = C/(6·N) (133B tokens where the file's units mean 100B),
refused the consistent ``tokens=100B, flops=8e20``, and ``plan`` printed "FLOPs counted as:
C = 6·N·D" beside the fit's "1.33× 6·N·D". A fit of 6·N·D FLOPs keeps C = 6·N·D."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab import ConfigError, FitResult, compute_for_loss, optimal_allocation
from scalinglab.data._flops_rule import PLAIN_6ND, from_words
from scalinglab.laws import Conventions

COUNTED = "FLOPs counted as: C = 1.33·6·N·D, as the fitted runs' flops count compute"
R = 8 / 6  # the ratio as the fit records it, read off the runs (its words round it: 1.33×)


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hoffmann et al.'s law, noise-free, at 4 budgets x 9 sizes, flops = 8·N·D."""
    h = scalinglab.get_preset("hoffmann2022").coefs
    rows = []
    for c in (1e18, 1e19, 1e20, 1e21):
        for n in 0.6 * (c / 6) ** 0.5 * np.geomspace(1 / 8, 8, 9):
            d = c / (6 * n)
            loss = h["E"] + h["A"] * n ** -h["alpha"] + h["B"] * d ** -h["beta"]
            rows.append({"params": n, "tokens": d, "flops": 8 * n * d, "loss": loss})
    folder = tmp_path_factory.mktemp("counted")
    pd.DataFrame(rows).to_csv(folder / "runs.csv", index_label="run")
    path = folder / "fit.json"
    scalinglab.fit("chinchilla", scalinglab.read_runs(folder / "runs.csv"), bootstrap=10).save(path)
    return path


@pytest.fixture(scope="module")
def result(fit_file: Path) -> FitResult:
    return FitResult.load(fit_file)


@pytest.fixture(scope="module")
def six(result: FitResult) -> FitResult:
    """The same fit, its FLOPs 6·N·D."""
    return replace(result, conventions=Conventions(flops="C = 6·N·D"), flops_convention=PLAIN_6ND)


def test_the_rule_is_read_from_the_recorded_convention(result: FitResult) -> None:
    assert result.conventions.flops.endswith("counted as its source did: 1.33× 6·N·D")
    rule = from_words(result.conventions.flops)  # how a fit file written before reads
    assert (rule.ratio(1e9), f"FLOPs counted as: {rule.planned()}") == (1.33, COUNTED)
    spread = from_words("x, counted as its source did: 1.1-1.5×, median 1.3× 6·N·D, except 1")
    assert spread.ratio(1e9) == 1.3 and spread.planned().endswith(
        "(their median ratio to 6·N·D; they range over 1.1-1.5×)"
    )
    for words in ("C = 6·N·D", "as given in the data (column 'f'): 6·N·D to within 2% (median "
                  "ratio 1.01)", "as given in the data (column 'f'), counted as its source did"):  # fmt: skip
        assert from_words(words).ratio(1e9) == 1.0 and from_words(words).planned() == "C = 6·N·D"


def test_predict_reads_flops_as_the_runs_counted_them(result: FitResult, six: FitResult) -> None:
    p = result.predict(params=1e9, flops=8e20)
    assert p.loss.item() == result.predict(params=1e9, tokens=8e20 / (R * 6e9)).loss.item()
    assert p.notes[0] == COUNTED and list(p.notes).count(COUNTED) == 1
    # the consistent triple is the same model; 6·N·D of it is not
    assert result.predict(params=1e9, tokens=1e11, flops=8e20).loss.item() == pytest.approx(
        result.predict(params=1e9, tokens=1e11).loss.item()
    )
    with pytest.raises(ConfigError) as err:
        result.predict(params=1e9, tokens=1e11, flops=6e20)
    assert err.value.message.endswith(
        "flops=6e20 is not 1.33·6·N·D of the params= and tokens= given (8e20, within 5%, as "
        "the fit counts FLOPs): tokens= and flops= both give D, and disagree"
    )
    assert err.value.hint.endswith("or drop tokens= for D = C/(1.33·6·N) from flops=")
    # without a recorded ratio: C = 6·N·D, and no note
    q = six.predict(params=1e9, flops=6e20)
    assert q.loss.item() == six.predict(params=1e9, tokens=1e11).loss.item()
    assert COUNTED not in q.notes


def test_the_command_predicts_as_python_and_says_it_once(
    capsys: pytest.CaptureFixture[str], result: FitResult, fit_file: Path
) -> None:
    code, out, err = cli(capsys, "predict", "--fit", str(fit_file), "--params", "1B", "--flops",
                         "8e20", "--json")  # fmt: skip
    assert code == 0, err
    data, p = json.loads(out), result.predict(params=1e9, flops=8e20)
    assert (data["tokens"], data["loss"]) == (pytest.approx(1e11, rel=1e-12), p.loss.item())
    assert data["notes"].count(COUNTED) == 1
    code, out, _ = cli(capsys, "predict", "--fit", str(fit_file), "--params", "1B", "--flops",
                       "8e20")  # fmt: skip
    assert code == 0 and " ".join(out.split()).count(COUNTED) == 1 and re.search(r"│ +100B │", out)
    code, out, _ = cli(capsys, "predict", "--fit", str(fit_file), "--params", "1B", "--tokens",
                       "100B", "--flops", "8e20")  # fmt: skip
    assert code == 0 and "2.3856" in out
    code, _, err = cli(capsys, "predict", "--fit", str(fit_file), "--params", "1B", "--tokens",
                       "133B", "--flops", "8e20", one_line=True)  # fmt: skip
    assert code == 2 and "--flops 8e20 is not 1.33·6·N·D of the --params and --tokens" in err


def test_plan_counts_budgets_as_the_runs_did(
    capsys: pytest.CaptureFixture[str], result: FitResult, six: FitResult, fit_file: Path
) -> None:
    a = optimal_allocation(result, flops=8e20)
    assert a.flops_rule == COUNTED.removeprefix("FLOPs counted as: ")
    assert R * 6 * a.params.value * a.tokens.value == pytest.approx(8e20, rel=1e-9)
    same = optimal_allocation(six, flops=8e20 / R)  # the same model, its 6·N·D budget
    assert (a.params.value, a.tokens.value) == pytest.approx((same.params.value, same.tokens.value))
    assert optimal_allocation(six, flops=8e20).flops_rule == "C = 6·N·D"
    # a target's compute too: the 6·N·D compute, counted as the runs counted FLOPs
    t, t6 = compute_for_loss(result, target_loss=2.3), compute_for_loss(six, target_loss=2.3)
    assert (t.flops.value, t.flops.lower, t.flops.upper) == pytest.approx(
        (R * t6.flops.value, R * t6.flops.lower, R * t6.flops.upper)
    )
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file), "--compute", "8e20")
    text = " ".join(out.split())
    assert code == 0 and text.count(COUNTED) == 1 and "FLOPs counted as: C = 6·N·D" not in text
    code, out, _ = cli(capsys, "plan", "--fit", str(fit_file), "--compute", "8e20", "--json")
    assert json.loads(out)["allocation"]["params"] == a.params.value


def test_the_note_on_budgets_names_no_ratio_the_fit_does_not_use() -> None:
    """Runs whose flops/(6·N·D) falls with N (1 + k·N^p): the fit plans with that rule, and
    the reader's note said "C = 1.1·6·N·D" (the median), which no plan of it counts."""
    from scalinglab import fit, read_runs

    n = np.repeat(np.geomspace(1e8, 3e9, 4), 3)
    d = n * np.tile([10.0, 20.0, 40.0], 4)
    c = 6 * n * d * (1 + 2e3 * n**-0.5)
    loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28
    table = read_runs(pd.DataFrame({"params": n, "tokens": d, "flops": c, "loss": loss}))
    said = next(m for m in table.notes if "budgets in this file's FLOPs" in m)
    assert "·6·N·D)" not in said and "C = 6·N·D·r(N)" in said
    rule = optimal_allocation(fit("chinchilla", table, bootstrap=0), flops=1e21).flops_rule
    assert rule.startswith("C = 6·N·D·(1 + ")  # the rule the note leaves to plan to print
