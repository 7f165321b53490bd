"""The `scalinglab curves` commands and `fit --from-curves`: fit, predict, compare, backtest,
the run store, schedule files and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_curves import MPL_TRUE, SPECS, _synthetic, needs_lr

from scalinglab import ConfigError, DataError, Schedule, fit_curves, parse_schedule
from scalinglab.cli import main
from scalinglab.curves import (
    Curve,
    CurveFit,
    MultiPower,
    Tissue,
    read_lr_curves,
)


def _write(path, rows, header="step,lr,loss"):
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    return str(path)


def _write_curves(path, curves):
    """The curves as one long table: run, step, the schedule's lr at that step, loss (and
    params, when every curve has a size)."""
    sized = all(np.isfinite(c.params) for c in curves)
    rows = [
        (c.run, *([c.params] if sized else []), int(k), c.schedule.lr[k], v)
        for c in curves
        for k, v in zip(c.step, c.loss, strict=True)
    ]
    return _write(path, rows, "run,params,step,lr,loss" if sized else "run,step,lr,loss")


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            [(1, 3.0), (2, 2.9)],
            "step,loss",
            "and no schedule given: a curve law needs the learning rate",
        ),
        ([(1, -1e-3, 3.0), (2, 1e-3, 2.9)], "step,lr,loss", "-0.001 at step 1 is negative"),
        # (a blank or NaN lr is a rate not logged there: tests/test_curves_reading.py)
        ([(1, "inf", 3.0), (2, 1e-3, 2.9)], "step,lr,loss", "inf at step 1 is infinite"),
        ([(5, 1e-3, 3.0), (2, 1e-3, 2.9)], "step,lr,loss", "steps must increase"),
    ],
)
def test_cli_bad_curves_are_one_line_errors(tmp_path, capsys, rows, header, message):
    path = _write(tmp_path / "c.csv", rows, header)
    assert main(["curves", "fit", path]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_bad_schedule_spec_and_too_few_points(tmp_path, capsys):
    s = parse_schedule(SPECS[0])
    rows = [(k, s.lr[k], 3.0 - k * 1e-4) for k in (300, 600, 900)]
    path = _write(tmp_path / "c.csv", rows)
    assert main(["curves", "fit", path]) == 2
    assert "need more points than parameters" in capsys.readouterr().err
    assert main(["curves", "fit", path, "--law", "tissue", "--out", str(tmp_path / "f.json")]) == 2
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=0, seed=0)
    fit_curves(curves, law="tissue", bootstrap=0).save(tmp_path / "f.json")
    assert (
        main(
            [
                "curves",
                "predict",
                "--fit",
                str(tmp_path / "f.json"),
                "--schedule",
                "wsd:peak=3e-4,decay=oops,steps=3000",
            ]
        )
        == 2
    )
    assert "decay='oops' is not a number" in capsys.readouterr().err


def test_cli_fit_predict_compare(tmp_path, capsys):
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=0, seed=0, every=100)
    path = _write_curves(tmp_path / "c.csv", curves)
    out = tmp_path / "fit.json"
    assert (
        main(["curves", "fit", path, "--law", "tissue", "--warmup", "200", "--out", str(out)]) == 0
    )
    assert json.loads(out.read_text())["law"] == "tissue"
    assert (
        main(["curves", "predict", "--fit", str(out), "--schedule", "wsd:decay=0.2,steps=3000"])
        == 0
    )
    assert (
        main(
            [
                "curves",
                "compare",
                "--fit",
                str(out),
                "--steps",
                "3000",
                "--schedules",
                "cosine,wsd:0.2,linear",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "(best)" in text and "gain over cosine" in text


def _two_sizes(tmp_path):
    """Multi-power curves of two sizes, three schedules each, as one curve file."""
    from scalinglab.curves._sized import SizedLaw

    truth = {**MPL_TRUE, "l0_N": 0.08, "A_N": 0.05}
    sizes = (2.5e7, 1e8)
    law = SizedLaw(MultiPower()).with_sizes([n for n in sizes for _ in SPECS[:3]], n_ref=1e8)
    scheds = [parse_schedule(s) for _ in sizes for s in SPECS[:3]]
    steps = [np.arange(s.warmup, s.steps, 50) for s in scheds]
    val, _ = law.evaluate(
        np.array([[truth[n] for n in law.param_names]]), law.prepare(scheds, steps), jacobian=False
    )
    rows, i = [], 0
    for n, s, t in zip(law.sizes, scheds, steps, strict=True):
        for k in t:
            rows.append((f"{n:g}-{s.spec.split(':')[0]}", n, int(k), s.lr[k], val[0, i]))
            i += 1
    return _write(tmp_path / "c.csv", rows, "run,params,step,lr,loss")


@needs_lr
@pytest.mark.heavy  # 2.5 s in the suite on a 2-core AMD EPYC
def test_cli_fit_from_curves_of_two_sizes(tmp_path, capsys):
    path = _two_sizes(tmp_path)
    code = main(["fit", "--from-curves", path, "--bootstrap", "0", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    fitted = json.loads(out.out)
    # the runs fitted are cooldowns at checkpoints of the runs still at their peak rate:
    # the constant ones and the multistep ones before their step (never the cosine ones)
    assert fitted["law"] == "chinchilla" and len(fitted["runs"]) >= 20
    assert all(r.endswith("+cooldown") and "cosine" not in r for r in fitted["runs"])
    assert {r.split("-")[1].split("@")[0] for r in fitted["runs"]} == {"constant", "multistep"}
    assert fitted["source"].startswith(f"cooled-down losses predicted from the curves of {path}")


def test_store_curves_fit_directly(tmp_path, capsys):
    import pandas as pd

    from scalinglab.store import RunStore, StoredRun

    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=0, seed=0, every=50)
    store = RunStore(tmp_path / "runs.duckdb")
    for c in curves:
        frame = pd.DataFrame({"step": c.step, "lr": c.schedule.lr[c.step], "train_loss": c.loss})
        store.put_run(
            StoredRun(run_id=c.run, name=c.run, status="finished", params=1e8, loss=c.loss[-1]),
            curve=frame,
        )
    out = tmp_path / "fit.json"
    assert (
        main(
            [
                "curves",
                "fit",
                "--store",
                str(tmp_path / "runs.duckdb"),
                "--law",
                "tissue",
                "--warmup",
                "200",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    fitted = CurveFit.load(out)
    for name, value in truth.items():
        assert fitted.coefs[name] == pytest.approx(value, rel=1e-3), name
    assert main(["curves", "fit"]) == 2
    assert "give CURVES or --store" in capsys.readouterr().err


def test_cli_backtest_with_figure(tmp_path, capsys):
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=1e-3, seed=6, every=50)
    path = _write_curves(tmp_path / "c.csv", curves)
    fig = tmp_path / "bt.png"
    code = main(
        [
            "curves",
            "backtest",
            path,
            "--train",
            "run0,run1,run2",
            "--law",
            "tissue",
            "--warmup",
            "200",
            "--plot",
            str(fig),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "run3" in out and fig.stat().st_size > 10_000
    # the held-out WSD curve is predicted within the noise
    mean_error = float(out.split("run3")[1].split("%")[0].split()[-1])
    assert mean_error < 0.2


def test_schedule_from_function_and_predict_from_a_schedule_file(tmp_path, capsys):
    s = Schedule.from_function(
        lambda k: 3e-4 * min(1.0, k / 200) * 0.9995 ** max(0, k - 200), steps=3000, warmup=200
    )
    assert s.lr[100] == pytest.approx(1.5e-4) and s.lr[1200] == pytest.approx(3e-4 * 0.9995**1000)
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    fit_curves(_synthetic(Tissue(), truth, SPECS, noise=0, seed=0), law="tissue", bootstrap=0).save(
        tmp_path / "f.json"
    )
    lr = tmp_path / "lr.csv"
    lr.write_text("lr\n" + "\n".join(str(v) for v in s.lr) + "\n")
    assert (
        main(["curves", "predict", "--fit", str(tmp_path / "f.json"), "--schedule-file", str(lr)])
        == 0
    )
    out = capsys.readouterr().out
    p = np.array([[truth[n] for n in Tissue().param_names]])
    last = Tissue().evaluate(p, Tissue().prepare([s], [np.array([2999])]), jacobian=False)[0][0, 0]
    assert f"{last:.4f}" in out  # the table's last row is the final step


def test_one_short_curve_is_refused_by_name(tmp_path, capsys):
    curves = _synthetic(
        Tissue(), {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}, SPECS[:2], noise=0, seed=0
    )
    s = curves[0].schedule
    short = Curve("tiny", np.array([500, 900]), np.array([3.5, 3.4]), s)
    with pytest.raises(ConfigError, match=r"curve 'tiny' .* 2 logged points, fewer than the 4"):
        fit_curves([*curves, short], law="tissue", bootstrap=0)


def test_cli_predicts_a_larger_model_from_a_fit_across_sizes(tmp_path, capsys):
    from tests.test_curves_notes import sized_curves

    curves, law, p = sized_curves()
    path = _write_curves(tmp_path / "c.csv", curves)
    out = tmp_path / "f.json"
    assert (
        main(["curves", "fit", path, "--law", "sized:tissue", "--warmup", "200", "--out", str(out)])
        == 0
    )
    big = law.with_sizes([4e8], n_ref=1e8)
    s = parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000")
    expect = big.evaluate(p, big.prepare([s], [np.array([2999])]), jacobian=False)[0][0, 0]
    capsys.readouterr()
    assert (
        main(
            [
                "curves",
                "predict",
                "--fit",
                str(out),
                "--params",
                "400M",
                "--schedule",
                "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
            ]
        )
        == 0
    )
    assert f"{expect:.4f}" in capsys.readouterr().out
    assert main(["curves", "predict", "--fit", str(out), "--schedule", "cosine:steps=3000"]) == 2
    assert "error: --params is missing: a sized:" in capsys.readouterr().err


def test_a_run_in_two_files_is_refused_naming_both(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scalinglab import DataError

    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(
            "run,step,lr,loss\n" + "".join(f"r1,{s},0.001,{4 - s / 100}\n" for s in range(1, 6))
        )
    with pytest.raises(DataError, match=r"\['r1'\] appear more than once") as err:
        read_lr_curves([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert "a.csv" in str(err.value) and "b.csv" in str(err.value)


def test_a_fit_written_beside_its_curves_is_skipped_when_the_folder_is_read(tmp_path, capsys):
    folder = tmp_path / "c25"
    folder.mkdir()
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:2], noise=0, seed=0, every=200)
    files = [
        _write(
            folder / f"{c.run}.csv",
            [(int(k), c.schedule.lr[k], v) for k, v in zip(c.step, c.loss, strict=True)],
        )
        for c in curves
    ]
    fit = folder / "fit.json"
    args = ["curves", "fit", "--law", "tissue", "--bootstrap", "0", "--out", str(fit)]
    for _ in range(2):  # rewriting one's own curve fit passes
        assert main([*args, *files]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["curves", "fit", str(folder), "--law", "tissue", "--bootstrap", "0"]) == 0
    err = capsys.readouterr().err
    assert err == f"note: skipped {fit}: a curve fit, not a curve file\n"
    assert [c.run for c in read_lr_curves(folder)] == [c.run for c in curves]
    for f in files:
        Path(f).unlink()
    with pytest.raises(DataError, match=r"no curve files in this folder \(only 1 scalinglab"):
        read_lr_curves(folder)


@needs_lr
@pytest.mark.heavy
def test_cli_fit_from_curves_passes_the_curve_fits_warnings_on(tmp_path, capsys, monkeypatch):
    import dataclasses

    import scalinglab.curves as curves

    path = _two_sizes(tmp_path)
    real = curves.fit_curves
    said = "coefficient C ended at a bound of its range"  # as a curve fit may warn

    def warned(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), warnings=(said,))

    monkeypatch.setattr(curves, "fit_curves", warned)
    saved = tmp_path / "fc.json"
    code = main(["fit", "--from-curves", path, "--bootstrap", "0", "--json", "--out", str(saved)])
    out = capsys.readouterr()
    assert code == 0, out.err
    line = f"the curve fit (sized:multipower): {said}"
    data = json.loads(out.out)
    # among the fit's warnings, not its notes: saved with it, so it is not trusted...
    assert line in data["warnings"] and not any(said in n for n in data["notes"])
    from scalinglab import FitResult

    loaded = FitResult.load(saved)
    assert line in loaded.warnings and not loaded.trusted
    # ...and the commands that read the fit repeat it
    assert main(["predict", "--fit", str(saved), "--params", "1e8", "--tokens", "1e4"]) == 0
    assert f"warning: {line}" in " ".join(capsys.readouterr().out.split())
    assert main(["fit", "--from-curves", path, "--bootstrap", "0"]) == 0
    assert f"\nwarning: {line}\n" in capsys.readouterr().out  # shown as a warning
