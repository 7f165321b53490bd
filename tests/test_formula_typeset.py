"""Typeset operators in a formula (``A·N``, ``A×N``, ``−alpha``, as papers and these docs
write them) are read as ``*`` and ``-``, and the fit and ``laws`` say so."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import FormulaLaw, fit, parse_formula


def test_typeset_operators_parse_as_python_ones() -> None:
    assert parse_formula("E + A·N**−alpha") == parse_formula("E + A*N**-alpha")
    assert parse_formula("E + A×N^−alpha") == parse_formula("E + A*N**-alpha")
    law = FormulaLaw("E + A·N**−alpha")
    assert law.param_names == ("E", "A", "alpha") and dict(law.variables) == {"N": "params"}
    assert law.notes == (
        "formula 'E + A·N**−alpha': read '·' (U+00B7) as '*', '−' (U+2212) as '-'",
    )
    assert FormulaLaw("E + A*N**-alpha").notes == ()


def test_a_fit_of_a_typeset_formula_notes_how_it_was_read() -> None:
    n = np.geomspace(1e6, 1e9, 16)
    runs = pd.DataFrame({"params": n, "loss": 2.0 + 50.0 * n**-0.25})
    result = fit("E + A·N**-alpha", runs, bootstrap=0)
    assert result.coefs["alpha"] == pytest.approx(0.25, rel=1e-6)
    assert "formula 'E + A·N**-alpha': read '·' (U+00B7) as '*'" in result.notes


def test_laws_of_a_typeset_formula_says_how_it_was_read(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "laws", "E + A·N**-alpha")
    assert code == 0
    assert "note: formula 'E + A·N**-alpha': read '·' (U+00B7) as '*'" in out
    code, out, _ = cli(capsys, "laws", "E + A×N**-alpha", "--json")
    assert code == 0
    assert json.loads(out)["notes"] == ["formula 'E + A×N**-alpha': read '×' (U+00D7) as '*'"]
