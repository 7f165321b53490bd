"""A fitted law's allocation exponents, N* ∝ C^a and D* ∝ C^b (Hoffmann et al. 2022, eq. 4
and Table 2): a = β/(α+β), b = α/(α+β), with the coefficients' bootstrap and interval
method, in Python, ``fit``'s text and JSON, and the report's plan, as ``isoflop`` and
``envelope`` give theirs; none for a law without that closed form."""

from __future__ import annotations

import html
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs
from tests._cli import cli

import scalinglab
from scalinglab._cells import exponent
from scalinglab._quantiles import percentile
from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.fit import FitResult
from scalinglab.report._html_sections import plan_section

if TYPE_CHECKING:
    from scalinglab.fit import AllocationExponents

#: Hoffmann et al.'s law's own a: what a fit of runs drawn from it must come back to.
TRUE_A = HOFFMANN["beta"] / (HOFFMANN["alpha"] + HOFFMANN["beta"])


@pytest.fixture(scope="module")
def drawn() -> FitResult:
    """Chinchilla's law fitted to runs on isoFLOP slices of Hoffmann et al.'s (0.3% noise)."""
    return scalinglab.fit("chinchilla", isoflop_runs(), bootstrap=100, seed=0)


def _exponents(result: FitResult) -> AllocationExponents:
    found = result.allocation_exponents
    assert found is not None
    return found


def test_a_and_b_are_the_closed_form_of_the_fitted_exponents(drawn: FitResult) -> None:
    found = _exponents(drawn)
    alpha, beta = drawn.coefs["alpha"], drawn.coefs["beta"]
    assert found.a.value == pytest.approx(beta / (alpha + beta), rel=1e-12)
    assert found.b.value == pytest.approx(alpha / (alpha + beta), rel=1e-12)
    assert found.a.value + found.b.value == 1.0  # exactly
    assert found.level == drawn.level


def test_a_fit_of_a_known_law_recovers_its_a_within_the_interval(drawn: FitResult) -> None:
    found = _exponents(drawn)
    assert found.a.value == pytest.approx(TRUE_A, abs=0.01)
    for e in (found.a, found.b):  # each estimate inside its own interval, the truth too
        assert e.lower <= e.value <= e.upper
    assert found.a.lower <= TRUE_A <= found.a.upper
    assert found.warnings == ()


def test_the_interval_is_the_percentile_interval_of_the_bootstrap_fits_a(
    drawn: FitResult,
) -> None:
    assert drawn.samples is not None
    names = list(drawn.coefs)
    alpha, beta = drawn.samples[:, names.index("alpha")], drawn.samples[:, names.index("beta")]
    lo, hi = percentile(beta / (alpha + beta), [5.0, 95.0])  # level 0.9, as the coefficients
    found = _exponents(drawn)
    assert (found.a.lower, found.a.upper) == pytest.approx((lo, hi), rel=1e-12)
    assert (found.b.lower, found.b.upper) == pytest.approx((1 - hi, 1 - lo), rel=1e-12)


def test_json_holds_the_python_values_under_isoflop_keys(drawn: FitResult) -> None:
    found = _exponents(drawn)
    saved = json.loads(drawn.to_json())["allocation_exponents"]
    assert saved == {
        "a": found.a.value,
        "a_lower": found.a.lower,
        "a_upper": found.a.upper,
        "b": found.b.value,
        "b_lower": found.b.lower,
        "b_upper": found.b.upper,
        "warnings": [],
    }
    # derived, not read back: a saved fit loads as before and gives the same numbers
    again = FitResult.from_dict(json.loads(drawn.to_json()))
    assert again.allocation_exponents == found


def test_without_a_bootstrap_there_is_no_interval(drawn: FitResult) -> None:
    bare = replace(drawn, samples=None, intervals=dict.fromkeys(drawn.coefs, (math.nan,) * 2))
    found = _exponents(bare)
    assert found.a.value == _exponents(drawn).a.value
    assert all(math.isnan(x) for x in (found.a.lower, found.a.upper, found.b.lower, found.b.upper))
    assert json.loads(bare.to_json())["allocation_exponents"]["a_lower"] == "nan"
    # the value alone, as a coefficient without an interval is written
    assert f"a = beta/(alpha+beta) = {found.a.value:.3f}; D*" in str(found)


