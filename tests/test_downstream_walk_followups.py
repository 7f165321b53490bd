"""Follow-ups of the downstream new-user walk: a unit closing a task column's name
(``HellaSwag (%)``), a chance level for no task (a typo in a chance file), a plan for an
``average`` the chain has none of, ``--holdout``'s forms in every help, a Python hint in
Python's words, and no accuracy past 100% where no chance level ties the sigmoid's floor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._cli import refused

import scalinglab
from scalinglab import ConfigError
from scalinglab.downstream import DownstreamFit


def _frame(task: str = "MyTask", *, rise: float = 0.6, base: float = 0.25) -> pd.DataFrame:
    """12 models on a Chinchilla law's losses (2.5 to 4.7) and one task's accuracy, a
    sigmoid of the loss from ``base`` rising by ``rise``, in a column named ``task``."""
    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(2e7, 1e9, 6), 2)
    d = n * np.tile([20.0, 80.0], 6)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    acc = base + rise / (1 + np.exp(3.0 * (loss - 2.4))) + rng.normal(0, 0.005, 12)
    return pd.DataFrame(
        {"run": [f"m{i}" for i in range(12)], "params": n, "tokens": d, "loss": loss, task: acc}
    )


def test_a_unit_closing_a_column_name_is_set_aside_for_the_built_in_chance_level() -> None:
    """``HellaSwag (%)`` is hellaswag's (chance 0.25), ``piqa_acc`` piqa's (0.5): the task
    keeps the column's name, the note names the column as the user wrote it, and the
    column's ``(%)`` is said to be why it was read as percent."""
    frame = _frame("HellaSwag (%)")
    frame["HellaSwag (%)"] *= 100
    frame["piqa_acc"] = 0.5 + frame["HellaSwag (%)"] / 400
    evals = scalinglab.read_evals(frame, tasks=["HellaSwag (%)", "piqa_acc"])
    assert evals.tasks == ("hellaswag (%)", "piqa_acc")
    assert evals.chance == {"hellaswag (%)": 0.25, "piqa_acc": 0.5}
    said = " ".join(evals.notes)
    assert "'HellaSwag (%)' as task hellaswag (0.25), 'piqa_acc' as task piqa (0.5)" in said
    assert "column 'HellaSwag (%)' read as percent, as its name says" in said


def test_a_column_named_in_percent_is_read_so_below_one_percent_too() -> None:
    """``GSM8K (%)`` of 0% to 3% (a task a small model barely scores): its name says
    percent, so values in (0, 1] are percentages, not fractions among percentages."""
    frame = _frame()
    frame["GSM8K (%)"] = np.tile([0.0, 0.4, 0.8, 1.5, 2.3, 3.0], 2)
    evals = scalinglab.read_evals(frame, tasks=["GSM8K (%)"])
    assert np.allclose(evals.accuracy("gsm8k (%)"), frame["GSM8K (%)"] / 100)
    assert evals.chance == {"gsm8k (%)": 0.0}


def test_a_chance_level_for_no_task_is_named_with_the_task_it_meant(tmp_path: Path) -> None:
    """A typo in a chance file (``hellswag``) or in ``chance=`` gives no task its level: a
    note names it and the task it likely meant; a file's levels of other tasks (a suite's
    file) are not listed."""
    frame = _frame("hellaswag")
    path = tmp_path / "chance.csv"
    path.write_text("task,chance\nhellswag,0.3\nMyTask,0.25\nwinogrande,0.5\n")
    frame["MyTask"] = frame["hellaswag"]
    for chance in (path, {"hellswag": 0.3, "MyTask": 0.25}):
        evals = scalinglab.read_evals(frame, tasks=["hellaswag", "MyTask"], chance=chance)
        assert evals.chance == {"hellaswag": 0.25, "mytask": 0.25}
        note = next(n for n in evals.notes if "for no task evaluated" in n)
        assert "'hellswag' (did you mean 'hellaswag'?)" in note
        assert "winogrande" not in note


