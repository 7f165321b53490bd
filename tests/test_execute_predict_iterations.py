"""--predict-top on rungs whose fit needs more than the default iterations: ``ladder run``
has no ``--max-iter``, so the driver refits with more itself rather than print a warning
that asks for one (a real chinchilla-tiny session on CPU, 2026-12-06: its four lower rungs
pull E towards 0, and every start stopped at 300 iterations)."""

from __future__ import annotations

import pandas as pd

from scalinglab import fit
from scalinglab._defaults import MAX_ITER
from scalinglab.data import read_runs
from scalinglab.execute import predict_top
from scalinglab.store import StoredRun

# (name, non-embedding N, tokens, exact FLOPs, eval loss) of that session's rungs
_RUNGS = [
    ("w24-d2", 13944, 278528, 5.518865e10, 2.354188),
    ("w32-d2", 25248, 504320, 1.526032e11, 2.315314),
    ("w48-d2", 55536, 1110016, 6.189094e11, 1.908510),
    ("w64-d2", 100672, 2012160, 1.823500e12, 1.446779),
    ("w80-d2", 155040, 3100672, 4.06e12, 1.3392),
]
_LAW = "power-law-plus-constant:flops"


def _stored() -> list[StoredRun]:
    return [
        StoredRun(run_id=name, name=name, params=n, tokens=d, flops=c, loss=loss)
        for name, n, d, c, loss in _RUNGS
    ]


def _lower_table() -> pd.DataFrame:
    return pd.DataFrame(_RUNGS[:4], columns=["run", "params", "tokens", "flops", "loss"])


def test_the_lower_rungs_need_more_than_the_default_iterations() -> None:
    """The premise: at the default cap this fit stops short and asks for --max-iter."""
    table = read_runs(_lower_table(), run_column="run")
    result = fit(_LAW, table, bootstrap=0, compare=False)
    assert result.status == "failed"
    assert any("--max-iter" in w for w in result.warnings)


def test_the_prediction_is_the_converged_fits_and_asks_for_no_option_ladder_lacks() -> None:
    *lower, top = _stored()
    p = predict_top(lower, top)
    table = read_runs(_lower_table(), run_column="run")
    oracle = fit(_LAW, table, bootstrap=0, compare=False, max_iter=10 * MAX_ITER)
    assert oracle.status == "converged"
    assert p.law == _LAW
    assert not any("--max-iter" in w or "did not converge" in w for w in p.warnings)
    assert any(w.startswith("E = ") and "collapsed to ~0" in w for w in p.warnings)
    expected = float(oracle.predict(flops=top.flops).loss[0])
    assert abs(p.loss - expected) <= 1e-9 * expected
