"""fit(resamples=...): resamples drawn upstream (each run's loss and weight as an upstream
bootstrap's resample gives them) refitted in the one bootstrap, checked against fits made
directly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

from scalinglab import ConfigError, FitResult, fit, read_runs
from scalinglab.fit import Resamples

_EXPONENTS = ("alpha", "beta")


@pytest.fixture(scope="module")
def runs():  # type: ignore[no-untyped-def]
    return read_runs(chinchilla_runs(outliers=0, noise=0.005))


def _resamples(runs, targets, weights, resample="curves"):  # type: ignore[no-untyped-def]
    return Resamples(tuple(runs.runs), np.asarray(targets), np.asarray(weights), resample)


def test_each_resample_fits_its_own_losses_and_weights(runs):  # type: ignore[no-untyped-def]
    """Resample b's losses are every run's times e^(c_b): its fit is the point fit with E, A
    and B times e^(c_b) and the exponents unchanged (log residuals shift by c_b, exactly).
    A resample that weighs only some runs is the fit of those runs alone."""
    loss = np.asarray(runs["loss"])
    shift = np.array([0.0, 0.02, -0.03])
    half = np.arange(len(runs)) % 2 == 0
    weights = np.ones((4, len(runs)))
    weights[3] = half  # the fourth: the even runs alone, at their measured losses
    targets = np.vstack([loss * np.exp(c) for c in [*shift, 0.0]])
    result = fit("chinchilla", runs, bootstrap=4, resamples=_resamples(runs, targets, weights))
    assert result.resample == "curves" and result.samples is not None
    assert result.samples.shape == (4, 5)
    names = list(result.coefs)
    for b, c in enumerate(shift):
        for k, name in enumerate(names):
            want = result.coefs[name] * (1 if name in _EXPONENTS else np.exp(c))
            assert result.samples[b, k] == pytest.approx(want, rel=1e-4), (b, name)
    alone = fit("chinchilla", runs.select(half), bootstrap=0)
    np.testing.assert_allclose(result.samples[3], list(alone.coefs.values()), rtol=1e-4)


def test_resamples_are_matched_to_the_runs_by_id(runs):  # type: ignore[no-untyped-def]
    loss = np.asarray(runs["loss"])
    order = np.arange(len(runs))[::-1]  # given in reverse: each column names its run
    given = Resamples(
        tuple(runs.runs[i] for i in order), loss[order][None, :] * 1.01, np.ones((1, len(runs))),
        "curves",
    )  # fmt: skip
    result = fit("chinchilla", runs, bootstrap=1, resamples=given)
    assert result.samples is not None
    assert result.samples[0, 0] == pytest.approx(1.01 * result.coefs["E"], rel=1e-4)


def test_resamples_that_do_not_fit_the_runs_are_refused(runs):  # type: ignore[no-untyped-def]
    loss = np.asarray(runs["loss"])[None, :]
    ok = _resamples(runs, loss, np.ones_like(loss))
    with pytest.raises(ConfigError, match="bootstrap=3 asks for more resamples than the 1 given"):
        fit("chinchilla", runs, bootstrap=3, resamples=ok)
    short = Resamples(tuple(runs.runs[1:]), loss[:, 1:], np.ones_like(loss[:, 1:]), "curves")
    with pytest.raises(ConfigError, match="1 of the 63 runs fitted have no resampled loss: 'r0'"):
        fit("chinchilla", runs, bootstrap=1, resamples=short)
    with pytest.raises(ConfigError, match="targets and weights of one shape"):
        _resamples(runs, loss, np.ones((2, loss.shape[1])))
    with pytest.raises(ConfigError, match="a name other than 'runs'"):
        _resamples(runs, loss, np.ones_like(loss), "runs")


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_resamples_given_set_the_count_and_a_point_fit_refuses_them(runs):  # type: ignore[no-untyped-def]
    loss = np.asarray(runs["loss"])
    targets = loss * np.exp(0.01 * np.random.default_rng(1).standard_normal((7, len(runs))))
    given = _resamples(runs, targets, np.ones_like(targets))
    result = fit("chinchilla", runs, resamples=given, extrapolation=False)
    assert result.n_bootstrap == 7 and result.resample == "curves"  # every one, by default
    assert result.samples is not None and len(result.samples) == 7
    assert (
        fit("chinchilla", runs, resamples=given, bootstrap=3, extrapolation=False).n_bootstrap == 3
    )
    with pytest.raises(ConfigError) as err:
        fit("chinchilla", runs, resamples=given, bootstrap=0)
    assert str(err.value) == (
        "bootstrap=0 asks for a point fit, and 7 resamples were given to refit "
        "(drop bootstrap= to refit all 7, or drop resamples= for a point fit)"
    )
    with pytest.raises(ConfigError, match="resamples must be Resamples, got ndarray"):
        fit("chinchilla", runs, resamples=targets)  # type: ignore[arg-type]
    plain = fit("chinchilla", runs, extrapolation=False)  # no resamples: 200 runs drawn
    assert plain.n_bootstrap == 200 and plain.resample == "runs"


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_the_kind_of_resample_is_shown_and_saved(tmp_path, runs):  # type: ignore[no-untyped-def]
    loss = np.asarray(runs["loss"])
    rng = np.random.default_rng(0)
    targets = loss * np.exp(0.01 * rng.standard_normal((30, len(runs))))
    result = fit("chinchilla", runs, bootstrap=30,
                 resamples=_resamples(runs, targets, np.ones_like(targets)))  # fmt: skip
    assert "90% interval (30 whole-curve resamples)" in str(result)
    path = tmp_path / "fit.json"
    result.save(path)
    d = json.loads(path.read_text())
    assert d["resample"] == "curves" and FitResult.load(path).resample == "curves"
    del d["resample"]  # files from before it was recorded: runs, the only kind then
    path.write_text(json.dumps(d))
    assert FitResult.load(path).resample == "runs"
    plain = fit("chinchilla", runs, bootstrap=30)
    assert plain.resample == "runs" and "90% interval (30 resamples)" in str(plain)
