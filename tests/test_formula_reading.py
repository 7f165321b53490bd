"""How a fit reads a user's formula: which symbols are columns, and what it says about it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _cli import cli
from scalinglab import fit


def _runs() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = np.geomspace(2e7, 2e9, 40)
    loss = (2.0 + 50.0 * n**-0.25) * np.exp(rng.normal(0.0, 0.003, n.size))
    return pd.DataFrame({"params": n, "tokens": 20 * n, "loss": loss})


def test_a_formula_fit_names_the_column_each_variable_read() -> None:
    result = fit("E + A*N**-alpha", _runs(), bootstrap=0)
    assert "variables: N reads column 'params' (another column: --x SYMBOL=COLUMN)" in (
        result.notes
    )
    assert not any(w.startswith("N in ") for w in result.warnings)
    assert not any(n.startswith("variables:") for n in fit("power-law", _runs(), bootstrap=0).notes)


def test_a_variable_alone_as_a_term_is_said_to_be_a_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "pN.csv"
    _runs().to_csv(path, index=False)
    code, out, _ = cli(
        capsys, "fit", str(path), "--law", "C + A*N**-alpha", "--bootstrap", "0", "--no-compare"
    )
    assert code == 0
    assert (
        "warning: C in 'C + A*N**-alpha' is read as the flops column, not fitted: a variable "
        "alone as a term adds the runs' flops to the loss; if C meant a constant, name it "
        "otherwise, e.g. E"
    ) in " ".join(out.split())
    assert "note: variables: C reads column 'flops', N reads column 'params'" in out
