"""``loss2loss fit`` of a column that is no loss: a task's accuracy (``acc_<task>``) was
fitted, with warnings that the law does not follow the runs and its coefficients sit at
their bounds; the runs' size was fitted with a perplexity warning. Each is refused, naming
what the column is, and an accuracy is pointed to the downstream chain, which fits it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import ConfigError, fit_loss_to_loss


@pytest.fixture
def evals(tmp_path: Path) -> Path:
    frame = models(np.random.default_rng(0), SIZES, MULTS[:2])
    frame["loss_other"] = 1.2 * (frame["loss"] - 1.5) ** 1.1 + 0.9
    frame["acc_norm_piqa"] = frame["acc_task"]
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("x", "y", "message", "hint"),
    [
        ("loss", "acc_task", "--y 'acc_task' is a task's accuracy, not a loss",
         "downstream fit RUNS --task task --via loss (fit_downstream in Python)"),
        ("acc_norm_piqa", "loss", "--x 'acc_norm_piqa' is a task's accuracy, not a loss",
         "downstream fit RUNS --task piqa --via loss"),
        ("params", "loss", "--x 'params' is the runs' params, not a loss",
         "choose loss columns for both"),
        ("loss", "run", "--y 'run' is the runs' names, not a loss", "choose loss columns"),
    ],
)  # fmt: skip
def test_a_column_that_is_no_loss_is_refused_as_what_it_is(
    capsys: pytest.CaptureFixture[str], evals: Path, x: str, y: str, message: str, hint: str
) -> None:
    code, out, err = run(capsys, "loss2loss", "fit", str(evals), "--x", x, "--y", y)
    said = " ".join(err.split())
    assert code == 2 and out == ""
    assert said.startswith(f"error: {message}: loss-to-loss predicts one loss from another")
    assert hint in said


def test_python_refuses_them_in_its_own_words(evals: Path) -> None:
    with pytest.raises(ConfigError) as err:
        fit_loss_to_loss(evals, x="loss", y="acc_task", bootstrap=0)
    assert err.value.message.startswith("y='acc_task' is a task's accuracy, not a loss")
    with pytest.raises(ConfigError, match="x and y are both 'loss': a loss predicts another"):
        fit_loss_to_loss(evals, x="loss", y="loss", bootstrap=0)
    # two losses still fit
    assert fit_loss_to_loss(evals, x="loss", y="loss_other", bootstrap=0).fits["all"].status == (
        "converged"
    )
