"""What a new user of ``scalinglab downstream`` meets: predictions past the data warned of in
the JSON too, plans that say how far past the fitted models they reach and when a target is
never reached, a target written in percent, and bad input pointing at the file, row, column
and option to fix."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab._format import format_g
from scalinglab.cli import main
from scalinglab.cli._chain_warnings import chain_warnings
from scalinglab.downstream import DownstreamFit


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    path = folder / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(path, index=False)
    out = folder / "ds.json"
    assert main(["downstream", "fit", str(path), "--bootstrap", "50", "--out", str(out)]) == 0
    return out


def test_predict_json_carries_the_warning_the_text_prints(
    capsys: pytest.CaptureFixture[str], fitted: Path
) -> None:
    capsys.readouterr()
    args = ["downstream", "predict", "--fit", str(fitted), "--params", "7B", "--tokens", "2T"]
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    far = DownstreamFit.load(fitted).distance(params=7e9, tokens=2e12)
    assert data["distance"] == pytest.approx(far) and far > 1
    # past the backtests' reach: their width there is not measured, in a note as predict says
    measured = DownstreamFit.load(fitted).extrapolation.measured  # type: ignore[union-attr]
    assert data["notes"] == [
        f"past {measured:.2f} decades beyond the fitted runs (the farthest its backtests "
        "reached), loss intervals extend the error's measured growth with distance: their "
        "width there is not measured"
    ]
    chain = list(DownstreamFit.load(fitted).warnings)  # first, as predict --fit's fit's
    assert data["warnings"] == [
        *chain,
        f"x{format_g(10**far, 3)} ({far:.2f} decades) outside the fitted models in N, D, N·D or tokens per parameter: the "
        "intervals extend the loss law's extrapolation error measured by its backtests, and "
        "the task laws are read beyond the fitted losses",
    ]
    # stdout holds the JSON alone, stderr the lines the text prints, as predict --json echoes
    # (the chain's law-auto warning in one short line there, in full in the JSON)
    short = chain_warnings(chain, fit=fitted)
    said = [data["warnings"][-1], *short]  # the model's note, its warning, the chain's once
    echoed = [f"note: {data['notes'][0]}", *(f"warning: {w}" for w in said)]
    assert " ".join(err.split()) == " ".join(" ".join(echoed).split())
    code, out, err = run(capsys, *args)
    assert code == 0 and f"warning: {data['warnings'][-1]}" in out
    # near the data: the chain's warnings alone
    code, out, err = run(capsys, *args[:4], "--params", "100M", "--tokens", "2B", "--json")
    assert json.loads(out)["warnings"] == chain


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_plan_says_how_far_beyond_the_data_and_what_is_not_reached(
    capsys: pytest.CaptureFixture[str], fitted: Path
) -> None:
    capsys.readouterr()
    plan = ["downstream", "plan", "--fit", str(fitted)]
    code, out, err = run(capsys, *plan, "--target-accuracy", "task=0.7", "--json")
    assert code == 0, err
    allocation = json.loads(out)["allocation"]
    chain = DownstreamFit.load(fitted)
    far = chain.distance(params=allocation["params"], tokens=allocation["tokens"])
    assert allocation["distance"] == pytest.approx(far) and far > 0
    # its intervals invert one model's prediction band, which holds the loss law's measured
    # extrapolation error, and say so in a loss plan's words
    assert chain.extrapolation is not None and chain.extrapolation.calibrated
    kinds = (allocation["flops_interval_kind"], allocation["loss_interval_kind"])
    assert kinds == ("backtest-calibrated", "path-at-compute-ends")
    assert allocation["allocation_interval_kind"] == "path-at-compute-ends"
    code, out, err = run(capsys, *plan, "--target-accuracy", "task=0.7")
    assert code == 0, err
    assert "beyond data" in out and f"{far:.2f} dec" in out
    # a target the loss law never reaches: said in words, not "— [∞, ∞]"
    step = chain.tasks["task"].step
    assert step is not None
    top = float(step.evaluate(step.theta, {"L": np.array([0.9 * chain.loss_step.coefs["E"]])})[0])
    code, out, err = run(capsys, *plan, "--target-accuracy", f"task={top:.4f}")
    assert code == 0, err
    assert out.count("not reached") == 3 and "[∞, ∞]" not in out and "—" in out
    assert "the loss law does not reach loss" in out
    code, out, _ = run(capsys, *plan, "--target-accuracy", f"task={top:.4f}", "--json")
    assert math.isnan(float(json.loads(out)["allocation"]["distance"]))


def test_plan_reads_a_percent_target_as_one(
    capsys: pytest.CaptureFixture[str], fitted: Path
) -> None:
    capsys.readouterr()
    code, _, err = run(
        capsys, "downstream", "plan", "--fit", str(fitted), "--target-accuracy", "task=60"
    )
    assert code == 2
    assert err.splitlines() == [
        "error: target accuracy 60 for 'task' is above 1: accuracies are fractions",
        "hint: did you mean 0.6? (--target-accuracy task=0.6)",
    ]


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_missing_loss_leaves_the_model_out_by_file_row_and_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS).rename(columns={"loss": "val_loss"})
    frame.loc[5, "val_loss"] = np.nan  # the sixth model: line 7 of the file
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    fast = ("--bootstrap", "0", "--max-backtest-error", "inf", "--law", "chinchilla")
    code, out, err = run(capsys, "downstream", "fit", str(path), "--via", "val_loss", *fast)
    assert code == 0, err
    assert f"{len(frame) - 1} models from {path}" in out
    note = (
        f"1 model left out, without a usable val_loss: {frame.run[5]!r} (row 7): loss is "
        "missing or NaN"
    )
    assert note in out.replace("\n", " ")
    assert path.read_text().splitlines()[6].startswith(f"{frame.run[5]},")  # line 7 indeed
    # the run named from a "model" column, where the table has no run column
    frame.rename(columns={"run": "model"}).to_csv(path, index=False)
    code, out, err = run(capsys, "downstream", "fit", str(path), "--via", "val_loss", *fast)
    assert code == 0 and f"{frame.run[5]!r} (row 7)" in out
    # no model with a loss: refused, naming the column
    frame.assign(val_loss=np.nan).to_csv(path, index=False)
    code, _, err = run(capsys, "downstream", "fit", str(path), "--via", "val_loss", *fast)
    assert code == 2 and "no model has a usable val_loss" in err


def test_errors_name_the_option_to_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    long = tmp_path / "long.csv"
    long.write_text("run,task,metric,value\nm1,hellaswag,acc,0.3\nm2,hellaswag,acc,0.4\n")
    # the file's own columns, not those it pivots to ('run', 'acc_hellaswag')
    said = [
        f"error: {long}: no loss column (loss, l, final_loss, train_loss, eval_loss, val_loss "
        "or loss_<set>); the columns are 'run', 'task', 'metric', 'value'",
        "hint: long evaluations (run, task, metric, value) hold scores only: give the run "
        "table with their losses, params and tokens, --runs runs.csv (read_evals(..., "
        "runs=...)), joined on the run names",
    ]
    code, _, err = run(capsys, "downstream", "fit", str(long))
    assert (code, err.splitlines()) == (2, said)
    page = tmp_path / "x.html"
    report = ("report", str(long), "--downstream", "--bootstrap", "0", "--out", str(page))
    code, _, err = run(capsys, *report)
    assert (code, err.splitlines()) == (2, said) and not page.exists()
    evals = tmp_path / "evals.csv"
    models(np.random.default_rng(0), SIZES, MULTS).to_csv(evals, index=False)
    code, _, err = run(capsys, "downstream", "fit", str(evals), "--chance", "nope.csv")
    assert code == 2
    assert err.splitlines() == [
        "error: --chance nope.csv: file not found",
        "hint: check the path given to --chance; without it common tasks' chance levels are "
        "built in",
    ]
    # a level where the file goes: told what --chance takes (it said only "file not found")
    code, _, err = run(capsys, "downstream", "fit", str(evals), "--chance", "0.25")
    assert code == 2
    assert " ".join(err.split()) == (
        "error: --chance 0.25: file not found hint: --chance takes a CSV of chance levels, not "
        "a level: write one with the header task,chance and a row per task (hellaswag,0.25); "
        "without it common tasks' chance levels are built in"
    )
    code, _, err = run(capsys, "downstream", "backtest", str(evals), "--holdout", "largest:2",
                       "--runs", "gone.csv")  # fmt: skip
    assert code == 2 and err.startswith("error: --runs gone.csv: file not found")
