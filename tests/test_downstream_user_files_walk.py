"""A researcher's own evaluation files, as a new user writes them (the downstream walk of
2026-12-06): task columns named in their own case (``MyTask``), a chance file naming them so,
a typo in ``--tasks``, a run table whose runs are named in a ``model`` column, the loss named
with ``--map loss=``, a target accuracy written ``75%``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli, refused

import scalinglab


def _evals() -> pd.DataFrame:
    """12 models on a Chinchilla law's losses; the accuracy of a four-choice task of the
    user's own (chance 0.25), on a sigmoid of the loss, in a column named ``MyTask``."""
    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(2e7, 1e9, 6), 2)
    d = n * np.tile([20.0, 80.0], 6)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    acc = 0.25 + 0.6 / (1 + np.exp(4.0 * (loss - 3.0))) + rng.normal(0, 0.005, 12)
    return pd.DataFrame(
        {"run": [f"m{i}" for i in range(12)], "params": n, "tokens": d, "loss": loss, "MyTask": acc}
    )


def test_a_chance_level_named_as_the_column_is_read_for_its_task(tmp_path: Path) -> None:
    """The task of column ``MyTask`` goes by ``mytask``: a chance file (or ``chance=``) naming
    it ``MyTask`` gives its level, with a note, never silently no level at all."""
    path = tmp_path / "chance.csv"
    path.write_text("task,chance,examples\nMyTask,0.25,400\n")
    for chance in (path, {"MyTask": 0.25}):
        evals = scalinglab.read_evals(_evals(), tasks=["MyTask"], chance=chance)
        assert evals.tasks == ("mytask",)
        assert evals.chance == {"mytask": 0.25}
        assert any("read regardless of case: 'MyTask' for mytask" in n for n in evals.notes)
    # the chance file's number of examples, by the same name, sets the evaluation noise
    assert scalinglab.read_evals(_evals(), tasks=["MyTask"], chance=path).examples == {
        "mytask": 400.0
    }
    # a level named exactly as the task is read so, without the note
    exact = scalinglab.read_evals(_evals(), tasks=["MyTask"], chance={"mytask": 0.2})
    assert exact.chance == {"mytask": 0.2}
    assert not any("regardless of case" in n for n in exact.notes)


def test_a_typo_in_a_task_named_by_its_column_is_named_with_the_column_it_meant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--tasks MyTsk`` on a table whose task columns are named by the user: the typo is
    refused as an unknown task with the column it meant, not as a table of final losses
    with no scores at all (the command that fits a loss)."""
    frame = _evals().assign(piqa_acc=0.6)
    with pytest.raises(
        scalinglab.ConfigError, match=r"unknown task 'MyTsk'.*did you mean 'MyTask'"
    ):
        scalinglab.read_evals(frame, tasks=["piqa_acc", "MyTsk"])
    path = tmp_path / "mine.csv"
    frame.to_csv(path, index=False)
    for tasks in ("MyTsk,piqa_acc", "MyTsk"):
        error, hint = refused(capsys, ["downstream", "fit", str(path), "--tasks", tasks])
        assert error == (
            f"error: unknown task 'MyTsk' in {path}: no column of that name; did you mean 'MyTask'?"
        )
        assert "'MyTask'" in hint and "looks like final losses" not in error + hint
    # a name close to no column, alone: the table is still said to hold no scores of its own
    error, _ = refused(capsys, ["downstream", "fit", str(path), "--tasks", "zzz"])
    assert "no task columns" in error
