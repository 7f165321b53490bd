"""`curves compare` and `compare_schedules` as a new user meets them: the baseline's own
row and the best among all schedules, the baseline included; the step budget checked and
named before anything else; specs read as the spec parser reads them and quoted as given."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE

from scalinglab import ConfigError, fit_curves
from scalinglab.cli import main
from scalinglab.curves import CurveFit, Tissue, compare_schedules, parse_schedule
from scalinglab.curves._caveats import COVERS


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Tissue fit of 4 curves (warm-up 200 of 3000 steps), 40 whole-curve resamples."""
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=40, resample="curves").save(path)
    return str(path)


def _compare(capsys: pytest.CaptureFixture[str], path: str, *args: str) -> tuple[int, str, str]:
    code = main(["curves", "compare", "--fit", path, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_baseline_is_shown_and_can_be_best(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    fit = CurveFit.load(fit_file)
    code, out, err = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "linear")
    assert code == 0, err
    cosine = fit.final_loss("cosine:steps=3000")
    # cosine (never listed) beats linear: its row says so, linear's is not best
    assert re.search(rf"cosine \(baseline, best\) +│ +{cosine.loss:.4f} │", out)
    assert "linear (best)" not in out
    assert "no schedule compared beats cosine, the baseline" in out
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "linear", "--json")
    data = json.loads(out)
    assert data["baseline_loss"] == pytest.approx(cosine.loss)
    assert data["best"] == "cosine"
    assert [r["spec"] for r in data["schedules"]] == ["linear"]
    assert data["schedules"][0]["best"] is False and data["schedules"][0]["gain"] < 0
    rows = compare_schedules(fit, steps=3000, schedules=["linear"])
    assert [r.best for r in rows] == [False]
    rows = compare_schedules(fit, steps=3000, schedules="wsd:0.2", include_baseline=True)
    assert [(r.spec, r.baseline) for r in rows] == [("cosine", True), ("wsd:0.2", False)]
    # a schedule given that is the baseline is its row: not shown twice
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "cosine,wsd:0.2")
    assert out.count("cosine (baseline") == 1 and "wsd:0.2 (best)" in out


@pytest.mark.parametrize("steps", ["0", "-5"])
def test_a_bad_step_budget_is_named_as_the_option(fit_file, capsys, steps) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _compare(capsys, "/no/such.json", f"--steps={steps}")
    # checked before the fit is read, and named as --steps, not as a spec
    assert code == 2 and f"--steps={steps} is not a step budget" in err
    with pytest.raises(ConfigError, match=r"steps=0 is not a step budget"):
        compare_schedules(CurveFit.load(fit_file), steps=0, schedules="wsd:0.2")


def test_a_budget_within_the_fits_warmup_says_the_warmup_is_the_fits(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    specs = "wsd:0.2,warmup=100,constant:warmup=100"
    code, _, err = _compare(capsys, fit_file, "--steps", "150", "--schedules", specs)
    assert code == 2
    assert (
        "schedule 'cosine' (the baseline) takes the fit's warm-up of 200 steps (the fitted "
        "curves' median, used where a spec gives none)" in err
    )
    assert "--baseline on the command line" in err and "cosine:steps" not in err
    args = ["--steps", "150", "--schedules", specs, "--baseline", "cosine:warmup=100"]
    code, out, err = _compare(capsys, fit_file, *args)
    assert code == 0, err
    assert "cosine:warmup=100 (baseline" in out and "gain over cosine:warmup=100" in out


def test_specs_are_read_as_the_parser_reads_them_and_quoted_as_given(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    specs = "cosine:STEPS=3000,wsd:0.2,steps =3000"
    code, _, err = _compare(capsys, fit_file, "--steps", "3000", "--schedules", specs)
    assert code == 0 and "given twice" not in err, err
    code, _, err = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "linear:Steps=2000")
    assert code == 2
    assert "schedule 'linear:Steps=2000' runs steps=2000, but the schedules are compared" in err
    code, _, err = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "linear:peak=x")
    assert code == 2 and "schedule 'linear:peak=x': peak='x' is not a number" in err


def test_compare_schedules_takes_one_spec_or_schedule_objects(fit_file) -> None:  # type: ignore[no-untyped-def]
    fit = CurveFit.load(fit_file)
    (row,) = compare_schedules(fit, steps=3000, schedules="wsd:0.2")
    assert row.spec == "wsd:0.2"
    sched = parse_schedule("cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000")
    (obj,) = compare_schedules(fit, steps=3000, schedules=[sched])
    assert obj.baseline and obj.gain == 0.0  # it is the fit's cosine, filled in
    with pytest.raises(
        ConfigError, match="runs 3000 steps, but the schedules are compared over 4000"
    ):
        compare_schedules(fit, steps=4000, schedules=sched)


