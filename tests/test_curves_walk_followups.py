"""What a new user's walk of ``scalinglab curves`` met: a schedule given twice shown once,
an unknown training curve named plainly with the runs meant, a negative ``--warmup``
refused at the option, the curves default in the no-intervals line, a slip in a short
schedule kind suggested, the one-size note only for a law with N, a max ARE one spike
drives said so, a NaN learning rate said NaN, and the help of ``--run`` and ``--map``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import ConfigError, fit_curves
from scalinglab._defaults import CURVE_BOOTSTRAP
from scalinglab._errors import did_you_mean
from scalinglab.cli._cmd_curves_use import runs_from_curves
from scalinglab.curves import Schedule, Tissue, backtest_curves, parse_schedule
from scalinglab.curves._schedule_spec import SCHEDULE_KINDS


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four Tissue curves (run0..run3, warm-up 200 of 3000 steps) of a 70M model."""
    curves = [replace(c, params=7e7) for c in _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)]
    return Path(_write_curves(tmp_path_factory.mktemp("walk") / "curves.csv", curves))


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=0).save(path)
    return str(path)


def test_a_schedule_compared_twice_is_one_row_with_a_warning(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["curves", "compare", "--fit", fit_file, "--steps", "3000"]
    code, out, err = cli(capsys, *args, "--schedules", "wsd:0.2,linear,wsd:0.2")
    assert code == 0, err
    assert out.count("wsd:0.2") == 1 and "linear" in out
    assert "--schedules wsd:0.2 given more than once: each is used once" in err
    code, out, _ = cli(capsys, *args, "--schedules", "wsd:0.2,wsd:0.2", "--json")
    assert [r["spec"] for r in json.loads(out)["schedules"]] == ["wsd:0.2"]


def test_an_unknown_training_curve_is_named_plainly_with_the_runs_meant(
    capsys: pytest.CaptureFixture[str], curves_csv: Path
) -> None:
    args = ["curves", "backtest", str(curves_csv), "--law", "tissue", "--train"]
    code, _, err = cli(capsys, *args, "rnu0,run1")
    assert code == 2 and "[" not in err.splitlines()[0]
    assert "error: training curve 'rnu0' is not among the curves read; did you mean 'run0'?" in err
    # several: each named, each with the runs it most likely meant (those it starts)
    code, _, err = cli(capsys, *args, "ru,rnu1")
    assert "training curves 'ru' and 'rnu1' are not among the curves read" in err
    assert "for 'rnu1', did you mean 'run1'?" in err
    assert "did you mean" not in err.split("for 'rnu1'")[0]  # 'ru' starts all 4: the hint's
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)
    named = [
        replace(c, run=n)
        for c, n in zip(curves, ("cosine_a", "cosine_b", "con", "wsd"), strict=True)
    ]
    with pytest.raises(ConfigError) as caught:
        backtest_curves(named, train=["cosin", "con"], law="tissue")
    assert caught.value.message == (
        "training curve 'cosin' is not among the curves read; did you mean 'cosine_a' or "
        "'cosine_b'?"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["curves", "fit", "{csv}", "--bootstrap", "0"],
        ["curves", "backtest", "{csv}", "--train", "run0"],
        ["curves", "predict", "--fit", "{fit}", "--schedule-file", "{csv}", "--run", "run0"],
        ["report", "{csv}", "--curves", "--train", "run0", "--out", "page.html"],
    ],
)
def test_a_negative_warmup_is_refused_at_the_option(  # type: ignore[no-untyped-def]
    capsys, curves_csv, fit_file, args
) -> None:
    given = [a.format(csv=curves_csv, fit=fit_file) for a in args]
    code, out, err = cli(capsys, *given, "--warmup", "-5")
    assert code == 2 and out == ""
    assert "Invalid value for '--warmup': -5 is not in the range x>=0" in err
    assert "run0" not in err  # not refused run by run


def test_curves_fit_without_intervals_asks_for_its_own_default(
    capsys: pytest.CaptureFixture[str], curves_csv: Path
) -> None:
    code, out, _ = cli(capsys, "curves", "fit", str(curves_csv), "--law", "tissue",
                        "--bootstrap", "0")  # fmt: skip
    assert code == 0
    assert f"no bootstrap was asked (--bootstrap 0); run with --bootstrap {CURVE_BOOTSTRAP}" in out
    assert "--bootstrap 200" not in out