def test_an_estimate_outside_its_interval_is_warned_of_as_a_coefficient_is(
    drawn: FitResult,
) -> None:
    assert drawn.samples is not None
    shifted = drawn.samples.copy()
    shifted[:, list(drawn.coefs).index("beta")] *= 2.0  # every resample's a above the fit's
    found = _exponents(replace(drawn, samples=shifted))
    assert found.a.value < found.a.lower and found.b.value > found.b.upper
    assert len(found.warnings) == 2
    # the value and interval as the allocation line writes them (0.447 [0.612, 0.628])
    shown = exponent(found.a).replace(" [", " lies outside its own interval [", 1)
    assert found.warnings[0].startswith(f"allocation exponent a = {shown}: ")
    # with too few resamples for ends that mean anything, the fit's own warning says so
    assert _exponents(replace(drawn, samples=shifted[:5])).warnings == ()


@pytest.mark.parametrize(
    ("law", "columns"),
    [
        ("power-law:flops", {"flops": 1.0}),
        ("E + A*N**-alpha + B*D**-beta", {}),  # the same law as a formula: searched, not closed
        ("overtraining", {}),
    ],
)
def test_a_law_without_the_closed_form_has_none(law: str, columns: dict[str, float]) -> None:
    runs = isoflop_runs()
    if columns:
        runs = runs.assign(flops=6 * runs["params"] * runs["tokens"])
    result = scalinglab.fit(law, runs, bootstrap=0, extrapolation=False)
    assert result.allocation_exponents is None
    assert result.to_dict()["allocation_exponents"] is None


def test_a_flops_count_that_varies_with_n_or_a_withheld_plan_has_none(drawn: FitResult) -> None:
    varying = FlopsConvention("exact counts", base=1.0, coef=2e8, power=-1.0)
    assert replace(drawn, flops_convention=varying).allocation_exponents is None
    constant = FlopsConvention("exact counts", base=1.2)  # C/r: the same power of C
    assert _exponents(replace(drawn, flops_convention=constant)) == _exponents(drawn)
    assert replace(drawn, plan_withheld="N and D move together").allocation_exponents is None


def test_the_report_plan_says_the_line_fit_prints(drawn: FitResult) -> None:
    body = plan_section(drawn, [1e21, 1e22], None).body
    line = html.escape(str(_exponents(drawn)), quote=True)
    assert f"</table><p class='exponents'>{line}</p>" in body  # under the plan's table


@pytest.mark.heavy
def test_fit_prints_the_line_under_its_method_and_json_holds_the_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs.csv"
    isoflop_runs().to_csv(runs, index=False)
    options = ("--bootstrap", "100", "--compute", "1e21,1e22")
    code, out, _ = cli(capsys, "fit", str(runs), *options, "--json")
    data = json.loads(out)
    found = _exponents(FitResult.from_dict(data))
    assert code == 0 and data["allocation_exponents"]["a"] == found.a.value
    assert [data["allocation_exponents"][k] for k in ("a_lower", "a_upper", "b_lower")] == [
        found.a.lower,
        found.a.upper,
        found.b.lower,
    ]
    code, out, _ = cli(capsys, "fit", str(runs), *options)
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("method: closed form"))
    assert code == 0 and lines[at + 1] == str(found)  # the line under the method
    # each exponent as isoflop writes its a: three decimals, with its interval
    a, b = found.a, found.b
    assert f"a = beta/(alpha+beta) = {a.value:.3f} [{a.lower:.3f}, {a.upper:.3f}]; " in out
    assert f"D* ∝ C^b, b = alpha/(alpha+beta) = {b.value:.3f} [{b.lower:.3f}, {b.upper:.3f}]" in out


@pytest.mark.heavy
def test_fit_of_a_law_of_compute_alone_prints_no_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs.csv"
    frame = isoflop_runs()
    frame.assign(flops=6 * frame["params"] * frame["tokens"]).to_csv(runs, index=False)
    options = ("--law", "power-law:flops", "--bootstrap", "0", "--compute", "1e21")
    code, out, _ = cli(capsys, "fit", str(runs), *options)
    assert code == 0 and "allocation exponents" not in out
    code, out, _ = cli(capsys, "fit", str(runs), *options, "--json")
    assert code == 0 and json.loads(out)["allocation_exponents"] is None


def test_isoflop_and_fit_write_an_exponent_alike() -> None:
    from scalinglab._cells import exponent
    from scalinglab.plan import Estimate

    assert exponent(Estimate(0.5, 0.49, 0.541)) == "0.500 [0.490, 0.541]"
    assert exponent(Estimate(0.5, math.nan, math.nan)) == "0.500"
