"""``--schedule`` on every command that reads loss curves (``curves backtest``, ``fit
--from-curves``, ``report --curves``), as ``curves fit`` takes it: the schedule of the runs
that log no lr, so that a curve without an lr column can be backtested and used; a curve
without lr read without it is refused with a hint naming the option."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_fit_from_curves import _curves

from scalinglab.curves import Curve, Tissue

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
HINT = (
    "add an 'lr' column (or map yours: --map lr=COLUMN), "
    "or pass --schedule 'cosine:peak=3e-4,steps=...' (schedule= in Python)"
)


def _without_lr(path: Path, curve: Curve) -> str:
    """``curve`` as a file of step and loss alone (named by the run: a file of one run)."""
    pd.DataFrame({"step": curve.step, "loss": curve.loss}).to_csv(path, index=False)
    return str(path)


def test_curves_backtest_reads_a_curve_without_lr_by_its_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=0, seed=0)
    logged = _write_curves(tmp_path / "all.csv", curves)
    train = _write_curves(tmp_path / "train.csv", curves[:3])
    held = _without_lr(tmp_path / "run3.csv", curves[3])
    args = ["curves", "backtest", "--train", "run0,run1,run2", "--law", "tissue", "--json"]
    code, _, err = cli(capsys, *args, train, held, one_line=True)
    assert code == 2 and f"hint: {HINT}" in err
    code, out, _ = cli(capsys, *args, train, held, "--schedule", SPECS[3])
    assert code == 0
    given = json.loads(out)
    code, out, _ = cli(capsys, *args, logged)
    assert code == 0
    read = json.loads(out)
    assert [r["run"] for r in given["held_out"]] == ["run3"]
    # the schedule given is the one the logged lr column holds: the same prediction
    assert given["mean_are"] < 1e-3
    assert given["mean_are"] == pytest.approx(read["mean_are"], abs=1e-5)


def test_fit_from_curves_reads_a_curve_without_lr_by_its_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curves = _curves(0)  # r1 is a constant run, whose checkpoints become runs
    every = _write_curves(tmp_path / "every.csv", curves)
    logged = _write_curves(tmp_path / "logged.csv", [c for c in curves if c.run != "r1"])
    bare = _without_lr(tmp_path / "r1.csv", curves[1])
    args = ["fit", "--curve-law", "tissue", "--law", "E + B*D**-beta", "--bootstrap", "0"]
    args += ["--no-compare", "--json"]
    code, _, err = cli(capsys, *args, "--from-curves", logged, "--from-curves", bare, one_line=True)
    assert code == 2 and f"hint: {HINT}" in err
    code, out, _ = cli(capsys, *args, "--from-curves", logged, "--from-curves", bare,
                       "--schedule", curves[1].schedule.spec)  # fmt: skip
    assert code == 0
    given = json.loads(out)
    code, out, _ = cli(capsys, *args, "--from-curves", every)
    assert code == 0
    read = json.loads(out)
    assert len(given["runs"]) == len(read["runs"]) > 0
    for name, value in read["coefs"].items():  # the constant run's schedule, as logged
        assert given["coefs"][name] == pytest.approx(value, rel=1e-6), name
    code, _, err = cli(capsys, "fit", "--schedule", curves[1].schedule.spec, one_line=True)
    assert code == 2
    assert "error: --schedule shapes the runs --from-curves predicts, and no --from-curves" in err


def test_report_curves_reads_a_curve_without_lr_by_its_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=1e-3, seed=7, every=50)
    folder = tmp_path / "curves"
    folder.mkdir()
    _write_curves(folder / "train.csv", curves[:3])
    _without_lr(folder / "run3.csv", curves[3])
    out = tmp_path / "report.html"
    args = ["report", str(folder), "--curves", "--train", "run0,run1,run2", "--out", str(out)]
    args += ["--curve-law", "tissue", "--bootstrap", "0"]
    code, _, err = cli(capsys, *args, one_line=True)
    assert code == 2 and f"hint: {HINT}" in err
    code, said, err = cli(capsys, *args, "--schedule", SPECS[3])
    assert f"wrote report: {out}" in said
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "<td>run3</td>" in text  # the held-out curve, predicted
    assert f"--schedule {SPECS[3]}" in text  # the page's command reproduces it
    page = ["report", "--schedule", SPECS[3], "--out", str(tmp_path / "loss.html")]
    code, _, err = cli(capsys, *page, one_line=True)
    assert code == 2
    assert "error: --schedule is an option of the --curves page; the loss-law report" in err


def test_the_commands_say_schedule_alike(capsys: pytest.CaptureFixture[str]) -> None:
    spec = (
        "one for them all (runs trained on different schedules need their lr logged): "
        "kind:key=value,... with kind constant|cosine|linear|wsd|multistep and keys peak,"
    )
    for command, said in (
        (["curves", "fit"], "--schedule TEXT Schedule of every run that logs no lr, "),
        (["curves", "backtest"], "--schedule TEXT Schedule of every run that logs no lr, "),
        (["fit"], "--schedule TEXT With --from-curves: schedule of every curve that logs no lr, "),
        (["report"], "--schedule TEXT --curves: schedule of every run that logs no lr, "),
    ):
        code, out, _ = cli(capsys, *command, "--help")
        assert code == 0 and said + spec in " ".join(out.split()), command


def test_runs_longer_than_the_one_schedule_given_are_told_to_log_their_lr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two runs without lr, of 240 and 720 steps: --schedule is one schedule for both, so a
    hint to lengthen it for the longer run alone could not be followed."""
    folder = tmp_path / "runs"
    folder.mkdir()
    for steps in (240, 720):
        step = list(range(10, steps, 10))
        frame = pd.DataFrame({"step": step, "loss": [3 + 100 / s for s in step]})
        frame.to_csv(folder / f"cosine_{steps}.csv", index=False)
    code, _, err = cli(
        capsys, "curves", "backtest", str(folder), "--train", "cosine_240",
        "--schedule", "cosine:peak=3e-4,steps=240", one_line=True,
    )  # fmt: skip
    assert code == 2
    assert "run 'cosine_720' is logged up to step 710, beyond the 240 steps" in err
    assert err.strip().endswith(
        "hint: the schedule given (--schedule, schedule=) is that of every run that logs no "
        "lr, one for them all: if every such run was trained with it, its steps= is at least "
        "711 (710 if its steps count updates done, as Hugging Face Trainer's global_step does); "
        "runs trained on different schedules need their lr logged (an lr column beside "
        "step and loss)"
    )