def test_a_train_list_naming_no_run_says_so_and_lists_the_curves(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli_curves import _write_curves

    from scalinglab.curves import backtest_curves

    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    path = _write_curves(tmp_path / "c.csv", curves)
    assert main(["curves", "backtest", path, "--train", ","]) == 2
    err = capsys.readouterr().err
    assert "--train ',' names no run to fit on" in err
    assert "hint: name some of the curves, comma-separated: run0, run1, run2, run3" in err
    with pytest.raises(ConfigError, match="train names no run to fit on"):
        backtest_curves(curves, train=[" "])


def test_a_level_too_high_for_the_resamples_is_warned_of(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    warning = (
        "warning: intervals from 40 resamples only: their ends are noise at 99.9% (use "
        "10000 or more; the estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do"
    )
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--level", "0.999")
    assert code == 0 and warning in out and "outside its interval" not in out
    assert main(["curves", "predict", "--fit", fit_file, "--schedule", "wsd:0.2,steps=3000",
                 "--level", "0.999"]) == 0  # fmt: skip
    assert warning in capsys.readouterr().out
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--level", "0.9")
    assert code == 0 and "warning: intervals from" not in out  # 40 are enough at 90%
    pred = CurveFit.load(fit_file).predict("wsd:0.2,steps=3000", level=0.999)
    assert pred.warnings == (warning.removeprefix("warning: "),)
    assert not any("resamples only" in n for n in pred.notes)


def test_a_fit_without_bootstrap_shows_no_interval_column(  # type: ignore[no-untyped-def]
    tmp_path, capsys
) -> None:
    # once an empty "90% interval" column on every row and a made-up [0, 0] for the baseline
    path = tmp_path / "point.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    point = fit_curves(curves, law="tissue", bootstrap=0)
    point.save(path)
    code, out, err = _compare(capsys, str(path), "--steps", "3000", "--schedules", "wsd:0.2")
    assert code == 0, err
    assert "interval" not in out.split("note:")[0] and "[0, 0]" not in out
    assert "no interval: the fit has no bootstrap" in out
    base = compare_schedules(point, steps=3000, schedules="wsd:0.2", include_baseline=True)[0]
    assert base.baseline and base.gain == 0.0 and base.gain_lower != base.gain_lower  # NaN
    assert main(["curves", "predict", "--fit", str(path), "--schedule", "cosine:steps=3000"]) == 0
    assert "interval" not in capsys.readouterr().out.split("note:")[0]


def test_compare_and_predict_say_what_intervals_cover(fit_file, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # the README's cosine 3.3208 [3.3071, 3.3316] against a real final loss of 3.3044: the
    # interval is the coefficients', not a run's; said where the intervals are shown
    code, out, err = _compare(capsys, fit_file, "--steps", "3000")
    assert code == 0, err
    assert " ".join(out.split()).count(COVERS) == 1
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--json")
    assert json.loads(out)["notes"].count(COVERS) == 1
    predict = ["curves", "predict", "--fit", fit_file, "--schedule", "wsd:0.2,steps=3000"]
    assert main(predict) == 0
    assert " ".join(capsys.readouterr().out.split()).count(COVERS) == 1
    assert main([*predict, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"].count(COVERS) == 1
    # no bootstrap, no interval: nothing to say it covers
    path = tmp_path / "point.json"
    fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0), law="tissue",
               bootstrap=0).save(path)  # fmt: skip
    code, out, _ = _compare(capsys, str(path), "--steps", "3000", "--json")
    assert COVERS not in json.loads(out)["notes"]
    # the README says it in the same words, where it reads the comparison with care
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    assert "Read the comparison with care" in readme and COVERS in readme


def test_without_steps_compare_names_the_fitted_length_as_predict_does(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    """No fit fills a step budget (curves predict refuses a spec without steps=): without
    --steps, compare says what is missing and the longest fitted curve's steps, in the words
    of predict's hint, rather than Typer's bare 'Missing option'."""
    code, out, err = _compare(capsys, fit_file, "--schedules", "cosine,wsd:0.2")
    said = " ".join(err.split())
    assert code == 2 and out == "" and "Missing option" not in err
    assert "error: --steps is missing: the step budget the schedules are compared over" in said
    assert (
        "hint: add --steps N, the total steps with warm-up, e.g. --steps 3000 (the fitted "
        "curves ran 3,000 steps); a fit fills peak, end and warmup, never steps"
    ) in said
    code, out, _ = _compare(capsys, fit_file, "--steps", "3000", "--schedules", "wsd:0.2")
    assert code == 0 and "final loss after 3,000 steps" in out
