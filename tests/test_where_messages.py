"""``--where`` names a column that is no text column: one spelt alike to one is suggested
("did you mean 'State'?"), one of numbers is said to be so with what filters numbers, and the
text columns listed name ``run`` as what it is (the runs' names, read from the run column,
or the rows' where no column names them), not as a column of the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

from scalinglab import ConfigError, read_runs

_SIZES = [(n, d) for n in (2e7, 5e7, 1.25e8, 3.5e8) for d in (20 * n, 40 * n, 80 * n)]


def _wandb(path: Path) -> Path:
    """A W&B run table export: ``Name`` and ``State`` capitalised, a learning rate column."""
    lines = ["Name,State,User,model/params,train/tokens_seen,eval/loss,lr"] + [
        f"gpt-{k},finished,me,{n:g},{d:g},{1.69 + 406.4 / n**0.34 + 410.7 / d**0.28:.6f},0.0003"
        for k, (n, d) in enumerate(_SIZES)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_column_spelt_in_another_case_is_suggested(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _wandb(tmp_path / "wandb.csv")
    code, out, err = cli(capsys, "fit", str(path), "--where", "state=finished")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: no text column 'state' in {path}",
        "hint: did you mean 'State'? its text columns are Name, State, User, run (from Name)",
    ]
    # what the hint offers is taken: State by its name, run and Name alike
    assert cli(capsys, "fit", str(path), "--where", "State=finished", "--bootstrap", "0")[0] == 0
    assert read_runs(path).where("run", "gpt-3").runs == ("gpt-3",)
    assert read_runs(path).where("Name", "gpt-3").runs == ("gpt-3",)


def test_a_number_column_is_said_to_be_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _wandb(tmp_path / "wandb.csv")
    code, _, err = cli(capsys, "fit", str(path), "--where", "lr=0.0003")
    assert code == 2
    assert err.splitlines() == [
        f"error: 'lr' is a number column of {path}: --where (where() in Python) matches the "
        "values of text columns",
        "hint: to keep runs by a number, compare it: --where 'lr==0.0003' (or >= > <= < !=; "
        "where('lr==0.0003') in Python); its text columns are Name, State, User, run "
        "(from Name)",
    ]
    # a quantity by the file's own name, too; the Python selection the hint writes works
    with pytest.raises(ConfigError, match=r"^'model/params' is a number column of "):
        read_runs(path).where("model/params", "2e7")
    runs = read_runs(path)
    assert len(runs.select(runs["lr"] == 0.0003)) == len(_SIZES)
    assert runs.where("lr==0.0003").runs == runs.select(runs["lr"] == 0.0003).runs


def test_a_sweep_says_so_of_its_learning_rate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A sweep without a run column: its runs are its rows' (``row2``, ...)."""
    path = tmp_path / "sweep.csv"
    path.write_text(
        "N,D,lr,loss\n"
        + "".join(f"1e8,4e9,{lr},{3.9 + (lr - 0.003) ** 2}\n" for lr in (1e-3, 2e-3, 4e-3, 8e-3))
    )
    code, _, err = cli(capsys, "hparams", "fit", str(path), "--where", "lr=0.002")
    assert code == 2
    assert err.splitlines()[0] == (
        f"error: 'lr' is a number column of {path}: --where (where() in Python) matches the "
        "values of text columns"
    )
    assert err.splitlines()[1].endswith(
        "in Python); its only text column is run (row2, row3, ...: no column names the runs)"
    )
    code, _, err = cli(capsys, "hparams", "fit", str(path), "--where", "Run=row2")
    assert code == 2 and err.splitlines() == [
        f"error: no text column 'Run' in {path}",
        "hint: did you mean 'run'? its only text column is run (row2, row3, ...: no "
        "column names the runs)",
    ]
