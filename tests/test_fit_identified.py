"""Structural identifiability (fit/_identified.py) on runs drawn from a known law.

Each degenerate case comes with its own oracle that the flagged parameters really are not
fixed: another parameter point, built by hand, that predicts every run the same (two model
sizes; one tokens-per-parameter ratio; a product of coefficients), or the rank of a
finite-difference Jacobian computed here without the library. The well-posed cases (three
sizes; the over-training law's shared exponent on two sizes) must stay silent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scalinglab as sl
from conftest import TRUTH, chinchilla_runs
from scalinglab.cli import main
from scalinglab.data import bundled_runs
from scalinglab.fit._diagnostics import diagnose
from scalinglab.fit._identified import RANK_RTOL, structural
from scalinglab.laws import get_law

SIZES = (1.06e7, 7.89e7, 1.54e8, 4.12e8)


def _chinchilla(n: np.ndarray, d: np.ndarray, p: dict[str, float] = TRUTH) -> np.ndarray:
    return p["E"] + p["A"] * n ** -p["alpha"] + p["B"] * d ** -p["beta"]


def _runs(sizes: tuple[float, ...], *, per: int = 10, seed: int = 0) -> pd.DataFrame:
    """``per`` token counts (5-640 tokens per parameter) at each size, 0.5% noise."""
    rng = np.random.default_rng(seed)
    n = np.repeat(np.asarray(sizes), per)
    d = n * np.tile(np.geomspace(5, 640, per), len(sizes))
    loss = _chinchilla(n, d) * np.exp(0.005 * rng.standard_normal(len(n)))
    return pd.DataFrame({"params": n, "tokens": d, "loss": loss})


def _structural(warnings: tuple[str, ...]) -> list[str]:
    return [w for w in warnings if "not identified separately" in w or "move together" in w]


def _fd_rank_ratio(
    f: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, h: float = 1e-5
) -> float:
    """Smallest over largest singular value of the central-difference Jacobian of ``f``
    (log predictions as a function of log coefficients and plain exponents), columns
    scaled to unit norm: an oracle computed without the library's derivatives."""
    cols = []
    for j in range(len(theta)):
        step = np.zeros_like(theta)
        step[j] = h
        cols.append((f(theta + step) - f(theta - step)) / (2 * h))
    J = np.column_stack(cols)
    J /= np.linalg.norm(J, axis=0)
    s = np.linalg.svd(J, compute_uv=False)
    return float(s[-1] / s[0])


