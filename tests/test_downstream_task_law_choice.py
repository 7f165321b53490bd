"""A chain's task law is a law of accuracy (sigmoid, exp-error): loss-to-loss, a law of a
loss against another loss, is refused with the command that fits it, and an unknown name
is offered the same laws as ``--task-law``'s help."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError, DataError
from scalinglab.cli import main
from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._chain_checks import check_chain


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("law") / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    return path


def test_loss_to_loss_is_no_task_law() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS))
    with pytest.raises(ConfigError) as caught:
        fit_downstream(evals, tasks=["task"], task_law="loss-to-loss", bootstrap=0)
    assert caught.value.message == (
        "task law 'loss-to-loss' maps a loss to another loss, not to a task's accuracy"
    )
    assert "`scalinglab loss2loss fit`" in caught.value.hint


@pytest.mark.parametrize(
    ("law", "first"),
    [
        ("loss-to-loss", "error: task law 'loss-to-loss' maps a loss to another loss"),
        ("exp", "error: unknown task law 'exp'"),
    ],
)
def test_cli_offers_the_laws_its_help_names(
    capsys: pytest.CaptureFixture[str], evals_csv: Path, law: str, first: str
) -> None:
    code = main(
        ["downstream", "fit", str(evals_csv), "--tasks", "task", "--task-law", law,
         "--bootstrap", "0"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[0].startswith(first)
    assert "hint: choose one of sigmoid, exp-error (--task-law)" in err
    assert "Traceback" not in err
    main(["downstream", "fit", "--help"])
    shown = " ".join(capsys.readouterr().out.split()).replace("- ", "-")  # wrapped at a hyphen
    assert "--task-law TEXT Law of accuracy against loss: sigmoid or exp-error." in shown


@pytest.mark.parametrize(
    ("models_kept", "law", "task_law", "hint"),
    [
        # the smallest laws: only more models help
        (3, "power-law", "exp-error", "add models"),
        # no smaller pair of laws is small enough for 3 models either
        (3, "chinchilla", "sigmoid", "add models"),
        (8, "chinchilla", "sigmoid",
         "add models, or use laws with fewer parameters: --law overtraining (4 parameters), "
         "--law power-law-plus-constant (3 parameters), --law power-law (2 parameters), "
         "--task-law exp-error (3 parameters) (law='overtraining', "
         "law='power-law-plus-constant', law='power-law', task_law='exp-error' in Python)"),
    ],
)  # fmt: skip
def test_too_few_models_names_only_smaller_laws_that_would_do(
    models_kept: int, law: str, task_law: str, hint: str
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS).head(models_kept)
    with pytest.raises(DataError) as caught:
        fit_downstream(read_evals(frame), law=law, task_law=task_law, bootstrap=0)
    assert f"{models_kept} models are too few for the chain" in caught.value.message
    assert caught.value.hint == hint


def test_a_known_chance_level_counts_the_sigmoid_as_the_chain_fits_it() -> None:
    # chance known for the task named: the sigmoid's floor is tied to it, 3 parameters
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    evals = read_evals(frame.head(8), chance={"task": 0.25})
    with pytest.raises(DataError) as caught:
        fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0)
    assert caught.value.message == (
        "<DataFrame>: 8 models are too few for the chain: law 'chinchilla' (5 parameters) and 'sigmoid' "
        "(up to 3, its floor the tasks' chance level) need at least 9 models"
    )
    # exp-error has as many parameters as the tied sigmoid: not offered as fewer
    assert caught.value.hint == (
        "add models, or use laws with fewer parameters: --law overtraining (4 parameters), "
        "--law power-law-plus-constant (3 parameters), --law power-law (2 parameters) "
        "(law='overtraining', law='power-law-plus-constant', law='power-law' in Python)"
    )
    # 9 models carry it; a task of unknown chance among those named needs the fitted floor
    assert len(check_chain(read_evals(frame.head(9), chance={"task": 0.25}),
                           law="chinchilla", tasks=["task"]).params) == 3  # fmt: skip
    with pytest.raises(DataError, match="'sigmoid' \\(up to 4\\) need at least 10 models"):
        check_chain(read_evals(frame.head(9), chance={"task": 0.25}), law="chinchilla")
