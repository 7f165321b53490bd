"""`curves predict` as a new user meets it: --points (the final step always shown), a
sized fit's N in the title and the JSON, --params errors in the command line's words, and
schedule files refused with their name (too long, steps that are not steps, no rate to
predict under, several runs without --run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.test_cli_curves import _write
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE, sized_curves

from scalinglab import ConfigError, fit_curves, parse_schedule
from scalinglab.cli import main
from scalinglab.curves import Tissue


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    fit_curves(_synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0), law="tissue").save(path)
    return str(path)


def _predict(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["curves", "predict", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_points_always_show_the_final_step(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    args = ["--fit", fit_file, "--schedule", "cosine:steps=3000"]
    for bad in ("0", "-3"):
        code, _, err = _predict(capsys, *args, f"--points={bad}")
        assert code == 2 and f"--points {bad}: the table needs at least one row" in err
    code, out, _ = _predict(capsys, *args, "--points", "1")
    assert code == 0 and "│ 2,999 │" in out and "│   200 │" not in out
    code, out, _ = _predict(capsys, *args, "--points", "2")
    assert code == 0 and "│   200 │" in out and "│ 2,999 │" in out


def test_a_sized_fit_says_its_size_and_params_errors_name_the_option(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sized.json"
    fit_curves(sized_curves()[0], law="sized:tissue", bootstrap=0).save(path)
    args = ["--fit", str(path), "--schedule", "cosine:steps=3000", "--params", "50M"]
    code, out, _ = _predict(capsys, *args, "--points", "2")
    assert code == 0 and "predicted loss at N = 50M" in out
    code, out, _ = _predict(capsys, *args, "--json")
    assert json.loads(out)["params"] == 50e6
    code, _, err = _predict(capsys, *args[:-1], "-5")
    assert code == 2 and "--params must be a positive, finite number, got '-5'" in err
    assert "params=7B" not in err  # the Python keyword is not the command line's
    assert main(["curves", "compare", "--fit", str(path), "--steps", "3K", "--params", "50M"]) == 0
    assert "final loss after 3,000 steps at N = 50M" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([(2160, 3e-4), (2000000000, 3e-5)], "step,lr", "steps=2,000,000,001 is more than"),
        ([(-5, 3e-4), (2999, 3e-5)], "step,lr", "step -5 is not a step"),
        ([(2160.5, 3e-4), (2999.7, 3e-5)], "step,lr", "step 2160.5 is not a step"),
        ([(0, 0), (100, 0)], "step,lr", "the learning rate is 0 at every step after the warm-up"),
        (
            [("a", 200, 3e-4), ("a", 2999, 3e-5), ("b", 200, 1e-3), ("b", 2999, 1e-4)],
            "run,step,lr",
            "holds the schedules of 2 runs (column 'run': 'a', 'b'); a schedule file is one run's",
        ),
    ],
)
def test_schedule_files_that_are_no_schedule_are_named(
    tmp_path, capsys, fit_file, rows, header, message
) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "lr.csv", rows, header)
    code, out, err = _predict(capsys, "--fit", fit_file, "--schedule-file", path)
    assert code == 2 and message in err and str(path) in err, err
    assert "Traceback" not in err and "inf" not in out


def test_run_picks_one_run_of_a_schedule_file(tmp_path, capsys, fit_file) -> None:  # type: ignore[no-untyped-def]
    rows = [("a", 200, 3e-4), ("a", 2999, 3e-5), ("b", 200, 1e-3), ("b", 2999, 1e-4)]
    path = _write(tmp_path / "lr.csv", rows, "run,step,lr")
    code, out, err = _predict(capsys, "--fit", fit_file, "--schedule-file", path, "--run", "b")
    assert code == 0, err
    assert "lr.csv (run b)" in out and "0.001" in out
    code, _, err = _predict(capsys, "--fit", fit_file, "--schedule-file", path, "--run", "c")
    assert code == 2 and "holds no run 'c'" in err and "its runs are: a, b" in err


def test_run_of_another_case_or_a_slip_is_offered(tmp_path, capsys, fit_file) -> None:  # type: ignore[no-untyped-def]
    # as --train's names are: a W&B run name typed as it reads elsewhere (25M for 25m)
    rows = [("cosine-25m", 200, 3e-4), ("cosine-25m", 2999, 3e-5), ("wsd-25m", 200, 3e-4)]
    path = _write(tmp_path / "lr.csv", [*rows, ("wsd-25m", 2999, 3e-5)], "run,step,lr")
    for typed in ("Cosine-25M", "cosin-25m"):
        code, _, err = _predict(capsys, "--fit", fit_file, "--schedule-file", path, "--run", typed)
        assert code == 2 and f"holds no run {typed!r}; did you mean 'cosine-25m'?" in err, err


def test_a_warmup_that_does_not_fit_names_the_file_and_the_option(
    tmp_path, capsys, fit_file
) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "lr.csv", [(200, 3e-4), (2999, 3e-5)], "step,lr")
    args = ["--fit", fit_file, "--schedule-file", path, "--warmup", "30000"]
    code, _, err = _predict(capsys, *args)
    assert code == 2
    assert f"{Path(path)}: a warm-up of 30000 steps does not fit in the 3000 steps" in err
    assert "--warmup" in err


def test_points_shapes_the_table_and_the_json_holds_every_predicted_step(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    # --points is the table's rows; --json gives the whole predicted curve, as its help says
    assert main(["curves", "predict", "--help"]) == 0
    helped = " ".join(capsys.readouterr().out.replace("│", " ").split())
    assert "Rows of the table, the first and final steps among them" in helped
    assert "--json holds every predicted step (240 from warm-up to the end)" in helped
    args = ["--fit", fit_file, "--schedule", "cosine:steps=3000", "--json"]
    whole = json.loads(_predict(capsys, *args)[1])
    two = json.loads(_predict(capsys, *args, "--points", "2")[1])
    assert len(two["step"]) == len(whole["step"]) == 240 and two["step"] == whole["step"]
    assert whole["step"][0] == 200 and whole["step"][-1] == 2999


def test_a_spec_without_steps_is_told_to_add_them_not_that_a_fit_fills_them(
    fit_file, capsys
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _predict(capsys, "--fit", fit_file, "--schedule", "cosine")
    assert code == 2
    assert "schedule 'cosine': steps= is missing" in err
    said = " ".join(err.split())
    assert (
        "hint: add steps=N, the total steps with warm-up, e.g. cosine:steps=3000 (the fitted "
        "curves ran 3,000 steps); a fit fills peak, end and warmup, never steps"
    ) in said
    with pytest.raises(ConfigError) as no_fit:
        parse_schedule("wsd:decay=0.2,peak=3e-4")
    assert no_fit.value.hint == (
        "add steps=N, the total steps, warm-up included (steps=24000 or steps=24K): nothing "
        "fills it, a fitted curve law neither"
    )


def test_the_json_is_the_predictions_to_dict_and_warnings_are_apart(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    """``curves predict --json`` is ``format``, ``source`` and ``law``, then
    ``CurvePrediction.to_dict()``: the same notes, and the same warnings (too few resamples
    for 99.9%), which Python keeps apart from the notes as the JSON does."""
    from scalinglab.curves import CurveFit

    spec, level = "wsd:0.2,steps=3000", 0.999
    code, out, err = _predict(capsys, "--fit", fit_file, "--schedule", spec, "--level", "0.999",
                              "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    fit = CurveFit.load(fit_file)
    pred = fit.predict(spec, level=level)
    assert [*data][:3] == ["format", "source", "law"] and data["law"] == "tissue"
    assert {k: v for k, v in data.items() if k not in ("format", "source", "law")} == json.loads(
        json.dumps(pred.to_dict())
    )
    few = "intervals from 100 resamples only: their ends are noise at 99.9%"
    assert len(pred.warnings) == 1 and pred.warnings[0].startswith(few)
    assert data["warnings"] == list(pred.warnings)
    assert not any("resamples only" in n for n in (*pred.notes, *data["notes"]))
    final = fit.final_loss(spec, level=level)
    assert final.warnings == pred.warnings and final.notes == pred.notes
    assert final.to_dict() == {
        "schedule": final.schedule, "level": level, "loss": pred.loss[-1],
        "loss_lower": pred.lower[-1], "loss_upper": pred.upper[-1],
        "notes": list(pred.notes), "warnings": list(pred.warnings),
    }  # fmt: skip
    assert repr(final).endswith(", warnings=1)")  # counted; .warnings holds the text


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [  # it said "no 'lr' column", hint "write one learning rate per step", whatever the file
        ("step,my_lr\n0,1e-4\n3000,3e-5\n", "among its columns 'step', 'my_lr'", "rename"),
        ("0,1e-4\n3000,3e-5\n", "its first line ('0', '1e-4') holds numbers", "step,lr"),
    ],
)
def test_a_schedule_file_without_an_lr_column_says_what_it_has(
    tmp_path, capsys, fit_file, text, message, hint
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lr.csv"
    path.write_text(text)
    code, _, err = _predict(capsys, "--fit", fit_file, "--schedule-file", str(path))
    assert code == 2 and f"{path}: no 'lr' column" in err and message in err, err
    assert hint in err.split("hint:")[1] and "Traceback" not in err


def test_steps_are_grouped_in_the_table_and_notes(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    # as compare's title and the reading notes write them: 12,000 steps, not 12000
    code, out, _ = _predict(capsys, "--fit", fit_file, "--schedule", "cosine:steps=12K")
    text = " ".join(out.split())
    assert code == 0 and "│ 11,999 │" in out and "│ 11999 │" not in out
    assert "12,000 steps, 0.60 decades beyond the longest fitted curve's 3,000" in text
    code, _, err = _predict(capsys, "--fit", fit_file, "--schedule", "cosine")
    assert code == 2 and "(the fitted curves ran" in err and "3,000 steps)" in err


def test_a_sized_fit_without_params_is_told_the_option(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # the command line's words, not the library's params=N, in predict and compare alike
    path = tmp_path / "sized.json"
    fit_curves(sized_curves()[0], law="sized:tissue", bootstrap=0).save(path)
    for args in (
        ["curves", "predict", "--fit", str(path), "--schedule", "cosine:steps=3000"],
        ["curves", "compare", "--fit", str(path), "--steps", "3000"],
    ):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "error: --params is missing: a sized:tissue fit predicts the loss" in err, err
        assert "hint: give one, e.g. --params " in err and "params=N" not in err