def test_a_slip_in_a_short_schedule_kind_is_suggested() -> None:
    assert did_you_mean("wds", SCHEDULE_KINDS) == "; did you mean 'wsd'?"
    assert did_you_mean("wsx", SCHEDULE_KINDS) == "; did you mean 'wsd'?"
    assert did_you_mean("dws", SCHEDULE_KINDS) == ""  # two slips in three letters: none
    assert did_you_mean("ab", ["ax"]) == ""  # one letter of two is no slip
    with pytest.raises(ConfigError, match=r"unknown kind 'wds'; did you mean 'wsd'\?"):
        parse_schedule("wds:0.1")


def test_the_one_size_note_is_for_a_law_with_n_alone(
    capsys: pytest.CaptureFixture[str], curves_csv: Path
) -> None:
    note = "N-dependent parameters cannot be identified"
    base = ["fit", "--from-curves", str(curves_csv), "--curve-law", "tissue", "--bootstrap", "0"]
    code, out, err = cli(capsys, *base, "--law", "power-law:tokens")
    assert code == 0, err
    assert note not in out + err
    # a law with N: said (its fit then refuses one size, naming the params column)
    for needs_size in (True, False):
        _, notes, _, _ = runs_from_curves([curves_csv], cooldown=0.2, law="tissue",
                                          needs_size=needs_size)  # fmt: skip
        assert any(note in n for n in notes) is needs_size


def test_a_max_are_one_spike_drives_is_said(curves_csv: Path) -> None:
    from scalinglab.curves._spike import SPIKE, spike_note

    rel = np.full(1000, 0.003)
    rel[::7] = 0.002  # a curve's errors vary; one spike stands far above them
    rel[400] = 0.44
    steps = np.arange(2000, 3000)
    note = spike_note("70M-constant", steps, rel)
    assert note.startswith("70M-constant: its max ARE 44.000% comes from one point, at step 2400,")
    assert f"more than {SPIKE:g}x the curve's 99th percentile error (0.300%)" in note
    without = float(np.delete(rel, 400).mean())
    assert f"its mean ARE without it is {100 * without:.3f}%" in note
    smooth = np.linspace(0.001, 0.004, 1000)  # a misfit that grows: its max is no spike
    assert spike_note("r", steps, smooth) == ""
    # in the backtest: a spike of 44% in a held-out curve's loss is said, the others not
    frame = [line.split(",") for line in curves_csv.read_text().splitlines()]
    at = next(i for i, row in enumerate(frame) if row[0] == "run3" and row[2] == "1500")
    frame[at][-1] = str(float(frame[at][-1]) * 1.44)
    spiked = curves_csv.with_name("spiked.csv")
    spiked.write_text("\n".join(",".join(row) for row in frame) + "\n")
    bt = backtest_curves(str(spiked), train=["run0", "run1", "run2"], law="tissue")
    said = [n for n in bt.notes if "max ARE" in n]
    assert len(said) == 1 and said[0].startswith("run3: its max ARE ")
    assert "one point, at step 1500," in said[0]


def test_schedule_peak_has_a_docstring_and_a_nan_rate_is_said_nan() -> None:
    assert Schedule.peak.__doc__
    with pytest.raises(ConfigError) as caught:
        Schedule(np.array([1e-4, np.nan, 1e-4]))
    assert "learning rate nan at step 1 is not a number (NaN)" in caught.value.message
    assert "negative" not in caught.value.message
    with pytest.raises(ConfigError) as caught:
        Schedule(np.array([1e-4, -1.0, 1e-4]))
    assert caught.value.message.endswith("learning rate -1.0 at step 1 is negative")
    with pytest.raises(ConfigError, match="is infinite"):
        Schedule(np.array([1e-4, np.inf, 1e-4]))
    with pytest.raises(Exception, match=r"at step 1 is not a number \(NaN\)"):
        Schedule.from_logged([0, 1, 2], [1e-3, np.nan, 0.0], source="c.csv")


def test_the_help_of_run_and_map_says_what_they_do(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "curves", "predict", "--help")
    text = " ".join(out.split())
    assert "the run whose logged learning rates are the schedule to predict under" in text
    for command in ("fit", "backtest"):
        code, out, _ = cli(capsys, "curves", command, "--help")
        text = " ".join(out.split())
        assert code == 0 and "loss=train_loss" in text and "params=n_params" not in text
