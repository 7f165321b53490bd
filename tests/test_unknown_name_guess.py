"""A name one slip off a known one (a case slip, a letter off) is refused with the name
meant, in one suffix (:func:`scalinglab._errors.did_you_mean`) on every choice a command
takes by name: robust loss, backtest baseline, bundled data, hyperparameter law, weighting
and surface, batch unit, curve law, schedule kind, task, task law, average law, ladder
backend, run status, ingest kind. Before, only laws, presets, recipes and options said it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

from scalinglab._errors import ConfigError, did_you_mean


def test_did_you_mean() -> None:
    assert did_you_mean("hubber", ("huber", "soft_l1", "squared")) == "; did you mean 'huber'?"
    assert did_you_mean("Huber", ("huber", "soft_l1")) == "; did you mean 'huber'?"
    assert did_you_mean("huber", ("huber",)) == ""  # not unknown: nothing to say
    assert did_you_mean("zzz", ("huber", "soft_l1")) == ""
    assert did_you_mean("", ("huber",)) == "" and did_you_mean(5, ("huber",)) == ""
    assert did_you_mean("tabel", {"table": 1, "wandb": 2}) == "; did you mean 'table'?"


def _library(call: str) -> str:
    """The message of a library call's ConfigError."""
    import scalinglab
    from scalinglab.curves._registry import get_curve_law
    from scalinglab.curves._schedule_spec import parse_schedule
    from scalinglab.data._bundled import bundled_runs
    from scalinglab.downstream._task_law import accuracy_law
    from scalinglab.fit._losses import RobustLoss

    calls = {
        "robust": lambda: RobustLoss("hubber"),
        "bundled": lambda: bundled_runs("overtrainig-c4"),
        "curve law": lambda: get_curve_law("multipowr"),
        "schedule": lambda: parse_schedule("cosin:steps=100"),
        "task law": lambda: accuracy_law("sigmoidd", column="acc_x"),
    }
    assert scalinglab is not None
    with pytest.raises(ConfigError) as err:
        calls[call]()
    return err.value.message


@pytest.mark.parametrize(
    ("call", "ends"),
    [
        ("robust", "unknown robust loss 'hubber'; did you mean 'huber'?"),
        ("bundled", "no bundled data set 'overtrainig-c4'; did you mean 'overtraining-c4'?"),
        ("curve law", "unknown curve law 'multipowr'; did you mean 'multipower'?"),
        ("schedule", "unknown kind 'cosin'; did you mean 'cosine'?"),
        ("task law", "unknown task law 'sigmoidd'; did you mean 'sigmoid'?"),
    ],
)
def test_the_library_names_the_one_meant(call: str, ends: str) -> None:
    assert _library(call).endswith(ends)


def _sweep(tmp_path: Path) -> Path:
    from tests._hparam_sweeps import sweep

    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("option", "value", "ends"),
    [
        ("--law", "stepla", "the laws are auto, steplaw, compute; did you mean 'steplaw'?"),
        ("--weighting", "regrets", "the weightings are regret, equal; did you mean 'regret'?"),
        ("--surface", "cubik", "the surfaces are cubic, quadratic; did you mean 'cubic'?"),
        ("--batch-unit", "token", "got 'token'; did you mean 'tokens'?"),
    ],
)
def test_hparams_fit_choices(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, value: str, ends: str
) -> None:
    from tests._hparam_sweeps import SEQ_LEN

    args = ["hparams", "fit", str(_sweep(tmp_path)), "--seq-len", str(SEQ_LEN), option, value]
    error, _ = refused(capsys, [*args, "--bootstrap", "0"])
    assert error.endswith(ends), error


def test_batch_unit_names_the_option_and_what_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["hparams", "fit", str(_sweep(tmp_path)), "--batch-unit", "token"]
    error, hint = refused(capsys, args)
    assert error.startswith("error: --batch-unit must be 'sequences' or 'tokens'")
    assert hint.startswith("hint: tokens: the batch column counts tokens per step")


@pytest.mark.parametrize(
    ("args", "ends"),
    [
        (["fit", "--data", "simulated", "--bootstrap", "0", "--robust-loss", "Huber"],
         "unknown robust loss 'Huber'; did you mean 'huber'?"),
        (["backtest", "--data", "simulated", "--bootstrap", "0", "--baseline", "curvefit"],
         "--baseline 'curvefit' is not a baseline; did you mean 'curve_fit'?"),
        (["runs", "--store", "x.duckdb", "--status", "finishd"],
         "not 'finishd'; did you mean 'finished'?"),
        (["ingest", "x.csv", "--kind", "tabel"],
         "unknown source kind 'tabel'; did you mean 'table'?"),
    ],
)  # fmt: skip
def test_the_command_line_names_the_one_meant(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    ends: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("run,params,tokens,loss\na,1e7,1e9,3.0\n", encoding="utf-8")
    error, _ = refused(capsys, args)
    assert error.endswith(ends), error
