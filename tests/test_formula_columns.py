"""A formula's symbols against the runs' columns: ``--x`` naming a symbol the formula does
not use, a parameter spelled like a column, a hint for ``--x`` where ``laws`` has none, and
a law of compute on runs without it, a catalog law of fixed variables given a ``:COLUMN``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import FormulaError, fit


def _runs(path: Path, *, flops: bool = True) -> Path:
    n = np.geomspace(1e6, 1e9, 16)
    frame = pd.DataFrame({"params": n, "loss": 2.0 + 50.0 * n**-0.25, "width": np.sqrt(n)})
    if flops:
        frame = frame.assign(tokens=20 * n, flops=120 * n**2)
    frame.to_csv(path, index=False)
    return path


def test_x_for_a_symbol_the_formula_lacks_names_the_formula_s_symbols(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "u.csv"
    u = np.linspace(0.2, 5, 20)
    pd.DataFrame({"steps": u, "loss": 1 + 3 * np.exp(-0.7 * u)}).to_csv(path, index=False)
    law = "Linf + A*exp(-k*U)"
    code, _, err = cli(capsys, "fit", str(path), "--law", law, "--x", "V=steps", one_line=True)
    assert code == 2
    assert (
        "error: --x V=steps (x={'V': 'steps'}): the formula 'Linf + A*exp(-k*U)' has no "
        "symbol V (its symbols: Linf, A, k, U)"
    ) in err
    assert "hint: map the symbol that reads 'steps': --x SYMBOL=steps with SYMBOL one of" in err
    with pytest.raises(FormulaError, match=r"has no symbol V \(its symbols: E, A, N, alpha\)"):
        fit("E + A*N**-alpha", _runs(tmp_path / "n.csv"), x={"V": "width"}, bootstrap=0)


def test_a_parameter_spelled_like_an_unused_column_is_noted(tmp_path: Path) -> None:
    path = _runs(tmp_path / "n1.csv")
    result = fit("E + A*N**-alpha + c*width", path, bootstrap=0)
    assert (
        f"width is a column of {path} but the law fits it as a parameter; to read the "
        "column: --x width=width (x={'width': 'width'} in Python)"
    ) in result.notes
    mapped = fit("E + A*N**-alpha + c*width", path, x={"width": "width"}, bootstrap=0)
    assert not any("is a column of" in n for n in mapped.notes)
    assert not any("is a column of" in n for n in fit("E + A*N**-alpha", path, bootstrap=0).notes)


def test_laws_points_x_to_the_commands_that_take_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "laws", "E + A*width**-alpha", one_line=True)
    assert code == 2
    assert (
        "hint: width stands where a variable does (the base of a power); to read it from a "
        "column: --x width=COLUMN on fit, backtest or report (x={'width': COLUMN} in Python)"
    ) in err


def test_a_law_of_compute_on_runs_without_it_is_not_pointed_at_model_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _runs(tmp_path / "nonly.csv", flops=False)
    code, _, err = cli(capsys, "fit", str(path), "--law", "E + A*C**-alpha", one_line=True)
    assert code == 2
    assert "law 'E + A*C**-alpha' needs column 'flops' for C" in err
    assert (
        "hint: add a flops column, or tokens (C = 6·N·D is derived from params and tokens); "
        "a column that holds compute under another name: --x C=COLUMN"
    ) in err
    assert "map it to one of" not in err


def test_laws_of_a_catalog_name_with_a_column_it_cannot_take(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "laws", "overtraining:flops", one_line=True)
    assert code == 2
    assert (
        "error: overtraining is a law of params and tokens; it takes no :COLUMN "
        "(got 'overtraining:flops')"
    ) in err
    assert "cannot parse" not in err
