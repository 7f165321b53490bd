"""Chinchilla approach 2 (isoFLOP): exponents recovered from data drawn from a known law,
exact parabolas, budget grouping, flagged vertices, bad input, and the Chinchilla points."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import BUDGETS, isoflop_runs, optimum

from scalinglab import DataError, isoflop, read_runs
from scalinglab._errors import ConfigError
from scalinglab.cli._options import dumps
from scalinglab.validate._isoflop_budget import CONCAVE, OUTSIDE, SAME_SIZE
from scalinglab.validate._parabola import group_budgets


@pytest.mark.parametrize(("alpha", "beta"), [(0.34, 0.28), (0.30, 0.36), (0.3478, 0.3658)])
def test_exponents_come_back_from_a_chinchilla_law(alpha: float, beta: float) -> None:
    runs = isoflop_runs(alpha=alpha, beta=beta)
    result = isoflop(runs, bootstrap=300, seed=1)
    a_true, b_true = beta / (alpha + beta), alpha / (alpha + beta)
    assert result.a.value == pytest.approx(a_true, abs=0.02)
    assert result.b.value == pytest.approx(b_true, abs=0.02)
    assert result.a.value + result.b.value == pytest.approx(1.0, abs=1e-12)  # C = 6ND
    assert result.a.lower <= a_true <= result.a.upper
    assert result.b.lower <= b_true <= result.b.upper
    assert len(result.budgets) == 7 and all(b.used for b in result.budgets)
    for budget in result.budgets:  # tokens per parameter at each budget, against the law's
        n = optimum(budget.flops, 1.69, 406.4, 410.7, alpha, beta)
        truth = budget.flops / (6 * n) / n
        assert budget.tokens_per_param.value == pytest.approx(truth, rel=0.25)
        assert budget.tokens_opt.value == pytest.approx(
            budget.flops / (6 * budget.params_opt.value)
        )


def test_exact_parabolas_give_exact_vertices_and_power_law() -> None:
    # loss exactly a parabola in log10 N with its vertex on log10 N* = 0.5 log10 C - 1.3
    rows = []
    for C in (1e18, 1e19, 1e20, 1e21):
        x_star = 0.5 * math.log10(C) - 1.3
        for x in x_star + np.linspace(-0.6, 0.4, 6):  # off-centre sampling on purpose
            rows.append({"params": 10**x, "flops": C, "loss": 2.0 + 0.3 * (x - x_star) ** 2})
    result = isoflop(pd.DataFrame(rows), bootstrap=0)
    for budget in result.budgets:
        assert math.log10(budget.params_opt.value) == pytest.approx(
            0.5 * math.log10(budget.flops) - 1.3, abs=1e-9
        )
        assert budget.loss_opt.value == pytest.approx(2.0, abs=1e-9)
        x_star = 0.5 * math.log10(budget.flops) - 1.3  # 2 + 0.3 (x - x*)², expanded
        assert budget.coefs == pytest.approx((2 + 0.3 * x_star**2, -0.6 * x_star, 0.3))
        # fitted coefficients are "coefs" in every result's JSON; the old key one release
        written = budget.to_dict()
        assert written["coefs"] == pytest.approx([2 + 0.3 * x_star**2, -0.6 * x_star, 0.3])
        assert written["coefficients"] == written["coefs"]
        with pytest.warns(DeprecationWarning, match=r"BudgetFit.coefficients .* BudgetFit.coefs"):
            assert budget.coefficients == budget.coefs  # type: ignore[deprecated]
        assert math.isnan(budget.params_opt.lower)  # no bootstrap, no interval
    assert result.a.value == pytest.approx(0.5, abs=1e-9)
    assert result.params_law.coefficient.value == pytest.approx(10**-1.3, rel=1e-8)
    assert result.b.value == pytest.approx(0.5, abs=1e-9)
    assert result.tokens_law.coefficient.value == pytest.approx(1 / (6 * 10**-1.3), rel=1e-8)
    assert result.params_law(1e22) == pytest.approx(10 ** (0.5 * 22 - 1.3), rel=1e-8)


def test_log_space_also_recovers_the_exponent() -> None:
    result = isoflop(isoflop_runs(), space="log", bootstrap=0)
    assert result.space == "log"
    assert result.a.value == pytest.approx(0.28 / 0.62, abs=0.02)


def test_budgets_given_or_found() -> None:
    flops = np.array([0.95e19, 1.0e19, 1.05e19, 2e19, 0.9e21, 1.1e21, 1e21])
    labels, centres = group_budgets(flops, budgets=[1e19, 1e21], tolerance=0.05)
    assert labels.tolist() == [0, 0, 0, -1, 1, 1, 1]  # 2e19 is 0.3 decades away: no budget
    assert centres.tolist() == [1e19, 1e21]
    labels, centres = group_budgets(flops, budgets=None, tolerance=0.05)
    assert labels.tolist() == [0, 0, 0, 1, 2, 2, 2]
    assert centres[0] == pytest.approx(10 ** np.mean(np.log10(flops[:3])))
    assert centres[2] == pytest.approx(10 ** np.mean(np.log10(flops[4:])))


def test_runs_off_every_given_budget_are_left_out_with_a_note() -> None:
    runs = isoflop_runs()
    result = isoflop(runs, budgets=BUDGETS[[0, 2, 4, 6]], bootstrap=0)
    assert [b.flops for b in result.budgets] == pytest.approx(BUDGETS[[0, 2, 4, 6]])
    assert any("27 runs farther than 0.05 decades" in n for n in result.notes)


def test_vertex_outside_the_sampled_sizes_is_flagged_and_not_used() -> None:
    runs = isoflop_runs(noise=0.0)
    C = BUDGETS[3]
    # that budget keeps only its 4 smallest models: loss still falls at the largest
    on = np.isclose(runs["params"] * runs["tokens"] * 6, C)
    keep = ~on | (runs["params"] <= np.sort(runs["params"][on])[3])
    result = isoflop(runs[keep], bootstrap=0)
    flagged = [b for b in result.budgets if not b.used]
    assert [b.status for b in flagged] == [OUTSIDE]
    assert flagged[0].flops == pytest.approx(C)
    assert any("flagged and not used" in n for n in result.notes)
    without = isoflop(runs[~on], bootstrap=0)  # the power law is the one without that budget
    assert result.a.value == pytest.approx(without.a.value, abs=1e-12)


def test_parabola_opening_downwards_is_flagged() -> None:
    runs = isoflop_runs(noise=0.0)
    C = BUDGETS[0]
    on = np.isclose(runs["params"] * runs["tokens"] * 6, C)
    runs.loc[on, "loss"] = 3.0 - 0.1 * (np.log10(runs.loc[on, "params"]) - 8) ** 2
    result = isoflop(runs, bootstrap=0)
    assert result.budgets[0].status == CONCAVE and not result.budgets[0].used
    assert math.isnan(result.budgets[0].params_opt.value)


def test_budget_with_too_few_runs_is_skipped_when_others_remain() -> None:
    runs = isoflop_runs()
    extra = pd.DataFrame({"run": ["x1", "x2"], "params": [1e9, 2e9], "flops": [1e23, 1e23],
                          "loss": [2.0, 2.1]})  # fmt: skip
    runs = pd.concat([runs.assign(flops=6 * runs.params * runs.tokens), extra])
    result = isoflop(runs.drop(columns="tokens"), budgets=[*BUDGETS, 1e23], bootstrap=0)
    assert len(result.budgets) == 7
    assert any("budget 1e23 FLOPs skipped: 2 runs, fewer than 3" in n for n in result.notes)


def test_fewer_than_two_usable_budgets_is_an_error() -> None:
    runs = isoflop_runs()
    one = runs[np.isclose(6 * runs.params * runs.tokens, BUDGETS[0])]
    with pytest.raises(DataError, match=r"1 budget with a usable parabola; .* at least 2"):
        isoflop(one, bootstrap=0)
    two_each = runs.groupby((6 * runs.params * runs.tokens).round(-10)).head(2)
    with pytest.raises(
        DataError, match=r"no budget has 3 or more runs \(the fullest has 2\)"
    ) as err:
        isoflop(two_each, bootstrap=0)
    assert "--tolerance" in err.value.hint


def test_missing_compute_and_bad_options() -> None:
    runs = isoflop_runs().drop(columns="tokens")
    with pytest.raises(DataError, match="needs each run's compute") as err:
        isoflop(runs)
    assert err.value.hint == (  # was: "--map flops=COLUMN" alone, the CLI's syntax
        "add a flops or tokens column, or map one: --map flops=COLUMN "
        "(read_runs(..., columns={'flops': COLUMN}) in Python)"
    )
    good = isoflop_runs()
    for options, message in (
        ({"tolerance": 0.0}, "tolerance must be a positive number of decades"),
        ({"budgets": [1e19, -1.0]}, "budgets must be positive"),
        ({"level": 1.5}, "level must be between 0 and 1"),
        ({"space": "cubic"}, "space must be 'linear' or 'log'"),
        ({"min_runs": 2}, "min_runs must be a whole number ≥ 3"),
    ):
        with pytest.raises(ConfigError, match=message):
            isoflop(good, **options)  # type: ignore[arg-type]


def test_seeded_bootstrap_is_deterministic_and_json_is_strict() -> None:
    runs = isoflop_runs(noise=0.01)
    first = isoflop(runs, bootstrap=200, seed=3)
    again = isoflop(runs, bootstrap=200, seed=3)
    assert first.to_dict() == again.to_dict()
    for b in first.budgets:
        assert b.params_opt.lower <= b.params_opt.value <= b.params_opt.upper
    data = json.loads(dumps(first.to_dict()))
    assert data["method"].startswith("isoflop")
    assert data["a"] == pytest.approx(first.a.value)
    assert len(data["budgets"]) == 7 and data["budgets"][0]["n_runs"] == 9
    assert data["flops_rule"] == "C = 6·N·D, so D_opt = C/(6·N_opt)"
    predicted = first.params_law.predict(1e23)
    assert predicted.lower <= predicted.value <= predicted.upper


# Hoffmann et al. 2022 §3.2 trained IsoFLOP profiles at these nine budgets (their figure 3).
HOFFMANN_BUDGETS = [6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21]


def test_chinchilla_points(chinchilla_csv_path: Path) -> None:
    runs = read_runs(chinchilla_csv_path)
    runs = runs.select(runs["loss"] < np.sort(runs["loss"])[-5])  # the replication's 240 runs
    result = isoflop(runs, budgets=HOFFMANN_BUDGETS, bootstrap=400, seed=0)
    assert len(result.budgets) == 9 and all(b.used for b in result.budgets)
    # Hoffmann et al.'s approach 2: a = 0.49 with 10th-90th percentiles (0.462, 0.534)
    assert 0.462 <= result.a.value <= 0.534
    assert result.a.lower < 0.534 and result.a.upper > 0.462  # the intervals overlap
    # the Epoch refit's approach-3 law (α = 0.3478, β = 0.3658) implies a = β/(α+β) = 0.5126
    assert result.a.value == pytest.approx(0.3658 / (0.3478 + 0.3658), abs=0.02)
    # near 20 tokens per parameter at the budgets where Chinchilla's runs are densest
    for budget in result.budgets[2:8]:
        assert 12 < budget.tokens_per_param.value < 30


def test_reads_a_path_and_reports_progress(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    frame = isoflop_runs()
    frame.to_csv(path, index=False)
    calls: list[tuple[str, int, int]] = []
    result = isoflop(str(path), bootstrap=600, progress=lambda *a: calls.append(a))
    assert result.source == f"{path} ({len(frame)} runs)"  # as a fit of them says it
    assert calls[-1] == ("bootstrap", 7 * 600, 7 * 600)
    done = [c[1] for c in calls]
    assert done == sorted(done) and len(calls) == 7 * 3  # chunks of 250: 250, 500, 600


def test_budget_of_one_model_size_is_flagged() -> None:
    runs = isoflop_runs(noise=0.0)
    runs["flops"] = 6 * runs.params * runs.tokens
    on = np.isclose(runs.flops, BUDGETS[-1])
    runs.loc[on, "params"] = runs.loc[on, "params"].iloc[0]  # 9 runs, all the same size
    result = isoflop(runs.drop(columns="tokens"), bootstrap=50)
    assert result.budgets[-1].status == SAME_SIZE and not result.budgets[-1].used
    assert math.isnan(result.budgets[-1].params_opt.lower)
    assert len([b for b in result.budgets if b.used]) == 6


def test_a_budget_of_exactly_three_runs_has_no_interval_and_says_why() -> None:
    """A parabola through 3 sizes fits them exactly: resampling runs redraws the same vertex
    or none, which gave a zero-width interval [v, v]. Such a vertex now has none, the note
    says why, and the laws across budgets have an interval only while some budget can be
    resampled."""
    runs = isoflop_runs(per=3, noise=0.01)
    every = isoflop(runs, bootstrap=200, seed=0)
    assert all(b.used for b in every.budgets)
    for b in every.budgets:
        assert math.isnan(b.params_opt.lower) and math.isnan(b.params_opt.upper)
        assert math.isfinite(b.params_opt.value)
    assert math.isnan(every.a.lower) and math.isnan(every.a.upper)
    assert any("hold exactly 3 runs" in n and "neither have the laws" in n for n in every.notes)

    # one budget with 9 sizes: it keeps a real interval, the others enter the laws as fixed
    wide = isoflop_runs(per=9, noise=0.01)
    top = wide[np.isclose(6 * wide["params"] * wide["tokens"], BUDGETS[-1], rtol=1e-6)]
    mixed = pd.concat(
        [runs[~np.isclose(6 * runs["params"] * runs["tokens"], BUDGETS[-1], rtol=1e-6)], top]
    )
    result = isoflop(mixed, bootstrap=200, seed=0)
    last = result.budgets[-1]
    assert len(last.runs) == 9
    assert last.params_opt.lower < last.params_opt.value < last.params_opt.upper
    assert all(math.isnan(b.params_opt.lower) for b in result.budgets[:-1])
    assert result.a.lower < result.a.upper
    assert any("enter the laws' resamples as fixed" in n for n in result.notes)


def test_a_too_wide_tolerance_is_told_to_narrow() -> None:
    """Two decades either side make the 7 budgets one: the hint says to narrow --tolerance
    (it said widen), and how many budgets the default finds; a narrow one is told to widen."""
    runs = isoflop_runs()
    with pytest.raises(DataError, match="0 budgets with a usable parabola") as info:
        isoflop(runs, tolerance=2.0, bootstrap=0)
    assert "narrow --tolerance (tolerance=; at 2, runs 4 decades of FLOPs apart are one " in (
        info.value.hint
    )
    assert "at 0.05 7 budgets have 3+ runs)" in info.value.hint
    assert "widen" not in info.value.hint
    with pytest.raises(DataError, match="no budget has 3 or more runs") as info:
        isoflop(runs, budgets=[3e18, 3e19], tolerance=0.01, bootstrap=0)
    assert "widen --tolerance (tolerance=)" in info.value.hint
