"""A law decides by the columns its symbols read, not their names: ``E + A*P**-a + B*T**-b``
with ``x={"P": "params", "T": "tokens"}`` is the Chinchilla form in N and D, so on the same
runs it gives the same numbers and messages (apart from the symbols shown)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab.validate import baseline_backtest

ND = ("E + A*N**-a + B*D**-b", None, ("N", "D"))
PT = ("E + A*P**-a + B*T**-b", {"P": "params", "T": "tokens"}, ("P", "T"))


def _runs() -> pd.DataFrame:
    """Runs of a known law (Hoffmann et al.'s form, E=1.8, alpha=0.34, beta=0.28), 0.5% noise."""
    rng = np.random.default_rng(0)
    rows = []
    for n in (2e7, 5e7, 1e8, 2e8, 4e8, 8e8):
        for ratio in (5, 10, 20, 40, 80):
            d = n * ratio
            loss = (1.8 + 400 * n**-0.34 + 410 * d**-0.28) * np.exp(rng.normal(0, 0.005))
            rows.append({"run": f"r{len(rows)}", "params": n, "tokens": d, "loss": loss})
    return pd.DataFrame(rows)


def _instant_curve_fit(model, xdata, ydata, *, p0, **_):
    """SciPy's curve_fit stand-in that returns its start at once: the baselines' column plumbing
    is what is tested, and the real least squares spends ~30 s failing on a formula law here."""
    _instant_curve_fit.at_start.append(np.asarray(model(xdata, *p0), float))
    return np.asarray(p0, float), np.full((len(p0), len(p0)), np.inf)


_instant_curve_fit.at_start = []  # type: ignore[attr-defined]


def _outputs(
    spelling: tuple[str, dict[str, str] | None, tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> dict[str, object]:
    formula, x, (n, d) = spelling
    monkeypatch.setattr("scipy.optimize.curve_fit", _instant_curve_fit)
    _instant_curve_fit.at_start.clear()  # type: ignore[attr-defined]
    runs = _runs()
    result = scalinglab.fit(formula, runs, x=x, bootstrap=30, seed=0)
    named = {n: "N", d: "D"}  # the symbols shown, the one thing allowed to differ

    def plain(text: str) -> str:
        for symbol, to in named.items():
            text = text.replace(f"{symbol}=", f"{to}=")
        return text

    # one point inside the runs (its interval the noise floor), one far beyond them
    prediction = result.predict(params=[1e8, 1e11], tokens=[2e9, 1e13])
    baseline = baseline_backtest(runs, method="curve_fit", law=formula, x=x, holdout="largest:5")
    (at_start,) = _instant_curve_fit.at_start  # type: ignore[attr-defined]
    return {
        "baseline at start": np.round(at_start, 9).tolist(),
        "floor note": plain(prediction.notes[0]),
        "distance": np.round(prediction.distance, 6).tolist(),
        "baseline ARE": round(float(baseline.summary.median_are), 9),
    }


def test_both_spellings_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    expected, got = _outputs(ND, monkeypatch), _outputs(PT, monkeypatch)
    assert got == expected
    # the floor note names its point as a count by the column read: P=100M, not P=1e+08
    assert "at 1 of 2 points (N=100M, D=2B)" in got["floor note"]
    assert got["baseline ARE"] > 0  # the baseline fitted and scored the held-out runs


def test_compute_axis_by_column_not_name() -> None:
    """N reading tokens and D reading params: the compute pair is (D, N), so the ratio axis
    is tokens per parameter (5 to 80 on these runs), not its inverse as by the names."""
    from scalinglab.fit._reach import compute_pair

    assert compute_pair({"N": "tokens", "D": "params"}) == ("D", "N")
    assert compute_pair({"N": "nonemb", "D": "tokens"}) == ("N", "D")  # N, D by name
    result = scalinglab.fit("E + A*D**-a + B*N**-b", _runs(), x={"N": "tokens", "D": "params"})
    assert result.extrapolation is not None
    assert result.extrapolation.reach["N/D"] == pytest.approx(80.0)
    assert result.extrapolation.floor["N/D"] == pytest.approx(5.0)
