"""``read_evals(tasks=...)`` takes the string forms ``fit_downstream`` and ``--tasks`` take
(one task, several comma-separated, ``"all"``): a string was iterated by its characters
("unknown task 'p'")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError
from scalinglab.downstream import read_evals


def _evals() -> pd.DataFrame:
    """Twelve models with three tasks' accuracies (task, flat, hellaswag)."""
    return models(np.random.default_rng(3), SIZES, MULTS[:3])


@pytest.mark.parametrize(
    ("tasks", "kept"),
    [
        ("flat", ("flat",)),
        ("flat, hellaswag", ("flat", "hellaswag")),
        ("all", ("task", "flat", "hellaswag")),
        (["flat"], ("flat",)),
    ],
)
def test_tasks_as_a_string_name_tasks_as_fit_downstream_reads_them(
    tasks: str | list[str], kept: tuple[str, ...]
) -> None:
    frame = _evals()
    evals = read_evals(frame, tasks=tasks)
    assert set(evals.tasks) == set(kept)
    np.testing.assert_allclose(evals.accuracy("flat"), frame["acc_flat"])


def test_an_unknown_task_in_the_string_is_named_whole() -> None:
    with pytest.raises(ConfigError) as info:
        read_evals(_evals(), tasks="flat,nosuch")
    assert str(info.value).startswith("unknown task 'nosuch' in <DataFrame>")
