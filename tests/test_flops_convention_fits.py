"""A loss law's fit records how its runs counted FLOPs as numbers, the hyperparameter fits'
:class:`FlopsConvention` (``"flops_convention"`` in its JSON): ``C = 6·N·D·r(N)`` with ``r``
a constant or ``1 + k·N^p`` read off the runs. ``predict(flops=)``, plans and the compute
for a loss count C by it; a fit file written before (its FLOPs in words alone) reads the
words as it did. Plans of a ladder store (whose words give a range, no median) count C so
too: they counted 6·N·D."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab
from scalinglab import FitResult, RunStore, compute_for_loss, optimal_allocation
from scalinglab.data._flops_rule import FlopsConvention, fitted_flops
from scalinglab.laws import Conventions
from scalinglab.plan._allocation import CLOSED_FORM, NUMERIC
from scalinglab.store import StoredRun

K = 2e8  # an exact count's share over 6·N·D falls as k/N: 1.2× at 1B, 3× at 100M
H = scalinglab.get_preset("hoffmann2022").coefs


def _r(n: float) -> float:
    return 1.0 + K / n


def _loss(n: float, d: float) -> float:
    return H["E"] + H["A"] * n ** -H["alpha"] + H["B"] * d ** -H["beta"]


def _runs(flops: str = "exact") -> pd.DataFrame:
    """Hoffmann et al.'s law, noise-free, at 4 budgets x 9 sizes; flops = 6·N·D·(1 + k/N)
    (``exact``) or 8·N·D (``eight``)."""
    rows = []
    for c in (1e18, 1e19, 1e20, 1e21):
        for n in 0.6 * (c / 6) ** 0.5 * np.geomspace(1 / 8, 8, 9):
            d = c / (6 * n)
            counted = 6 * n * d * _r(n) if flops == "exact" else 8 * n * d
            rows.append({"params": n, "tokens": d, "flops": counted, "loss": _loss(n, d)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exact")
    _runs().to_csv(folder / "runs.csv", index_label="run")
    path = folder / "fit.json"
    scalinglab.fit("chinchilla", scalinglab.read_runs(folder / "runs.csv"), bootstrap=10).save(path)
    return path


@pytest.fixture(scope="module")
def result(fit_file: Path) -> FitResult:
    return FitResult.load(fit_file)


def test_the_fit_records_k_and_p_and_saves_them(result: FitResult, fit_file: Path) -> None:
    rule = result.flops_convention
    assert rule is not None and not rule.unclear and rule.base == 1.0
    assert rule.coef == pytest.approx(K, rel=1e-6) and rule.power == pytest.approx(-1.0, abs=1e-9)
    assert len(rule.sizes) == 36
    saved = json.loads(fit_file.read_text())["flops_convention"]
    assert FlopsConvention.from_dict(saved) == rule
    again = scalinglab.fit("chinchilla", _runs(), bootstrap=0).flops_convention
    assert again is not None  # the same runs (from a DataFrame), the same numbers
    assert (again.coef, again.power, again.sizes) == (rule.coef, rule.power, rule.sizes)


def test_predict_reads_flops_by_the_rule(result: FitResult) -> None:
    c = 1.2e20  # at N = 1B, r = 1.2: D = C/(6·N·1.2) = 1.667e10
    p = result.predict(params=1e9, flops=c)
    assert p.loss.item() == pytest.approx(
        result.predict(params=1e9, tokens=c / (6e9 * 1.2)).loss.item(), rel=1e-13
    )
    assert "FLOPs counted as: C = 6·N·D·(1 + 2e8·N^-1)" in p.notes[0]
    assert result.distance(params=1e9, flops=c) == pytest.approx(
        result.distance(params=1e9, tokens=c / 7.2e9), rel=1e-12
    )


@pytest.mark.parametrize("budget", [1e19, 1e21, 1e24])
def test_a_plan_spends_its_budget_at_the_lines_minimum(result: FitResult, budget: float) -> None:
    """Chinchilla's closed form holds for C = 6·N·D (or a constant ratio) alone: along
    C = 6·N·D·r(N) the numeric search finds the minimum (the closed form at r of its own N*
    lands at 1e19 FLOPs on an N* 2.4× too small, 0.05 above the line's least loss)."""
    a = optimal_allocation(result, flops=budget)
    n, d = a.params.value, a.tokens.value
    assert 6 * n * d * _r(n) == pytest.approx(budget, rel=1e-9)
    assert a.method == NUMERIC and a.flops_rule.startswith("C = 6·N·D·(1 + 2e8·N^-1)")
    ns = n * np.geomspace(0.5, 2, 2001)  # every split of the budget near N*
    losses = np.array([_loss(m, budget / (6 * m * _r(m))) for m in ns])
    assert a.loss.value <= float(np.min(losses)) + 1e-12
    assert n == pytest.approx(float(ns[np.argmin(losses)]), rel=2e-3)
    assert a.loss.value == pytest.approx(_loss(n, d), rel=1e-9)  # the fit is the truth


def test_a_formula_law_plans_along_the_same_line(result: FitResult) -> None:
    fitted = scalinglab.fit("E + A*N**-alpha + B*D**-beta", _runs(), bootstrap=0)
    a, b = optimal_allocation(fitted, flops=1e21), optimal_allocation(result, flops=1e21)
    assert a.method == NUMERIC and a.flops_rule == b.flops_rule
    assert (a.params.value, a.tokens.value) == pytest.approx(
        (b.params.value, b.tokens.value), rel=1e-6
    )


def test_the_compute_for_a_loss_is_counted_by_the_rule(result: FitResult) -> None:
    t = compute_for_loss(result, target_loss=2.2)
    n, d = t.params.value, t.tokens.value
    assert 6 * n * d * _r(n) == pytest.approx(t.flops.value, rel=1e-9)
    back = optimal_allocation(result, flops=t.flops.value)
    assert back.loss.value == pytest.approx(2.2, rel=1e-9)
    assert t.flops.lower <= t.flops.value <= t.flops.upper


def test_an_old_file_reads_its_words_as_before(tmp_path: Path) -> None:
    """A fit of 8·N·D flops written before fits recorded the rule: its words say 1.33×, and
    plans and predictions count C = 1.33·6·N·D as they did."""
    tmp = tmp_path / "runs.csv"
    _runs("eight").to_csv(tmp, index_label="run")
    new = scalinglab.fit("chinchilla", scalinglab.read_runs(tmp), bootstrap=0)
    assert new.flops_convention is not None and new.flops_convention.base == pytest.approx(8 / 6)
    data = json.loads(new.to_json())
    del data["flops_convention"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    old = FitResult.load(tmp_path / "old.json")
    assert old.flops_convention is None
    assert old.conventions.flops.endswith("counted as its source did: 1.33× 6·N·D")
    six = replace(old, conventions=Conventions(flops="C = 6·N·D"))
    a, same = optimal_allocation(old, flops=8e20), optimal_allocation(six, flops=8e20 / 1.33)
    assert (a.params.value, a.tokens.value) == pytest.approx(
        (same.params.value, same.tokens.value), rel=1e-12
    )
    assert a.method == CLOSED_FORM
    assert old.predict(params=1e9, flops=8e20).loss.item() == pytest.approx(
        old.predict(params=1e9, tokens=8e20 / (1.33 * 6e9)).loss.item(), rel=1e-13
    )


def test_a_rule_neither_constant_nor_a_power_says_why_and_plans_at_the_median() -> None:
    n = np.array([1e8, 2e8, 4e8, 8e8])
    ratio = np.array([1.5, 1.2, 1.4, 1.1])  # up and down: no 1 + k·N^p
    rule = fitted_flops("x", n, n * 20, 6 * n * n * 20 * ratio)
    assert rule.unclear.startswith("the runs' flops/(6·N·D) (1.5× at N = 100M, 1.2× at N = 200M")
    assert rule.base == pytest.approx(1.3) and rule.flops(1e9, 1e10) is None
    assert rule.planned().startswith("C = 1.3·6·N·D, as the fitted runs' flops count compute")
    same = fitted_flops("x", n, n * 20, 6 * n * n * 20 * 1.015)  # within 2%: 6·N·D itself
    assert same.is_6nd and same.planned() == "C = 6·N·D"


def test_a_ladder_store_plans_by_its_runs_flops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Its words give a range ("they are 1.12–3× 6·N·D"), which plans read as 6·N·D."""
    store = RunStore(tmp_path / "runs.duckdb")
    runs = []
    for i, n in enumerate((1e8, 2e8, 4e8, 8e8, 1.6e9)):
        for j, per in enumerate((10, 20, 40)):
            d = per * n
            runs.append(StoredRun(
                run_id=f"r{i}{j}", name=f"w{i}{j}", params=n * 1.1, params_non_embedding=n,
                tokens=d, flops=6 * n * d * _r(n), flops_6nd=6 * n * d, loss=_loss(n, d),
                source="ladder:mini",
            ))  # fmt: skip
    store.put_runs([(r, None) for r in runs])
    path = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", "--store", str(store.path), "--law", "chinchilla",
                       "--bootstrap", "0", "--no-compare", "--out", str(path))  # fmt: skip
    assert code == 0, err
    fitted = FitResult.load(path)
    assert "they are 1.12–3× 6·N·D with N = params_non_embedding" in fitted.conventions.flops
    rule = fitted.flops_convention
    assert rule is not None and rule.coef == pytest.approx(K, rel=1e-6)
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e21", "--json")
    assert code == 0, err
    a = json.loads(out)["allocation"]
    n, d = a["params"], a["tokens"]
    assert 6 * n * d * _r(n) == pytest.approx(1e21, rel=1e-9) and not math.isclose(
        6 * n * d, 1e21, rel_tol=0.01
    )
    assert a["flops_rule"].startswith("C = 6·N·D·(1 + 2e8·N^-1), as the fitted runs' flops")
