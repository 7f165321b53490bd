"""A formula's default starts: an additive constant starts on the loss's scale, and a fit
whose every start fails says which starts it tried and how to give others."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab import fit, get_law


def _runs() -> pd.DataFrame:
    n = np.geomspace(1e6, 1e9, 16)
    return pd.DataFrame({"params": n, "loss": 2.0 + 50.0 * n**-0.25})


def test_an_additive_constant_starts_where_the_law_is_defined() -> None:
    """`fit --law "a - b*log(N)"`: every start of a in 0.05-1 predicted a negative loss at
    the largest runs (log N ~ 20), and the fit failed; it now finds the optimum a start
    placed by hand finds."""
    law = get_law("a - b*log(N)")
    assert law.params[0].description == "offset" and max(law.params[0].grid) == 100.0
    result = fit(law, _runs(), bootstrap=0)
    by_hand = fit(law, _runs(), bootstrap=0, starts=[[5.0, 0.15]])
    assert result.status == "converged"
    assert result.coefs["a"] == pytest.approx(by_hand.coefs["a"], rel=1e-6)
    assert result.coefs["b"] == pytest.approx(by_hand.coefs["b"], rel=1e-6)


def test_a_fit_whose_every_start_fails_says_which_starts_and_how_to_give_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "n.csv"
    _runs().to_csv(path, index=False)
    code, _, err = cli(capsys, "fit", str(path), "--law", "-A*N**-alpha", one_line=True)
    assert code == 1  # a FitError: the input was read, the fit failed
    assert "error: every one of the 24 starts failed for law '-A*N**-alpha'" in err
    assert (
        "the starts tried: scalinglab laws '-A*N**-alpha'; to start elsewhere (Python only): "
        "fit(..., starts=[[A, alpha]]), one row per start, in the fitted space (log A, alpha)"
    ) in err