def _log_chinchilla(n: np.ndarray, d: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    def f(t: np.ndarray) -> np.ndarray:
        e, a, b, alpha, beta = t
        return np.log(np.exp(e) + np.exp(a) * n**-alpha + np.exp(b) * d**-beta)

    return f


def _theta(c: Mapping[str, float]) -> np.ndarray:
    """Chinchilla's coefficients as the oracle's vector: log E, log A, log B, alpha, beta."""
    return np.array([*np.log([c["E"], c["A"], c["B"]]), c["alpha"], c["beta"]])


@pytest.mark.parametrize("bootstrap", [0, 40])
def test_two_model_sizes_fire_and_name_the_parameters(bootstrap: int) -> None:
    runs = _runs(SIZES[:2], per=14)
    result = sl.fit("chinchilla", runs, bootstrap=bootstrap, extrapolation=False)
    lines = _structural(result.warnings)
    assert lines == [
        "params takes 2 distinct values (10.6M, 78.9M), but the law's N term (A, alpha) "
        "and E need at least 3: A, alpha and E are not identified separately, and "
        "extrapolations from them are arbitrary — add a model size, or fit a law of tokens only"
    ]
    assert not result.trusted and lines[0] in result.to_dict()["warnings"]
    assert f"warning: {lines[0]}" in str(result)  # the text summary
    # the oracle: another E, with A and alpha solved to match E + A*N_i^-alpha at both
    # sizes, predicts every run the same and extrapolates differently
    c = dict(result.coefs)
    n, d = runs["params"].to_numpy(), runs["tokens"].to_numpy()
    level = [c["E"] + c["A"] * s ** -c["alpha"] for s in SIZES[:2]]
    other = dict(c, E=0.5 * c["E"])
    u = [v - other["E"] for v in level]
    other["alpha"] = math.log(u[0] / u[1]) / math.log(SIZES[1] / SIZES[0])
    other["A"] = u[0] * SIZES[0] ** other["alpha"]
    assert _chinchilla(n, d, other) == pytest.approx(_chinchilla(n, d, c), rel=1e-12)
    far = (np.array([7e10]), np.array([1.4e12]))
    assert abs(_chinchilla(*far, other)[0] / _chinchilla(*far, c)[0] - 1) > 0.01
    assert _fd_rank_ratio(_log_chinchilla(n, d), _theta(c)) < 1e-6


def test_three_model_sizes_are_silent() -> None:
    runs = _runs(SIZES[:3])
    result = sl.fit("chinchilla", runs, bootstrap=0)
    assert result.warnings == ()
    n, d = runs["params"].to_numpy(), runs["tokens"].to_numpy()
    assert _fd_rank_ratio(_log_chinchilla(n, d), _theta(result.coefs)) > 1e-4  # oracle agrees


def test_shared_exponent_pools_both_variables() -> None:
    # E + A/N^alpha + B/D^alpha on two sizes: the token counts fix alpha, the two sizes A
    result = sl.fit("overtraining", _runs(SIZES[:2], per=14), bootstrap=0)
    assert _structural(result.warnings) == []
    # two sizes and two token counts: 2 differences for A, B and alpha
    n = np.repeat([1e7, 8e7], 10)
    d = np.tile([2e8, 2e10], 10)
    grid = pd.DataFrame({"params": n, "tokens": d, "loss": _chinchilla(n, d)})
    lines = _structural(sl.fit("overtraining", grid, bootstrap=0).warnings)
    assert len(lines) == 1 and "need 3 differences between them (2 here)" in lines[0]
    assert "A, B, alpha and E are not identified separately" in lines[0]


@pytest.mark.parametrize("law", ["chinchilla", "overtraining"])
def test_one_ratio_of_tokens_to_params_fires(law: str) -> None:
    # one token count per size at 20 tokens per parameter: N and D move together
    n = np.geomspace(1e7, 1e9, 30)
    runs = pd.DataFrame({"params": n, "tokens": 20 * n, "loss": _chinchilla(n, 20 * n)})
    result = sl.fit(law, runs, bootstrap=0)
    (line,) = _structural(result.warnings)
    assert line.startswith("params and tokens move together: every run lies on ")
    assert "tokens = 20·params^1.00 exactly" in line
    if law == "chinchilla":
        # the oracle: swap the roles of the N and D terms; the runs see no difference
        c = dict(result.coefs)
        swapped = dict(
            c,
            A=c["B"] * 20 ** -c["beta"],
            alpha=c["beta"],
            B=c["A"] * 20 ** c["alpha"],
            beta=c["alpha"],
        )
        assert _chinchilla(n, 20 * n, swapped) == pytest.approx(_chinchilla(n, 20 * n, c))


def test_a_term_in_compute_beside_n_and_d_is_told_apart_on_a_grid() -> None:
    # log C = log 6 + log N + log D: the design is a plane, not a curve, and K*C^-gamma is
    # not a sum of powers of N and D; on one ratio all three move together
    law = get_law("E + A*N**-alpha + B*D**-beta + K*C**-gamma")
    coefs = dict(TRUTH, K=3e3, gamma=0.2)
    n = np.repeat(np.geomspace(1e7, 1e9, 6), 6)
    d = n * np.tile(np.geomspace(5, 200, 6), 6)
    assert structural(law, coefs, {"N": n, "D": d, "C": 6 * n * d}) == []
    n = np.geomspace(1e7, 1e9, 30)
    (line,) = structural(law, coefs, {"N": n, "D": 20 * n, "C": 120 * n * n})
    assert line.startswith("N, D and C move together: every run lies on one power curve")


def test_one_compute_budget_fires_for_n_and_d_and_is_refused_for_c() -> None:
    n = np.geomspace(1e7, 1e9, 30)
    d = 1e19 / (6 * n)
    runs = pd.DataFrame({"params": n, "tokens": d, "loss": _chinchilla(n, d)})
    (line,) = _structural(sl.fit("chinchilla", runs, bootstrap=0).warnings)
    assert "tokens = 1.67e18·params^-1.00 exactly" in line
    runs["flops"] = 6 * n * d
    with pytest.raises(sl.DataError, match="every run has flops = 1e"):
        sl.fit("power-law-plus-constant:flops", runs, bootstrap=0)


@pytest.mark.parametrize("bootstrap", [0, 40])
def test_a_compute_law_on_two_budgets_fires(bootstrap: int) -> None:
    c = np.repeat([1e19, 1e20], 12)
    loss = 1.7 + 900 * c**-0.15 * np.exp(0.003 * np.random.default_rng(1).standard_normal(24))
    runs = pd.DataFrame({"flops": c, "loss": loss})
    # extrapolation=False: the rolling-origin cuts of two budgets leave one (refused)
    result = sl.fit("power-law-plus-constant:flops", runs, bootstrap=bootstrap, extrapolation=False)
    (line,) = _structural(result.warnings)
    assert line.startswith("flops takes 2 distinct values (1e19, 1e20), but the law's C term")
    assert line.endswith("add a compute budget")  # no other variable to fall back on
    three = pd.DataFrame({"flops": np.repeat([1e19, 1e20, 1e21], 8)})
    three["loss"] = 1.7 + 900 * three["flops"] ** -0.15
    # 3 budgets for 3 parameters: not under-identified, but 8 seeds per budget measure
    # noise, not scaling, so the runs-per-parameter line counts the 3 budgets
    assert sl.fit("power-law-plus-constant:flops", three, bootstrap=0).warnings == (
        "too few runs: 3 distinct C from 24 runs for 3 parameters (1.0 per parameter, under 5; "
        "runs at one C count once); parameters and extrapolations are unreliable — add runs "
        "at new points or fit a law with fewer parameters",
    )


def test_a_product_of_coefficients_fires_without_a_bootstrap() -> None:
    x = np.geomspace(1e6, 1e9, 25)
    runs = pd.DataFrame({"params": x, "loss": 1.5 + 40 * x**-0.3})
    result = sl.fit("E + A*K*N**-alpha", runs, bootstrap=0)
    (line,) = _structural(result.warnings)
    assert line.startswith("A and K are not identified separately: along a combination")
    ratio = float(line.split("singular value is ")[1].split(" ")[0])
    assert ratio < RANK_RTOL


def test_diagnose_without_the_runs_skips_the_structural_checks() -> None:
    law = get_law("chinchilla")
    data = {"N": np.repeat([1e7, 8e7], 50), "D": np.tile(np.geomspace(1e8, 1e10, 50), 2)}
    args = (law, dict(TRUTH), {}, None)
    assert diagnose(*args, n_runs=100, min_loss=2.0) == ()
    (line,) = diagnose(*args, n_runs=100, min_loss=2.0, data=data, columns={"N": "size"})
    assert line.startswith("size takes 2 distinct values (1e7, 8e7)")


def test_bundled_runs_fire_only_below_three_sizes(tmp_path: Path) -> None:
    runs = bundled_runs("overtraining-c4")
    assert _structural(sl.fit("chinchilla", runs, bootstrap=0).warnings) == []
    small = runs.select(runs["params"] < 1e8)  # 10.6M and 78.9M: the case of the issue
    frame = pd.DataFrame({c: small[c] for c in ("params", "tokens", "loss")})
    path = tmp_path / "two.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "fit.json"
    assert (
        main(["fit", str(path), "--law", "chinchilla", "--bootstrap", "0", "--out", str(out)]) == 0
    )
    saved = json.loads(out.read_text())
    assert saved["trusted"] is False
    assert any(
        w.startswith("params takes 2 distinct values (10.6M, 78.9M)") for w in saved["warnings"]
    )


def test_sizes_in_warnings_are_written_as_the_command_line_writes_them() -> None:
    from scalinglab._format import format_count, format_flops, format_quantity

    # independent reference: the values written out by hand
    assert [format_count(v) for v in (1.06e7, 999.7e6, 1.4e12, 512.0, 2e15)] == [
        "10.6M", "1B", "1.4T", "512", "2e15"
    ]  # fmt: skip
    assert format_flops(5.76e23) == "5.76e23" and format_quantity(1e20, "flops") == "1e20"
    assert format_quantity(0.1234567, "lr") == "0.123"
    assert format_quantity(float("nan"), "params") == "nan"


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_parameter_the_formula_multiplies_by_zero_is_named() -> None:
    """``0*foo``: foo's column of the Jacobian is 0, so no run fixes it; the rank check skips
    zero columns (a collapse's), so this line names it, and only it."""
    runs = chinchilla_runs(seed=2, outliers=0)
    result = sl.fit("E + A*N**-alpha + B*D**-beta + 0*foo", runs, bootstrap=0)
    lines = [w for w in result.warnings if "no effect" in w]
    assert lines == [
        "foo has no effect on the loss at these runs (its column of the Jacobian is 0): its "
        "value and interval are where the search started, not what the data say — drop it "
        "from the formula"
    ]
    assert not result.trusted
    sound = sl.fit("chinchilla", runs, bootstrap=0)
    assert not any("no effect" in w for w in sound.warnings)


def test_a_formula_parameter_named_like_a_variable_gets_a_note() -> None:
    """``T`` for ``D`` as the base of a power is refused (``T**-beta`` is one constant);
    elsewhere it is fitted as a number, and the note names the variables the runs give.
    Catalog laws' A, B, E draw none."""
    runs = chinchilla_runs(seed=2, outliers=0)
    with pytest.raises(sl.FormulaError, match="T is raised to a fitted power but is no variable"):
        sl.fit("E + A*N**-alpha + B*T**-beta", runs, bootstrap=0, extrapolation=False)
    typo = sl.fit("E + A*N**-alpha + T*D**-beta", runs, bootstrap=0, extrapolation=False)
    assert (
        "T in the formula is a parameter, fitted as a number: the runs give N (params), "
        "D (tokens), C (flops); if T meant one of them, write its symbol"
    ) in typo.notes
    sound = sl.fit("chinchilla", runs, bootstrap=0, extrapolation=False)
    assert not any("in the formula is a parameter" in n for n in sound.notes)
