"""The `curves` commands label their intervals and say what to read with their numbers:
level and resamples in headers, notes in text and JSON, step counts and sizes with units,
schedule files by name, and `fit --from-curves` without tokens makes no FLOPs plan."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from tests.test_cli_curves import _write, _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_notes import TISSUE, sized_curves

from scalinglab import ConfigError, fit_curves
from scalinglab.cli import main
from scalinglab.curves import CurveFit, Tissue
from scalinglab.curves._caveats import COVERS


@pytest.fixture(scope="module")
def fit_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A Tissue fit of 4 curves with 40 resamples of whole curves."""
    path = tmp_path_factory.mktemp("fit") / "fit.json"
    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=1e-3, seed=0)
    fit_curves(curves, law="tissue", bootstrap=40, resample="curves").save(path)
    return str(path)


def test_headers_give_level_count_and_kind(fit_file, capsys) -> None:  # type: ignore[no-untyped-def]
    spec = "wsd:decay=0.2,steps=3000"
    assert main(["curves", "predict", "--fit", fit_file, "--schedule", spec]) == 0
    assert "90% interval (40 whole-curve resamples)" in capsys.readouterr().out
    args = ["curves", "compare", "--fit", fit_file, "--steps", "3K", "--level", "0.5"]
    assert main(args) == 0
    out = capsys.readouterr().out
    # 3K read as 3000; the level in the columns, the resamples in the title
    assert "final loss after 3,000 steps; intervals from 40 whole-curve resamples" in out
    assert out.count("50% interval") == 2
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["steps"], data["level"]) == (3000, 0.5)


