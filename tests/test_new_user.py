"""What testing as a new user found (issue 12, item 2): each fix, asserted on the message or
the output a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scalinglab import read_runs
from scalinglab.cli import main

TRUTH = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def wandb_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A W&B-style export: run_name, model_size, tokens, val_loss (exactly on the law)."""
    lines = ["run_name,model_size,tokens,val_loss"]
    for n in map(float, np.geomspace(1e7, 1e9, 8)):
        for ratio in (10, 20, 40):
            d = ratio * n
            loss = TRUTH["E"] + TRUTH["A"] * n ** -TRUTH["alpha"] + TRUTH["B"] * d ** -TRUTH["beta"]
            lines.append(f"run-{n:.3g}-{ratio},{n!r},{d!r},{loss!r}")
    path = tmp_path_factory.mktemp("wandb") / "export.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_x_may_name_a_column_the_reader_renamed(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path
) -> None:
    """`--x N=model_size` works although the reader read model_size as params."""
    code, out, _ = cli(
        capsys, "fit", str(wandb_csv), "--law", "E + A*N**-alpha", "--x", "N=model_size",
        "--y", "val_loss", "--bootstrap", "0", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["columns"]["N"] == "params"


def test_a_missing_x_column_lists_the_columns_not_the_users_own_flag(
    capsys: pytest.CaptureFixture[str], wandb_csv: Path
) -> None:
    code, _, err = cli(
        capsys, "fit", str(wandb_csv), "--law", "E + A*N**-alpha", "--x", "N=size",
        "--y", "val_loss", "--bootstrap", "0",
    )  # fmt: skip
    assert code == 2
    assert "needs column 'size' for N, and the runs have no column 'size'" in err
    assert (
        "hint: the runs' numeric columns are flops, loss (read from val_loss), params (read "
        "from model_size), tokens; pick one: --x N=COLUMN"
    ) in err


def test_run_name_is_the_run_column(wandb_csv: Path) -> None:
    table = read_runs(wandb_csv)
    assert table.runs[0] == "run-1e+07-10"
    assert any("run ids read from column 'run_name'" in n for n in table.notes)
    assert dict(table.origins) == {"params": "model_size", "loss": "val_loss"}


def test_map_name_sets_the_run_column(tmp_path: Path, wandb_csv: Path) -> None:
    """`--map name=COL` (or run=, run_id=, id=) names the run ids; it used to be ignored."""
    other = tmp_path / "who.csv"
    other.write_text(wandb_csv.read_text().replace("run_name", "who", 1))
    assert read_runs(other).runs[0] == "row2"  # no conventional run column
    for key in ("name", "run", "run_id"):
        table = read_runs(other, columns={key: "who"})
        assert table.runs[0] == "run-1e+07-10", key
        assert "name" not in table.labels and "who" not in table.labels
