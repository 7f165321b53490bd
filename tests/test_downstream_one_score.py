"""A task (an lm-eval subtask, say) whose every model has one score, with no chance level
known, is refused as that: ``every model scores 0.250: nothing to fit``, where it said
``at chance in every fitted run: best 0.250 vs the worst run`` (one number read as two, and
a chance level that was never known). Scores that differ by less than the margin, with no
chance level, are said as their spread; a known chance level is said as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalinglab.downstream import DownstreamFit, fit_downstream, read_evals
from scalinglab.downstream._task import score_point
from scalinglab.downstream._task_verdict import unfitted_why


def _frame() -> pd.DataFrame:
    """20 models on Chinchilla's loss, a task that follows it, and two scored alike."""
    rng = np.random.default_rng(0)
    n = np.repeat([1e7, 3e7, 1e8, 3e8], 5)
    d = n * np.tile([5.0, 10.0, 20.0, 40.0, 80.0], 4)
    loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
    frame = pd.DataFrame(
        {
            "run": [f"m{i}" for i in range(n.size)], "params": n, "tokens": d, "loss": loss,
            "acc_task": 0.6 / (1 + np.exp(3.0 * (loss - 2.9))) + 0.25,
            "acc_subtask_one": np.full(n.size, 0.25),  # one score: a subtask not scored
            "acc_subtask_near": 0.25 + rng.uniform(0.0, 0.004, n.size),
        }
    )  # fmt: skip
    return frame


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    return fit_downstream(read_evals(_frame()), law="chinchilla", bootstrap=0, seed=0)


def test_one_score_in_every_model_is_nothing_to_fit(chain: DownstreamFit) -> None:
    one = chain.tasks["subtask_one"]
    assert one.reason == "every model scores 0.250: nothing to fit" and one.step is None
    assert np.isnan(one.chance)  # no chance level is known for it
    near = chain.tasks["subtask_near"]
    acc = _frame()["acc_subtask_near"]
    assert near.reason == (
        f"flat in every fitted run: best {acc.max():.3f} vs worst {acc.min():.3f}, within "
        "0.02 (no chance level is known to compare them with)"
    )
    assert "the worst run" not in one.reason + near.reason


def test_a_known_chance_level_is_said_as_chance() -> None:
    seen = np.array([0.251, 0.255, 0.25])
    assert unfitted_why(seen, 0.25, 0.02) == (
        "at chance in every fitted run: best 0.255 vs chance 0.250"
    )
    # one score at a known chance level: at chance, as it is
    assert unfitted_why(np.full(3, 0.25), 0.25, 0.02).startswith("at chance in every")
    fitted, point = score_point("t", np.full(4, 0.3), np.nan, np.linspace(3, 2, 4), "sigmoid", 0.02)
    assert fitted.reason == "every model scores 0.300: nothing to fit" and point is None
