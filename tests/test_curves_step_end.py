"""A curve logged up to step == steps of the schedule given (Hugging Face Trainer's
``global_step`` counts updates done: a 6000-step run logs up to 6000) is read as counted in
updates done, every step fitted one earlier, with a note; only a curve going beyond
``steps`` is refused. ``curves fit``, ``curves backtest``, ``fit --from-curves`` and
``fit_curves(..., schedule=...)`` alike fit such a curve as they fit the same curve written
0-based (the convention made explicit)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves

from scalinglab import ConfigError, DataError
from scalinglab.curves import Curve, Tissue, fit_curves, parse_schedule, read_lr_curves

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPEC = "cosine:peak=3e-4,end=3e-5,warmup=300,steps=6000"
NOTE = "its steps read as updates done"
# identical points once shifted: the fits are the same computation, to rounding
SAME = 1e-9


def _curve(spec: str, run: str, *, every: int = 50) -> Curve:
    """Tissue losses at TRUTH, noise-free, at 0-based steps ending on the run's last step
    (``steps - 1``)."""
    s = parse_schedule(spec)
    step = np.append(np.arange(s.warmup, s.steps - 1, every), s.steps - 1)
    p = np.array([[TRUTH[n] for n in Tissue().param_names]])
    loss = Tissue().evaluate(p, Tissue().prepare([s], [step]), jacobian=False)[0][0]
    return Curve(run, step, loss, s)


def _bare(curve: Curve, *, updates_done: bool) -> pd.DataFrame:
    """``curve`` without lr: its steps 0-based, or counted in updates done (one more)."""
    step = curve.step + 1 if updates_done else curve.step
    return pd.DataFrame({"run": curve.run, "step": step, "loss": curve.loss})


def test_fit_curves_reads_a_curve_ending_at_steps_as_updates_done() -> None:
    curve = _curve(SPEC, "a")
    with pytest.warns(UserWarning, match=NOTE) as said:
        hf = fit_curves(_bare(curve, updates_done=True), schedule=SPEC, law="tissue", bootstrap=0)
    note = str(said[0].message)
    assert "run 'a' (<DataFrame>) is logged up to step 6000, the 6000 steps of the schedule" in note
    assert "6000 read as 5999" in note and "give steps=6001" in note
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # read as given: no note
        explicit = fit_curves(
            _bare(curve, updates_done=False), schedule=SPEC, law="tissue", bootstrap=0
        )
    for name, value in explicit.coefs.items():
        assert hf.coefs[name] == pytest.approx(value, rel=SAME), name
        # the independent reference: the law the losses were made with, recovered
        assert value == pytest.approx(TRUTH[name], rel=1e-3), name
    with pytest.warns(UserWarning, match=NOTE):
        (read,) = read_lr_curves(_bare(curve, updates_done=True), schedule=SPEC)
    np.testing.assert_array_equal(read.step, curve.step)
    np.testing.assert_array_equal(read.loss, curve.loss)


def test_a_point_at_step_0_is_left_out_and_one_step_beyond_is_refused() -> None:
    curve = _curve(SPEC, "a")
    frame = _bare(curve, updates_done=True)
    first = pd.DataFrame({"run": ["a"], "step": [0], "loss": [11.0]})  # before any update
    with pytest.warns(UserWarning, match="its point at step 0, the loss before any update"):
        (read,) = read_lr_curves(pd.concat([first, frame], ignore_index=True), schedule=SPEC)
    np.testing.assert_array_equal(read.step, curve.step)
    assert read.rows == tuple(range(2, 2 + len(curve.step)))  # row 1, at step 0, left out
    beyond = frame.assign(step=frame.step + 1)  # up to 6001: a run longer than 6000 steps
    with pytest.raises(DataError, match="logged up to step 6001, beyond the 6000 steps") as err:
        read_lr_curves(beyond, schedule=SPEC)
    assert "steps= is at least 6002 (6001 if its steps count updates done" in (err.value.hint or "")


def test_curves_fit_on_the_command_line_alike(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curve = _curve(SPEC, "const-6k")
    fits = {}
    for done in (True, False):
        path = tmp_path / f"{done}.csv"
        _bare(curve, updates_done=done).to_csv(path, index=False)
        args = ["curves", "fit", str(path), "--schedule", SPEC, "--law", "tissue"]
        code, out, err = cli(capsys, *args, "--bootstrap", "0", "--json", one_line=True)
        assert code == 0, err
        assert (NOTE in err) is done
        fits[done] = json.loads(out)["coefs"]
    for name, value in fits[False].items():
        assert fits[True][name] == pytest.approx(value, rel=SAME), name


def test_curves_backtest_alike(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    specs = [SPEC.replace("cosine", kind) for kind in ("cosine", "constant")]
    specs += ["wsd:peak=3e-4,end=3e-5,warmup=300,decay=0.2,steps=6000"]
    curves = [_curve(s, f"run{i}", every=100) for i, s in enumerate(specs)]
    train = _write_curves(tmp_path / "train.csv", curves[:2])  # their lr logged
    said = {}
    for done in (True, False):
        held = tmp_path / f"held_{done}.csv"
        _bare(curves[2], updates_done=done).to_csv(held, index=False)
        args = ["curves", "backtest", train, str(held), "--train", "run0,run1"]
        code, out, err = cli(capsys, *args, "--law", "tissue", "--schedule", specs[2], "--json")
        assert code == 0, err
        assert (NOTE in " ".join(err.split())) is done
        said[done] = json.loads(out)
    assert [r["run"] for r in said[True]["held_out"]] == ["run2"]
    assert said[True]["mean_are"] < 1e-3  # noise-free: the held-out curve predicted
    assert said[True]["mean_are"] == pytest.approx(said[False]["mean_are"], rel=1e-6)


def test_fit_from_curves_alike(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    specs = [
        spec.format(n=n)
        for n in (2000, 4000)
        for spec in (
            "cosine:peak=3e-4,end=3e-5,warmup=200,steps={n}",
            "constant:peak=3e-4,warmup=200,steps={n}",
        )
    ]
    curves = [_curve(s, f"r{i}") for i, s in enumerate(specs)]
    logged = _write_curves(tmp_path / "logged.csv", [c for c in curves if c.run != "r3"])
    coefs = {}
    for done in (True, False):
        bare = tmp_path / f"r3_{done}.csv"
        _bare(curves[3], updates_done=done).to_csv(bare, index=False)
        args = ["fit", "--curve-law", "tissue", "--law", "E + B*D**-beta", "--bootstrap", "0"]
        args += ["--no-compare", "--json", "--from-curves", logged, "--from-curves", str(bare)]
        code, out, err = cli(capsys, *args, "--schedule", specs[3], one_line=True)
        assert code == 0, err
        assert (NOTE in err) is done
        coefs[done] = json.loads(out)["coefs"]
    for name, value in coefs[False].items():
        assert coefs[True][name] == pytest.approx(value, rel=SAME), name


def test_a_curve_built_by_hand_beyond_its_schedule_is_refused_not_an_index_error() -> None:
    curve = _curve(SPEC, "a")
    shifted = Curve("a", curve.step + 1, curve.loss, curve.schedule)  # up to 6000: one past
    with pytest.raises(ConfigError, match=r"logged at steps 301 to 6000, outside its sched") as err:
        fit_curves([shifted], law="tissue", bootstrap=0)
    assert "subtract 1 from each" in (err.value.hint or "")
    fit = fit_curves([curve], law="tissue", bootstrap=0)  # the same, 0-based: fitted
    assert fit.coefs["L0"] == pytest.approx(TRUTH["L0"], rel=1e-3)
