"""Formulas of any allowed size stay within bounded memory and time: the start grid is
chosen by index (never built in full), large grids are screened before solving, and the
parser refuses deep nesting, huge or non-decimal literals and non-UTF-8 text by name."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab import FormulaError
from scalinglab.cli import main
from scalinglab.laws import FormulaLaw, parse_formula
from scalinglab.laws._base import strided_product

TWELVE = " + ".join(f"A{k}*N**-a{k}" for k in range(6))


def test_strided_product_matches_the_full_product_it_replaces() -> None:
    axes = [(-1.0, 0.5, 3.0), (0.1, 0.2), (1.0, 2.0, 4.0, 8.0), (5.0, 6.0)]
    full = np.array(list(itertools.product(*axes)))
    assert np.array_equal(strided_product(axes, 1000), full)
    picks = np.linspace(0, len(full) - 1, 10).round().astype(int)
    assert np.array_equal(strided_product(axes, 10), full[picks])
    huge = strided_product([(1.0, 2.0, 3.0)] * 60, 50)  # 3**60 rows: exact integer strides
    assert huge.shape == (50, 60)
    assert np.all(huge[0] == 1.0) and np.all(huge[-1] == 3.0)


def test_a_twelve_parameter_formula_grid_is_small() -> None:
    law = FormulaLaw(TWELVE)
    tracemalloc.start()
    grid = law.start_grid({}, np.ones(3))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert grid.shape == (8000, 12)
    assert peak < 20 * 2**20  # the full product (6**6 * 4**6 rows x 12) would be 18 GB


def _fit_screened(text: str) -> None:
    n = np.geomspace(1e6, 1e10, 16)
    truth = 2 + 300 * n**-0.3 + 50 * n**-0.1
    runs = scalinglab.read_runs(pd.DataFrame({"params": n, "loss": truth}))
    result = scalinglab.fit(text, runs, bootstrap=0)
    assert result.n_starts == 300
    assert any("screened" in note for note in result.notes)
    predicted = FormulaLaw(text).evaluate(dict(result.coefs), {"N": n})
    np.testing.assert_allclose(predicted, truth, rtol=1e-4)


@pytest.mark.heavy  # 4.5 s in the suite on a 2-core AMD EPYC
def test_a_six_parameter_formula_fits_from_a_screened_grid() -> None:
    _fit_screened("E + A*N**-a + B*N**-b + F*N**-1")


@pytest.mark.slow
def test_a_twelve_parameter_formula_fits_from_a_screened_grid() -> None:
    _fit_screened(TWELVE)


def test_too_many_parameters_are_refused_with_the_count() -> None:
    text = " + ".join(f"A{k}*N**-a{k}" for k in range(13))
    with pytest.raises(FormulaError, match="26 parameters to fit; at most 24"):
        FormulaLaw(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("+".join(["N"] * 700), "nests"),
        ("(" * 300 + "N" + ")" * 300, "nested"),
        ("A*N**-a + " + "1" * 1981, "1981 characters long"),
        ("A*N**-a + 0x" + "f" * 30, "not decimal"),
        ("A*N**-a + 1e400", "float64's range"),
        ("A\udcff*N**-a", "not UTF-8"),
    ],
)
def test_parser_limits_are_named(text: str, why: str) -> None:
    with pytest.raises(FormulaError, match=why):
        parse_formula(text)


def test_cli_refuses_a_deep_formula_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", "--law", "+".join(["N"] * 700)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and "Traceback" not in out + err
    assert len(err.strip().splitlines()) <= 2
