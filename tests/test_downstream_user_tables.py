"""A user's own evaluation table, walked as a new user writes it: long rows in percent
beside a run table with its own column names. An error about the losses or sizes names the
run table that should hold them, a misspelt ``--via`` gets the column it meant, and a task
name misspelt in one row is refused for its one score, naming the task it meant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab.cli import main


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """30 models: a long table of scores in percent (one row's task written 'hellaswg'),
    and a run table with sizes as '20M' and its loss as 'Val Loss (C4)'."""
    rng = np.random.default_rng(3)
    rows, runs = [], []
    for i, (n, m) in enumerate(
        (n, m) for n in (20, 50, 100, 200, 400, 800) for m in (5, 10, 20, 40, 80)
    ):
        loss = (1.69 + 406.4 * (n * 1e6) ** -0.34 + 410.7 * (n * 1e6 * m) ** -0.28) * np.exp(
            rng.normal(0, 0.003)
        )
        acc = 0.7 / (1 + np.exp(4 * (loss - 3.0))) + 0.25 + rng.normal(0, 0.004)
        task = "hellaswg" if i == 7 else "hellaswag"
        rows.append({"run": f"r{i:02d}", "task": task, "metric": "acc", "value": 100 * acc})
        runs.append({"Run": f"r{i:02d}", "Model Size": f"{n}M", "Train Tokens": f"{n * m}M",
                     "Val Loss (C4)": loss})  # fmt: skip
    folder = tmp_path_factory.mktemp("user")
    pd.DataFrame(rows).to_csv(folder / "evals.csv", index=False)
    pd.DataFrame(runs).to_csv(folder / "runs.csv", index=False)
    return folder / "evals.csv", folder / "runs.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, " ".join((out + err).split())


def test_a_missing_loss_is_named_in_the_run_table(
    tables: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    evals, runs = tables
    code, text = run(capsys, "downstream", "fit", str(evals), "--runs", str(runs))
    assert code == 2
    # the losses are the run table's: the file of scores holds none
    assert f"error: {runs} (joined to {evals}): no loss column" in text


def test_a_misspelt_via_gets_the_column_it_meant(
    tables: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    evals, runs = tables
    code, text = run(
        capsys, "downstream", "fit", str(evals), "--runs", str(runs), "--via", "Val Loss C4"
    )
    assert code == 2
    assert f"{runs} (joined to {evals}): no loss column 'Val Loss C4'" in text
    assert "did you mean 'Val Loss (C4)'?" in text


def test_a_mapped_size_column_missing_is_named_in_the_run_table(
    tables: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    evals, runs = tables
    code, text = run(capsys, "downstream", "fit", str(evals), "--runs", str(runs),
                     "--via", "Val Loss (C4)", "--map", "params=Size")  # fmt: skip
    assert code == 2
    assert f"error: {runs} (joined to {evals}), column 'Size': no column 'Size'" in text


def test_a_task_misspelt_in_one_row_is_refused_naming_the_task(
    tables: tuple[Path, Path],
) -> None:
    evals, runs = tables
    data = scalinglab.read_evals(evals, runs=runs, loss="Val Loss (C4)")
    chain = scalinglab.fit_downstream(data, bootstrap=0, max_backtest_error=None)
    typo = chain.tasks["hellaswg"]
    assert not typo.predictable
    # one score is not "at chance" against itself: too few to fit, and the task it meant
    assert typo.reason.startswith("only 1 model of 30 has a score, too few to fit its law")
    assert "did you mean 'hellaswag'?" in typo.reason
    assert "at chance" not in typo.reason
    assert chain.tasks["hellaswag"].predictable


def test_plan_for_accuracy_given_the_chain_as_fit_says_downstream(
    tables: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    chain = tmp_path / "ds.json"
    chain.write_text("{}")
    code, text = run(capsys, "plan", "--target-accuracy", "hellaswag=0.6", "--fit", str(chain))
    assert code == 2
    # the option the chain goes in, not only that two options go together
    assert (
        f"--target-accuracy reads a chain from --downstream, not --fit: --downstream {chain}"
        in text
    )