@pytest.fixture(scope="module")
def one_task(tmp_path_factory: pytest.TempPathFactory) -> tuple[DownstreamFit, Path]:
    """A chain of one task, without a bootstrap, and its saved file."""
    evals = scalinglab.read_evals(_frame(), tasks=["MyTask"], chance={"MyTask": 0.25})
    chain = scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=0)
    path = tmp_path_factory.mktemp("chain") / "ds.json"
    chain.save(path)
    return chain, path


def test_a_plan_for_the_average_of_a_one_task_chain_says_why_it_has_none(
    capsys: pytest.CaptureFixture[str], one_task: tuple[DownstreamFit, Path]
) -> None:
    """``average`` is no typo of a task: the chain has none, for an average needs two or more
    (predictable) tasks; the hint says how a chain gets one (``--average-of``)."""
    chain, path = one_task
    with pytest.raises(ConfigError, match="the chain has no average") as err:
        scalinglab.plan_for_accuracy(chain, "average", 0.7)
    assert "two or more tasks" in err.value.message and "1 task (mytask)" in err.value.message
    assert "--average-of" in err.value.hint
    args = ["plan", "--target-accuracy", "average=0.7", "--downstream", str(path)]
    error, hint = refused(capsys, args)
    assert error.startswith("error: the chain has no average") and "--average-of" in hint


def test_a_target_in_percent_is_hinted_in_the_words_of_its_caller(
    capsys: pytest.CaptureFixture[str], one_task: tuple[DownstreamFit, Path]
) -> None:
    """Python's hint names ``target=``; the command line's ``--target-accuracy``."""
    chain, path = one_task
    with pytest.raises(ConfigError) as err:
        scalinglab.plan_for_accuracy(chain, "mytask", 75)
    assert err.value.hint == "did you mean 0.75? (target=0.75)"
    args = ["downstream", "plan", "--fit", str(path), "--target-accuracy", "mytask=75"]
    assert refused(capsys, args)[1] == "hint: did you mean 0.75? (--target-accuracy mytask=0.75)"


def _holdout_help(*words: str) -> str:
    from typer.main import get_command

    from scalinglab.cli._app import app

    command: Any = get_command(app)
    for word in words:
        command = command.commands[word]
    return str(next(p for p in command.params if p.name == "holdout").help)


def test_the_downstream_holdout_help_lists_every_form_in_one_text() -> None:
    """``downstream backtest --holdout largest:1`` works: its help says so, in the text
    ``downstream report --holdout`` shows."""
    said = _holdout_help("downstream", "backtest")
    assert said == _holdout_help("downstream", "report")
    for form in ("largest:K", "top-decile", "top:10%", "top-scales:K", "near-best:F", "&"):
        assert form in said


@pytest.mark.heavy
def test_accuracy_past_100_percent_is_not_predicted_without_a_chance_level() -> None:
    """A task of no known chance level whose accuracy rises as if towards 130%: its fitted
    ceiling a + b is held at 100%, so no resample's interval is capped for lying past it and
    a far model gets a number, not a refusal (a chain saved before the ceiling was held still
    says why it passes 100%: ``tests/test_sigmoid_ceiling.py``)."""
    evals = scalinglab.read_evals(_frame(rise=1.0, base=0.3), tasks=["MyTask"])
    chain = scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=50)
    step = chain.tasks["mytask"].step
    assert step is not None
    assert step.coefs["a"] + step.coefs["b"] <= 1
    good = step.samples[np.all(np.isfinite(step.samples), axis=1)]
    assert len(good) and np.all(good[:, 0] + good[:, 3] <= 1)
    for params, tokens in ((3e10, 6e11), (1e11, 2e12)):
        past = chain.predict(params=params, tokens=tokens)["mytask"]
        assert not past.reason and 0 < past.accuracy <= 1
        assert not any("above 100%" in n for n in past.notes)
