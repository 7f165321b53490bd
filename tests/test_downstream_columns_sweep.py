"""Which columns a chain and a loss-to-loss fit take: not the runs' size, tokens or names as
a loss, a task by its column name, every loss-like column in a hint, the run column as a
group explained."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main


@pytest.fixture(scope="module")
def evals_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 models: Hoffmann losses (``val_loss``), a second loss, one sigmoid task."""
    rng = np.random.default_rng(1)
    rows = []
    for n in (20e6, 50e6, 100e6, 200e6, 400e6, 800e6):
        for m in (5, 10, 20, 40, 80):
            loss = (1.69 + 406.4 * n**-0.34 + 410.7 * (n * m) ** -0.28) * np.exp(
                rng.normal(0, 0.003)
            )
            acc = 0.7 / (1 + np.exp(4 * (loss - 3.0))) + 0.25 + rng.normal(0, 0.004)
            rows.append({"run": f"m{n:.0e}-{m}", "dataset": "synth", "params": n,
                         "tokens": n * m, "val_loss": loss, "loss_other": 1.1 * loss,
                         "acc_mytask": acc})  # fmt: skip
    path = tmp_path_factory.mktemp("cols") / "evals.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, " ".join((out + err).split())


@pytest.mark.parametrize(("via", "what"), [("params", "size"), ("tokens", "tokens")])
def test_a_chain_through_the_runs_size_or_tokens_is_refused(
    evals_csv: Path, capsys: pytest.CaptureFixture[str], via: str, what: str
) -> None:
    code, text = run(capsys, "downstream", "fit", str(evals_csv), "--via", via,
                     "--tasks", "mytask", "--bootstrap", "0")  # fmt: skip
    assert code == 2
    role = "params" if what == "size" else "tokens"
    assert f"error: the chain goes through '{via}', the runs' {role}, not a loss" in text


def test_an_unknown_loss_lists_every_loss_column(
    evals_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(capsys, "downstream", "fit", str(evals_csv), "--via", "nope")
    assert code == 2
    assert "no loss column 'nope'; the loss columns are val_loss, loss_other" in text


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_task_named_by_its_column_is_that_task(
    evals_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(capsys, "downstream", "fit", str(evals_csv), "--tasks", "acc_mytask",
                     "--bootstrap", "0")  # fmt: skip
    assert code == 0, text
    assert "mytask" in text and "unknown task" not in text


def test_loss2loss_grouped_by_the_run_column_says_what_it_is(
    evals_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = run(capsys, "loss2loss", "fit", str(evals_csv), "--x", "val_loss",
                     "--y", "loss_other", "--group", "run", "--bootstrap", "0")  # fmt: skip
    assert code == 2
    assert "--group 'run': that is the column naming the runs, one group per run" in text
    assert "hint: group by a text column shared by runs of one training corpus: dataset" in text
