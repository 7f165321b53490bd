"""``Prediction``'s docstring names every kind of interval ``predict`` gives (it said "a
percentile interval from the bootstrap", while the default is backtest-calibrated)."""

from __future__ import annotations

import pytest

import scalinglab
from scalinglab import Prediction


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_docstring_names_each_kind_predict_gives() -> None:
    runs = scalinglab.simulated_runs()
    fitted = scalinglab.fit("chinchilla", runs, bootstrap=50)
    point = scalinglab.fit("chinchilla", runs, bootstrap=0)
    at = {"params": 7e9, "tokens": 1.4e11}
    kinds = {
        fitted.predict(**at).interval_kind,
        fitted.predict(extrapolation=False, **at).interval_kind,
        fitted.predict(noise=False, **at).interval_kind,
        point.predict(**at).interval_kind,
    }
    assert kinds == {"backtest-calibrated", "bootstrap", "parameters", "none"}
    doc = Prediction.__doc__ or ""
    summary = doc.split("Attributes:")[0]
    assert "percentile interval from the bootstrap" not in doc
    assert all(f'``"{kind}"``' in summary for kind in kinds)
