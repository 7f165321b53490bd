"""Follow-ups from a walk of the loss-curve workflow: ``curves backtest`` exits 1 on a fit
that did not converge (as ``curves fit`` and ``backtest`` do); ``curves predict --points``
above the steps predicted says so; a multistep spec's unequal ``at=``/``lr=`` lists say
their counts; a spec with spaces for separators is shown corrected; a given warm-up the
logged lr contradicts is warned of; a fit across sizes names the curves without one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic

from scalinglab import ConfigError, fit_curves, parse_schedule
from scalinglab.curves import Schedule, Tissue, backtest_curves

_TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # three curves, their lr logged from step 200, where each warm-up peaks
    curves = _synthetic(Tissue(), _TRUTH, SPECS[:3], noise=0.002, seed=0, every=100)
    return _write_curves(tmp_path_factory.mktemp("c") / "curves.csv", curves)


@pytest.mark.parametrize("as_json", [False, True])
def test_curves_backtest_exits_1_on_a_fit_that_did_not_converge(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, curves_csv: Path, as_json: bool
) -> None:
    saved = tmp_path / "bt.json"
    args = ["curves", "backtest", str(curves_csv), "--law", "tissue", "--train", "run0,run1"]
    code, out, err = cli(capsys, *args, "--max-iter", "2", "--out", str(saved),
                         *["--json"] * as_json, one_line=True)  # fmt: skip
    assert code == 1
    assert "error: the fit did not converge: the maximum number of iterations was reached" in err
    assert "hint: rerun with --max-iter 20 (each start stopped at 2), another --law" in err
    held = json.loads(saved.read_text())  # scored and saved all the same, as curves fit's --out
    assert held["held_out_runs"] == ["run2"] and held["status"] == "failed"
    if not as_json:
        assert "run2" in out and "(failed)" in out
    code, _, _ = cli(capsys, *args)  # the same backtest at the default limit converges
    assert code == 0
    assert backtest_curves(curves_csv, train=["run0", "run1"], law="tissue",
                           max_iter=2).fit.status == "failed"  # fmt: skip


def test_points_beyond_the_steps_predicted_are_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, curves_csv: Path
) -> None:
    fit = fit_curves(curves_csv, law="tissue", bootstrap=0)
    saved = tmp_path / "fit.json"
    fit.save(saved)
    spec = "cosine:steps=3000"
    steps = fit.predict(spec).step  # the steps the command predicts, by the Python API
    args = ["curves", "predict", "--fit", str(saved), "--schedule", spec]
    code, out, _ = cli(capsys, *args, "--points", "1000")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert len(rows) == len(steps) < 1000
    said = " ".join(out.split())
    assert (
        f"note: --points 1000: {len(steps)} rows, every step predicted ({len(steps)} evenly "
        f"spaced from the warm-up's end, step {steps[0]}, to the final step 2,999), as "
        f"--json holds them; CurveFit.predict(schedule, steps=range({steps[0]}, 3000)) "
        "predicts at every step"
    ) in said
    code, out, _ = cli(capsys, *args, "--points", "5")
    assert code == 0 and "--points" not in out
    assert len([line for line in out.splitlines() if line.startswith("│")]) == 5


@pytest.mark.parametrize(
    ("spec", "said", "hint"),
    [
        (
            "multistep:peak=3e-4,at=1000;2000,lr=1e-4,steps=3000",
            "at=1000;2000 gives 2 step changes and lr=1e-4 1 rate: lr= is short by 1",
            "add a rate to lr= for the step change at 2000 (lr=1e-4;RATE), or drop 2000 "
            "from at= (at=1000)",
        ),
        (
            "multistep:peak=3e-4,at=1000,lr=1e-4;3e-5;1e-5,steps=3000",
            "at=1000 gives 1 step change and lr=1e-4;3e-5;1e-5 3 rates: at= is short by 2",
            "add a step to at= for the rates 3e-5 and 1e-5 (at=1000;STEP;STEP), or drop 3e-5 "
            "and 1e-5 from lr= (lr=1e-4)",
        ),
        (
            "multistep:peak=3e-4,at=1000,steps=3000",
            "at=1000 gives 1 step change and no lr= is given: lr= is short by 1",
            "add a rate to lr= for the step change at 1000 (lr=RATE), or drop at=",
        ),
    ],
)
def test_multistep_lists_of_unequal_length_say_which_is_short(
    spec: str, said: str, hint: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_schedule(spec)
    assert said in caught.value.message and caught.value.hint == hint


@pytest.mark.parametrize(
    "spec",
    ["cosine peak=3e-3 steps=2000", "cosine: peak=3e-3 steps=2000", "Cosine peak=3e-3, steps=2000"],
)
def test_a_spec_with_spaces_for_separators_is_shown_corrected(spec: str) -> None:
    with pytest.raises(ConfigError, match="separated by spaces") as caught:
        parse_schedule(spec)
    assert "unknown kind" not in caught.value.message
    assert caught.value.hint == "write 'cosine:peak=3e-3,steps=2000'"
    # the corrected spec is the schedule meant: a cosine from 3e-3, as written by hand
    lr = parse_schedule("cosine:peak=3e-3,steps=2000").lr
    assert lr[0] == pytest.approx(3e-3) and lr[-1] == pytest.approx(3e-4)
    # spaces after a comma or around '=' are read as they were
    assert np.array_equal(parse_schedule("cosine:peak = 3e-3, steps=2000").lr, lr)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [("cosin peak=3e-3 steps=2000", "cosine"), ("wsdd peak=3e-3 steps=2000", "wsd")],
)
def test_a_spaced_spec_with_a_slip_of_its_kind_names_the_kind_meant(spec: str, kind: str) -> None:
    with pytest.raises(ConfigError, match="separated by spaces") as caught:
        parse_schedule(spec)
    typed = spec.split(" ")[0]
    assert f"; and {typed!r} is no kind; did you mean {kind!r}?" in caught.value.message
    assert caught.value.hint == f"write '{kind}:peak=3e-3,steps=2000'"
    parse_schedule(f"{kind}:peak=3e-3,steps=2000")  # the spec written is one that parses
    with pytest.raises(ConfigError, match="unknown kind 'zzz "):  # far from every kind: as before
        parse_schedule("zzz peak=3e-3 steps=2000")


def test_a_given_warmup_the_logged_lr_contradicts_is_warned_of(curves_csv: Path) -> None:
    fit = fit_curves(curves_csv, law="tissue", warmup=500, bootstrap=0)
    said = [w for w in fit.warnings if w.startswith("a warm-up of 500 steps was given")]
    assert len(said) == 1 and "run0, run1, run2 at step 200" in said[0]
    assert "first peaking before it ends" in said[0]
    assert "warmup=500 (as given: --warmup; see the warning)" in " ".join(fit.notes)
    assert not any("contradicts" in n for n in fit.notes)  # a warning, not also a note
    own = fit_curves(curves_csv, law="tissue", warmup=200, bootstrap=0)  # where it peaks
    assert not any("warm-up" in w for w in own.warnings)
    # logged from step 0: a warm-up that ends while the logged rate still rises
    step = np.arange(0, 1000, 25.0)
    lr = 1e-3 * np.minimum(step / 100, 1.0)
    assert "the lr first peaks at step 100" in Schedule.from_logged(step, lr, warmup=50).notes[-1]
    assert not any("contradicts" in n for n in Schedule.from_logged(step, lr, warmup=90).notes)


def test_a_fit_across_sizes_names_the_curves_without_one(curves_csv: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        fit_curves(curves_csv, law="sized:tissue", bootstrap=0)
    assert caught.value.message == (
        "a fit across sizes (sized:tissue) needs every curve's model size, and no curve has "
        f"one: run0, run1, run2 ({curves_csv})"
    )
    assert caught.value.hint is not None
    assert caught.value.hint.startswith(f"add a params column to {curves_csv} (")
    assert "--map params=COLUMN" in caught.value.hint