def test_compare_without_a_bootstrap_says_there_is_no_interval(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "f.json"
    fit_curves(
        _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0), law="tissue", bootstrap=0
    ).save(path)
    no_interval = (
        "no interval: the fit has no bootstrap (curves fit --bootstrap 100; "
        "fit_curves(..., bootstrap=100))"
    )
    assert main(["curves", "compare", "--fit", str(path), "--steps", "3000"]) == 0
    assert f"note: {no_interval}" in capsys.readouterr().out
    assert main(["curves", "compare", "--fit", str(path), "--steps", "3000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["notes"][1:] == [no_interval]
    assert main(["curves", "compare", "--fit", str(path), "--steps", "3000.5"]) == 2
    assert "--steps=3000.5 is not a whole number of steps" in capsys.readouterr().err


def test_compare_notes_an_estimate_outside_its_interval_in_json(fit_file, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    fit = CurveFit.load(fit_file)
    draws = np.tile([fit.coefs[n] for n in Tissue().param_names], (40, 1))
    draws[:, 0] += np.linspace(0.01, 0.02, 40)  # every resample's L0 above the fit's
    path = tmp_path / "shifted.json"
    replace(fit, samples=draws).save(path)
    args = ["curves", "compare", "--fit", str(path), "--steps", "3000", "--schedules", "wsd:0.2"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    row = data["schedules"][0]
    assert row["lower"] > row["loss"]
    assert data["notes"][1:] == [COVERS]  # what the intervals cover, last
    assert data["warnings"] == [  # as a fitted coefficient outside its interval is one
        "cosine: the final loss lies outside its interval (the resamples are shifted from "
        "the fit): read the interval",
        "wsd:0.2: the final loss lies outside its interval (the resamples are shifted from "
        "the fit): read the interval",
    ]


def test_compare_warns_of_a_size_far_beyond_the_fitted_ones(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sized.json"
    fit_curves(sized_curves()[0], law="sized:tissue", bootstrap=0).save(path)
    args = ["curves", "compare", "--fit", str(path), "--steps", "3000", "--params", "7B"]
    assert main(args) == 0
    warning = (
        "params 7B is 1.85 decades beyond the fitted sizes (25M–100M): L0 and A are "
        "extrapolated as powers of N from 2 sizes"
    )
    assert f"warning: {warning}" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    assert warning in json.loads(capsys.readouterr().out)["warnings"]  # not in its notes
    assert main(["curves", "compare", "--fit", str(path), "--steps", "3000"]) == 2
    assert "hint: give one, e.g. --params 100M (sizes fitted: 25M–100M)" in capsys.readouterr().err


def test_a_schedule_file_is_named_by_its_file_and_takes_a_warmup(
    fit_file, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    s = _synthetic(Tissue(), TISSUE, SPECS[3:], noise=0, seed=0)[0].schedule  # wsd, warm-up 200
    path = _write(
        tmp_path / "wsd_2400_3000.csv", [(k, s.lr[k]) for k in range(208, 3000, 16)], "step,lr"
    )
    args = ["curves", "predict", "--fit", fit_file, "--schedule-file", path, "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schedule"] == "wsd_2400_3000.csv" and data["warmup"] == 208
    assert (
        "wsd_2400_3000.csv: a warm-up of 208 steps where the fitted curves had 200: the "
        "warm-up's share of the loss is extrapolated"
    ) in data["notes"][-2]
    assert data["notes"][-1] == COVERS
    assert main([*args, "--warmup", "200"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["warmup"] == 200 and not any("warm-up of" in n for n in data["notes"])
    assert (
        main(
            [
                "curves",
                "predict",
                "--fit",
                fit_file,
                "--schedule",
                "cosine:steps=3K",
                "--warmup",
                "9",
            ]
        )
        == 2
    )
    assert "--warmup is for --schedule-file" in capsys.readouterr().err


@pytest.mark.heavy
def test_fit_from_curves_plans_compute_only_with_tokens_per_step(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write_curves(tmp_path / "c.csv", sized_curves()[0])
    args = ["fit", "--from-curves", path, "--bootstrap", "0", "--no-compare"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "compute-optimal allocation" not in out
    assert (
        "note: no compute plan: without --tokens-per-step D counts steps, not tokens, so "
        "C = 6·N·D is not in FLOPs; pass --tokens-per-step"
    ) in out
    assert "fitted to 6 curves" in out
    flat = " ".join(out.split())
    assert "flops derived as 6·N·D" not in flat  # it read as FLOPs beside the line above
    assert "flops column = 6·N·steps (no --tokens-per-step): compute in steps" in flat
    assert main([*args, "--tokens-per-step", "0.5M", "--json"]) == 0
    said = capsys.readouterr()
    fitted = json.loads(said.out)
    # with tokens per step the compute is in FLOPs, and what still stops a plan is the runs'
    # two model sizes (A, alpha and E not identified separately), not the steps
    assert "no compute plan" not in said.err
    assert fitted["plan_withheld"].startswith("plan table withheld: the runs do not identify")
    assert "params takes 2 distinct values (25M, 100M)" in " ".join(fitted["warnings"])


def test_one_curve_is_one_curve(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    c = _synthetic(Tissue(), TISSUE, SPECS[:1], noise=0, seed=0)[0]
    path = _write(
        tmp_path / "one.csv",
        [(int(k), c.schedule.lr[k], v) for k, v in zip(c.step, c.loss, strict=True)],
    )
    assert main(["curves", "fit", path, "--law", "tissue", "--warmup", "200"]) == 0
    out = capsys.readouterr().out
    assert "tissue fitted to 1 curve" in out and "at bound: none" in out


def test_map_chooses_the_loss_column_of_a_curve_file(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A file with train_loss and val_loss is refused, naming both and --map (columns= in
    Python); --map loss=val_loss fits the one, loss=train_loss the other; a mapped column
    the file lacks is named."""
    import pandas as pd

    from scalinglab import DataError
    from scalinglab.curves import read_lr_curves

    curves = _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0)
    rows = [
        {"run": c.run, "step": int(k), "lr": c.schedule.lr[k], "train_loss": v, "val_loss": v + 0.1}
        for c in curves
        for k, v in zip(c.step, c.loss, strict=True)
    ]
    path = tmp_path / "both.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        read_lr_curves(path, warmup=200)
    assert str(err.value) == (
        f"{path}: columns 'train_loss', 'val_loss' could each be loss; which one is it? "
        "(say which: --map loss=train_loss, or columns={'loss': 'train_loss'} in Python)"
    )
    train = read_lr_curves(path, warmup=200, columns={"loss": "train_loss"})
    val = read_lr_curves(path, warmup=200, columns={"loss": "val_loss"})
    assert np.allclose(val[0].loss, train[0].loss + 0.1)
    args = ["curves", "fit", str(path), "--law", "tissue", "--warmup", "200", "--bootstrap", "0"]
    assert main(args) == 2
    assert " ".join(capsys.readouterr().err.split()) == (  # (wrapped at the console width)
        f"error: {path}: columns 'train_loss', 'val_loss' could each be loss; which one is "
        "it? hint: say which: --map loss=train_loss, or columns={'loss': 'train_loss'} in Python"
    )
    assert main([*args, "--map", "loss=val_loss", "--json"]) == 0
    fitted = json.loads(capsys.readouterr().out)
    assert fitted["coefs"]["L0"] == pytest.approx(TISSUE["L0"] + 0.1, abs=0.05)
    assert main([*args, "--map", "loss=train_loss", "--json"]) == 0
    fitted = json.loads(capsys.readouterr().out)
    assert fitted["coefs"]["L0"] == pytest.approx(TISSUE["L0"], abs=0.05)
    assert main([*args, "--map", "loss=eval_loss"]) == 2
    err = capsys.readouterr().err
    assert "no column 'eval_loss' to read loss from" in err and "'val_loss'" in err
    with pytest.raises(ConfigError, match="cannot map 'los'"):
        read_lr_curves(path, columns={"los": "val_loss"})


def test_a_misspelt_map_target_names_the_curve_column_meant(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from scalinglab.curves import read_lr_curves

    # it said only "cannot map 'los': curve columns are ...", with no hint
    path = tmp_path / "curves.csv"
    path.write_text("run,step,lr,train_loss\na,0,1e-4,3.0\na,100,1e-4,2.9\n")
    assert main(["curves", "fit", str(path), "--map", "los=train_loss", "--bootstrap", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "cannot map 'los': curve columns are run, step, loss, params, lr; did you mean " in err
    assert "hint: name a curve column: --map loss=train_loss, or columns={'loss': " in err
    with pytest.raises(ConfigError) as raised:
        read_lr_curves(path, columns={"foo": "train_loss"})
    assert "did you mean" not in raised.value.message
    assert raised.value.hint == (
        "name a curve column: --map loss=train_loss, or columns={'loss': 'train_loss'} in Python"
    )
