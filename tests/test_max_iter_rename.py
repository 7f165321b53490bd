"""The solver's iteration cap is ``max_iter`` (``--max-iter``): ``max_steps`` named it and
``steps`` means training steps everywhere else (``--steps``, a curve's steps). The old names
are read for one release and warn: ``max_steps=`` on :func:`scalinglab.fit` and
:func:`scalinglab.fit_curves`, ``--max-steps`` on ``fit`` and ``curves fit`` (hidden),
``CurveFit.max_steps``, ``Status.MAX_STEPS`` and a saved curve fit's ``"max_steps"`` key.
The count of iterations each start took, ``SolveResult.steps``, is ``SolveResult.n_iter``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs
from tests.test_curve_fit_settings import _fit, curves_csv  # noqa: F401 (a fixture)

import scalinglab as sl
from scalinglab import CurveFit
from scalinglab._errors import ConfigError
from scalinglab.fit import Status, minimize

MESSAGE = "the maximum number of iterations was reached; increase max_iter (--max-iter)"


def test_fit_max_steps_is_read_as_max_iter_with_a_warning() -> None:
    runs = chinchilla_runs(outliers=0)
    new = sl.fit("chinchilla", runs, bootstrap=0, max_iter=2, compare=False)
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit\(max_steps=\) is deprecated"):
        old = sl.fit("chinchilla", runs, bootstrap=0, max_steps=2, compare=False)
    assert new.status == old.status == "failed" and new.message == old.message == MESSAGE
    np.testing.assert_array_equal(list(old.coefs.values()), list(new.coefs.values()))
    with pytest.raises(ConfigError, match="got both max_iter=5 and max_steps=2"):
        sl.fit("chinchilla", runs, bootstrap=0, max_iter=5, max_steps=2, compare=False)


def test_fit_curves_max_steps_and_curve_fit_max_steps_warn(curves_csv: Path) -> None:  # noqa: F811
    with pytest.warns(DeprecationWarning, match=r"fit_curves\(max_steps=\) is deprecated"):
        fit = sl.fit_curves(curves_csv, law="tissue", bootstrap=0, max_steps=2)
    assert fit.max_iter == 2 and fit.status == "failed" and fit.message == MESSAGE
    with pytest.warns(DeprecationWarning, match=r"CurveFit\.max_steps is deprecated"):
        assert fit.max_steps == 2


def test_status_max_steps_is_max_iter_with_a_warning() -> None:
    assert int(Status.MAX_ITER) == 2 and Status.MAX_ITER.message == MESSAGE
    with pytest.warns(DeprecationWarning, match=r"Status\.MAX_STEPS is deprecated"):
        assert Status.MAX_STEPS is Status.MAX_ITER
    with pytest.raises(AttributeError):
        _ = Status.NO_SUCH


def test_a_saved_curve_fit_with_the_old_key_loads(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    curves_csv: Path,  # noqa: F811
) -> None:
    saved = tmp_path / "curve.json"
    data = _fit(capsys, curves_csv, saved, "--max-iter", "80")
    assert data["max_iter"] == 80 and "max_steps" not in data  # the new key alone
    data["max_steps"] = data.pop("max_iter")  # as an older release wrote it
    saved.write_text(json.dumps(data))
    assert CurveFit.load(saved).max_iter == 80


def test_fit_max_steps_flag_is_a_hidden_deprecated_spelling(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ("fit", "--bootstrap", "0", "--no-compare")
    code, out, err = cli(capsys, *base, "--max-steps", "2")
    assert code == 1 and f"FAILED: {MESSAGE}" in out
    assert (
        "warning: --max-steps 2 is deprecated and goes in the next release: use --max-iter 2" in err
    )
    assert "hint: rerun with --max-iter 20 (each start stopped at 2)" in err
    code, _, err = cli(capsys, *base, "--max-iter", "5", "--max-steps", "2", one_line=True)
    assert code != 0 and "--max-iter 5 and --max-steps 2 both given" in err
    code, _, _ = cli(capsys, *base, "--max-iter", "2", "--max-steps", "2")
    assert code == 1  # the same value twice: read, warned once
    code, out, _ = cli(capsys, "fit", "--help")
    assert code == 0 and "--max-iter" in out and "--max-steps" not in out
    # a slip of the old spelling is answered with the documented one, never the hidden one
    code, _, err = cli(capsys, "fit", "--max-step", "3")
    assert code == 2 and "--max-iter" in err and "--max-steps" not in err


def test_curves_fit_max_steps_flag_reaches_the_fit(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    curves_csv: Path,  # noqa: F811
) -> None:
    saved = tmp_path / "old.json"
    args = ("--law", "tissue", "--bootstrap", "0", "--out", str(saved), "--max-steps", "80")
    code, _, err = cli(capsys, "curves", "fit", str(curves_csv), *args)
    assert code == 0, err
    assert "warning: --max-steps 80 is deprecated" in err
    assert json.loads(saved.read_text())["max_iter"] == 80
    code, out, _ = cli(capsys, "curves", "fit", "--help")
    assert code == 0 and "--max-iter" in out and "--max-steps" not in out


def test_minimize_and_hparams_fit_law_read_max_steps_with_a_warning() -> None:
    from tests.test_fit_merge import _problem

    from scalinglab.hparams import fit_law

    objective, grid, lower, upper = _problem(chinchilla_runs(outliers=0))
    new = minimize(objective, grid[:20], lower=lower, upper=upper, max_iter=3)
    with pytest.warns(DeprecationWarning, match=r"fit\.minimize\(max_steps=\) is deprecated"):
        old = minimize(objective, grid[:20], lower=lower, upper=upper, max_steps=3)
    np.testing.assert_array_equal(old.theta, new.theta)
    assert int(new.n_iter.max()) == 3 and (new.status == Status.MAX_ITER).any()
    N = np.array([1e7, 3e7, 1e8, 3e8, 1e9])
    cols = {"params": N, "tokens": 20 * N, "flops": 120 * N**2}
    lr = 0.01 * (N / 1e7) ** -0.3
    with pytest.warns(DeprecationWarning, match=r"hparams\.fit_law\(max_steps=\) is deprecated"):
        law = fit_law("A * N**alpha", "lr", cols, lr, None, max_steps=50)
    # an exact power law, lr = 0.01 (N/1e7)^-0.3: the reference is its own exponent
    np.testing.assert_allclose(law.coefs["alpha"], -0.3, rtol=1e-6)


def test_solve_result_counts_iterations_as_n_iter_and_steps_warns() -> None:
    from tests.test_fit_merge import _problem

    objective, grid, lower, upper = _problem(chinchilla_runs(outliers=0))
    capped = minimize(objective, grid[:20], lower=lower, upper=upper, max_iter=3)
    stopped = capped.status == Status.MAX_ITER
    # a start stopped by the cap took exactly max_iter iterations; none took more
    assert stopped.any() and np.all(capped.n_iter[stopped] == 3) and capped.n_iter.max() == 3
    free = minimize(objective, grid[:20], lower=lower, upper=upper, max_iter=300)
    # without the cap the same starts go on: a start is where it would be after n_iter of them
    again = minimize(objective, grid[:1], lower=lower, upper=upper, max_iter=int(free.n_iter[0]))
    np.testing.assert_array_equal(again.theta[0], free.theta[0])
    assert free.n_iter.dtype == np.int64 and np.all(free.n_iter[stopped] > 3)
    with pytest.warns(DeprecationWarning, match=r"SolveResult\.steps is deprecated.*n_iter"):
        old = capped.steps
    np.testing.assert_array_equal(old, capped.n_iter)
