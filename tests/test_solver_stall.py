"""A solver stall, fixed: a problem whose steps are all rejected ends early.

A problem at its minimum to rounding, whose objective no trial step can lower but whose
gradient is rounding noise over a small curvature (a refit started exactly at its optimum,
seen in the hyperparameter-law refits), used to take all ``max_iter``: every step is
rejected, ``mu`` grows by 8 per rejection, a negligible step counts as converged only while
``mu <= 1``, and a rejected step counted as stalled only when it was *not* negligible. Now
any rejected step with ``mu > 1e12`` ends the problem as stalled, in both solvers. The stub
objective below is that problem in one parameter: flat in value, with a gradient of 1e-3 and
curvature 1.
"""

from __future__ import annotations

import numpy as np

from scalinglab.fit._solver import Status, minimize


class _FlatAtRounding:
    """An objective whose value cannot be lowered, with a small residual gradient."""

    kernel = None
    log_space = True

    def derivatives(self, theta: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, ...]:
        b, k = theta.shape
        eye = np.broadcast_to(np.eye(k), (b, k, k)).copy()
        return np.full(b, 1.0), np.full((b, k), 1e-3), eye, eye.copy()

    def value(self, theta: np.ndarray, groups: np.ndarray) -> np.ndarray:
        return np.full(len(theta), 1.0)


def test_a_problem_whose_steps_are_all_rejected_ends_early() -> None:
    result = minimize(
        _FlatAtRounding(),  # type: ignore[arg-type]
        np.zeros((1, 1)),
        lower=np.array([-np.inf]),
        upper=np.array([np.inf]),
        max_iter=300,
    )
    assert result.n_iter[0] < 50, (result.n_iter[0], Status(result.status[0]).name)
    assert result.status[0] in (Status.CONVERGED, Status.STALLED)
