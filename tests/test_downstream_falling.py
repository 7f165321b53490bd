"""A task whose accuracy falls as loss falls: said so, not called flat under its noise."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab.downstream._task import CHANCE_MARGIN, fit_scores

LOSS = np.linspace(4.0, 2.5, 20)


@pytest.mark.parametrize("task_law", ["sigmoid", "exp-error"])
def test_accuracy_falling_with_loss_is_named(task_law: str) -> None:
    # 1.00 at the highest loss to 0.65 at the lowest, as an error rate read as accuracy
    acc = 0.65 + 0.35 * (LOSS - LOSS.min()) / np.ptp(LOSS)
    acc = acc + np.random.default_rng(0).normal(0, 0.005, len(acc))
    acc[0], acc[-1] = 1.0, 0.65
    fitted = fit_scores("winogrande", acc, 0.5, LOSS, task_law, None, CHANCE_MARGIN)
    assert not fitted.predictable
    assert fitted.reason == (
        "accuracy falls as loss falls (1.000 at the highest fitted loss, 0.650 at the "
        f"lowest), which the {task_law} law, rising as loss falls, cannot fit: check that "
        "the column is an accuracy (higher is better), not an error rate"
    )


def test_noise_without_a_fall_stays_flat() -> None:
    acc = 0.6 + np.random.default_rng(1).normal(0, 0.05, len(LOSS))
    fitted = fit_scores("flat", acc, 0.25, LOSS, "sigmoid", None, CHANCE_MARGIN)
    assert fitted.reason.startswith("flat: the fit moves")


def test_a_rising_task_is_predictable() -> None:
    acc = 0.25 + 0.6 / (1 + np.exp(3.0 * (LOSS - 3.2)))
    fitted = fit_scores("rising", acc, 0.25, LOSS, "sigmoid", None, CHANCE_MARGIN)
    assert fitted.predictable and fitted.reason == ""
