"""N_opt and D_opt at a budget, read off an IsoFLOP or envelope analysis's power laws
(``isoflop RUNS --at 1e23``, ``IsoFLOPResult.at(flops=1e23)``): the closed form ``k·C^a``
with the percentile interval of the bootstrap's own (exponent, coefficient) pairs; and
the hint of an IsoFLOP file given as a fit says that, not "its allocation is in the file"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves, optimum
from tests._cli import cli

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.validate import OptimumAt, envelope, isoflop

LEVEL = 0.9


@pytest.fixture(scope="module")
def result() -> sl.validate.IsoFLOPResult:
    return isoflop(isoflop_runs(), bootstrap=200, level=LEVEL, seed=0)


def _band(value: float, lines: np.ndarray) -> tuple[float, float]:
    """The percentile interval of ``lines``, widened to reach ``value`` (as every interval
    of these laws is, :func:`scalinglab.validate._powerlaw.estimate`)."""
    lo, hi = np.percentile(lines, [50 * (1 - LEVEL), 50 * (1 + LEVEL)])
    return min(float(lo), value), max(float(hi), value)


def test_the_point_is_the_closed_form_and_the_interval_the_resampled_lines(
    result: sl.validate.IsoFLOPResult,
) -> None:
    c = 1e23
    at = result.at(flops=c)
    k, a = result.params_law.coefficient.value, result.params_law.exponent.value
    kd, b = result.tokens_law.coefficient.value, result.tokens_law.exponent.value
    assert at.params_opt.value == pytest.approx(k * c**a, rel=1e-12)
    assert at.tokens_opt.value == pytest.approx(kd * c**b, rel=1e-12)
    assert at.params_opt.value * at.tokens_opt.value * 6 == pytest.approx(c, rel=1e-9)  # C = 6·N·D
    pairs = result.params_law.samples
    assert pairs is not None and pairs.shape == (200, 2)
    n_i = 10.0 ** (pairs[:, 1] + pairs[:, 0] * math.log10(c))  # each resample's k_i·C^a_i
    assert (at.params_opt.lower, at.params_opt.upper) == pytest.approx(
        _band(at.params_opt.value, n_i)
    )
    d_i = c / (6 * n_i)
    assert (at.tokens_opt.lower, at.tokens_opt.upper) == pytest.approx(
        _band(at.tokens_opt.value, d_i)
    )
    ratio = at.tokens_opt.value / at.params_opt.value
    assert (at.tokens_per_param.lower, at.tokens_per_param.upper) == pytest.approx(
        _band(ratio, d_i / n_i)
    )
    # the pairs, not the two intervals: k and a are correlated, their ends far apart
    kl, ku = result.params_law.coefficient.lower, result.params_law.coefficient.upper
    al, au = result.params_law.exponent.lower, result.params_law.exponent.upper
    assert ku * c**au / (kl * c**al) > 2 * at.params_opt.upper / at.params_opt.lower
    # the runs' law: N_opt near Hoffmann's eq. 4 at the runs' largest budget
    assert result.at(flops=1e21).params_opt.value == pytest.approx(
        optimum(1e21, **HOFFMANN), rel=0.3
    )


def test_beyond_says_how_far_past_the_fitted_budgets(result: sl.validate.IsoFLOPResult) -> None:
    top = max(b.flops for b in result.budgets if b.used)
    assert result.params_law.reach == pytest.approx(top)
    assert result.at(flops=1e23).distance == pytest.approx(math.log10(1e23 / top))
    assert result.at(flops=top / 10).distance == 0.0
    # one name with a plan's distance; the old one warns for a release, same number
    with pytest.warns(DeprecationWarning, match=r"OptimumAt.beyond .* use OptimumAt.distance"):
        old = result.at(flops=1e23).beyond  # type: ignore[deprecated]
    assert old == pytest.approx(math.log10(1e23 / top))


def test_the_optimum_is_params_opt_and_tokens_opt_as_its_json_names_it(
    result: sl.validate.IsoFLOPResult,
) -> None:
    at = result.at(flops=1e23)
    said = at.to_dict()
    assert float(at.params_opt) == said["params_opt"]
    assert float(at.tokens_opt) == said["tokens_opt"]
    assert "params_opt=Estimate(" in repr(at)
    # the old names warn for a release and hold the same numbers, as do their keywords
    with pytest.warns(DeprecationWarning, match=r"OptimumAt.params .* use OptimumAt.params_opt"):
        assert at.params == at.params_opt  # type: ignore[deprecated]
    with pytest.warns(DeprecationWarning, match=r"OptimumAt.tokens .* use OptimumAt.tokens_opt"):
        assert at.tokens == at.tokens_opt  # type: ignore[deprecated]
    fields = {"flops": 1e23, "tokens_per_param": at.tokens_per_param, "level": at.level}
    with pytest.warns(DeprecationWarning, match=r"OptimumAt\(params=\) .* OptimumAt\(params_opt="):
        old = OptimumAt(params=at.params_opt, tokens_opt=at.tokens_opt, distance=0.0, **fields)  # type: ignore[call-arg]
    assert old.params_opt == at.params_opt


@pytest.mark.parametrize("flops", [0.0, -1e23, math.inf, math.nan])
def test_a_budget_that_is_no_positive_number_is_refused(
    result: sl.validate.IsoFLOPResult, flops: float
) -> None:
    with pytest.raises(ConfigError, match=r"flops must be a positive, finite number of FLOPs"):
        result.at(flops=flops)


def test_the_envelope_reads_its_laws_at_a_budget_too() -> None:
    env = envelope(law_curves(HOFFMANN), bootstrap=50, level=LEVEL, seed=0)
    at = env.at(flops=1e23)
    k, a = env.params_law.coefficient.value, env.params_law.exponent.value
    assert at.params_opt.value == pytest.approx(k * 1e23**a, rel=1e-12)
    assert at.params_opt.lower <= at.params_opt.value <= at.params_opt.upper
    used = [c for c, u in zip(env.flops, env.used, strict=True) if u]
    assert env.params_law.reach == pytest.approx(max(used))


def test_isoflop_at_prints_and_saves_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], result: sl.validate.IsoFLOPResult
) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    args = ("isoflop", str(path), "--bootstrap", "200", "--at", "1e23,1e24")
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    saved = json.loads(out)["at"]
    assert saved == [json.loads(json.dumps(result.at(flops=c).to_dict())) for c in (1e23, 1e24)]
    code, out, _ = cli(capsys, *args)
    assert code == 0 and "N_opt and D_opt from the power laws, 90% intervals" in out


def test_a_bad_at_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "isoflop", str(tmp_path / "none.csv"), "--at", "soon")
    assert code == 2 and err.startswith("error: --at 'soon' is not a number")


def test_an_isoflop_file_given_as_a_fit_says_what_it_holds_and_how_to_read_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "iso.json"
    path.write_text(json.dumps({"format": "scalinglab.isoflop/2"}))
    code, _, err = cli(capsys, "plan", "--fit", str(path), "--compute", "1e23", one_line=True)
    assert code == 2
    assert (
        "hint: it is an IsoFLOP analysis (`scalinglab isoflop --out`, IsoFLOPResult.save): it "
        "holds each budget's optimum and the power laws N_opt = k·C^a and D_opt = k'·C^b (each "
        "exponent and coefficient with its own interval), no law of the loss; read it with "
        "IsoFLOPResult.load; N_opt and D_opt at a budget, "
        "with intervals: `scalinglab isoflop RUNS --at 1e23` (Python: "
        "IsoFLOPResult.at(flops=1e23)); `plan --fit` reads a law fit" in err
    )
    assert "its allocation is in the file" not in err


def test_envelope_at_saves_them_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "curves.csv"
    law_curves(HOFFMANN).to_csv(path, index=False)
    code, out, err = cli(
        capsys, "envelope", str(path), "--bootstrap", "20", "--at", "1e23", "--json"
    )
    assert code == 0, err
    (row,) = json.loads(out)["at"]
    assert row["flops"] == 1e23
    assert row["params_opt_lower"] <= row["params_opt"] <= row["params_opt_upper"]
    assert row["params_opt"] * row["tokens_opt"] * 6 == pytest.approx(1e23, rel=1e-9)


def test_at_compute_suggests_flops(result: sl.validate.IsoFLOPResult) -> None:
    with pytest.raises(ConfigError) as info:
        result.at(compute=1e23)  # type: ignore[call-arg]
    assert info.value.hint == "did you mean flops=? It is the budget in FLOPs"
