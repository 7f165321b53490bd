"""scalinglab._quantiles against NumPy, bit for bit, on samples with ties, signed zeros,
infinities and NaN (tests/test_cli_process.py checks that a fit no longer loads numpy.ma)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from scalinglab._quantiles import median, percentile, quantile_lower

# the levels the fit uses (5.000000000000004 and 94.99999999999999 for 90%), and edges
_PERCENTS = [0.0, 50 * (1 - 0.9), 50 * (1 + 0.9), 10.0, 25.0, 50.0, 50 * (1 + 0.8), 99.9, 100.0]
_QUANTILES = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1 / 3, 1.0]


def _samples() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    out = [rng.normal(size=n) for n in range(1, 42)]
    out += [rng.integers(-3, 4, size=n).astype(float) for n in (2, 5, 8, 13, 40)]  # ties
    out += [np.array([0.0, -0.0, 0.0, -0.0, 1.0]), np.array([-0.0, 0.0])]
    out += [np.array([1.0, np.inf, 2.0]), np.array([-np.inf, 3.0, np.inf, 0.5])]
    out += [np.array([1.0, np.nan, 2.0, 0.5]), np.array([np.nan])]
    out += [np.exp(rng.normal(size=200)) * 1e-3, rng.standard_t(2, size=31)]
    return out


def _same(ours: object, numpy: object) -> bool:
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(numpy, dtype=np.float64)
    return bool(np.array_equal(a.view(np.int64), b.view(np.int64)))  # bits, NaN and -0.0 too


def test_median_is_numpys_bit_for_bit() -> None:
    for x in _samples():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = np.median(x)
        assert _same(median(x), expected), x
        assert _same(median(list(x)), expected)
    assert np.isnan(median(np.zeros(0)))


def test_percentile_is_numpys_bit_for_bit() -> None:
    for x in _samples():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # inf - inf inside NumPy's too
            expected = np.percentile(x, _PERCENTS)
            ours = percentile(x, _PERCENTS)
            assert _same(percentile(x, [5.0, 95.0]), np.percentile(x, [5.0, 95.0]))
        assert _same(ours, expected), x
    with pytest.raises(ValueError, match="empty sample"):
        percentile(np.zeros(0), [50.0])


def test_quantile_lower_is_numpys_bit_for_bit() -> None:
    for x in _samples():
        for q in _QUANTILES:
            assert _same(quantile_lower(x, q), np.quantile(x, q, method="lower")), (x, q)
    with pytest.raises(ValueError, match="empty sample"):
        quantile_lower(np.zeros(0), 0.5)


def test_the_sample_is_not_changed() -> None:
    x = np.array([3.0, 1.0, 2.0, 5.0, 4.0])
    for f in (median, lambda v: percentile(v, [10.0, 90.0]), lambda v: quantile_lower(v, 0.5)):
        f(x)
        assert list(x) == [3.0, 1.0, 2.0, 5.0, 4.0]


def test_percentile_intervals_are_numpys_per_column_and_nan_without_samples() -> None:
    from scalinglab._quantiles import percentile_intervals

    x = np.random.default_rng(3).standard_normal((57, 3))
    got = percentile_intervals(x, ["a", "b", "c"], 0.9)
    for k, name in enumerate("abc"):  # independent reference: NumPy itself
        assert got[name] == tuple(np.percentile(x[:, k], [50 * (1 - 0.9), 50 * (1 + 0.9)]))
    empty = percentile_intervals(np.zeros((0, 2)), ["a", "b"], 0.8)
    assert all(np.isnan(v).all() for v in empty.values())
