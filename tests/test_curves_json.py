"""``scalinglab curves ... --json``: the result alone on stdout, the same numbers as the
tables and the library."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scalinglab.cli import main
from scalinglab.curves import CurveFit, Tissue, compare_schedules, parse_schedule

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = {
    "cos": "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "con": "constant:peak=3e-4,warmup=200,steps=3000",
    "wsd": "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
    "ms": "multistep:peak=3e-4,warmup=200,at=1500,lr=9e-5,steps=3000",
}


@pytest.fixture
def curves_csv(tmp_path):  # type: ignore[no-untyped-def]
    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    rows = ["run,step,lr,loss"]
    for run, spec in SPECS.items():
        s = parse_schedule(spec)
        st = np.arange(200, 3000, 50)
        loss = law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]
        rows += [
            f"{run},{k},{float(s.lr[k])!r},{float(v)!r}" for k, v in zip(st, loss, strict=True)
        ]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def _json(capsys, argv):  # type: ignore[no-untyped-def]
    assert main(argv) == 0
    out = capsys.readouterr().out
    return json.loads(out)  # the whole of stdout parses: nothing else was printed


def test_curves_commands_print_json_alone(tmp_path, capsys, curves_csv):
    fit_path = tmp_path / "fit.json"
    args = ["curves", "fit", str(curves_csv), "--law", "tissue", "--warmup", "200"]
    fitted = _json(capsys, [*args, "--bootstrap", "0", "--json", "--out", str(fit_path)])
    assert fitted["format"] == "scalinglab.curve_fit/1" and fitted["law"] == "tissue"
    for name, value in TRUTH.items():  # noise-free curves: the truth recovered
        assert fitted["coefs"][name] == pytest.approx(value, rel=1e-4), name
    assert json.loads(fit_path.read_text())["coefs"] == fitted["coefs"]

    pred = _json(
        capsys,
        ["curves", "predict", "--fit", str(fit_path), "--schedule", "wsd:0.1,steps=4000", "--json"],
    )
    fit = CurveFit.load(fit_path)
    direct = fit.predict(fit.schedule(pred["schedule"]))
    assert pred["step"] == direct.step.tolist() and len(pred["loss"]) == len(direct.step)
    assert np.allclose(pred["loss"], direct.loss, rtol=1e-12)
    assert pred["lower"][0] == "nan"  # no bootstrap: no interval, written as a string
    # by default a curve fit has intervals, as every other fit: 100 resamples
    default = _json(capsys, [*args, "--json"])
    assert len(default["samples"]) == 100 and default["resample"] == "wild-jackknife"  # 3 curves
    lo, hi = default["intervals"]["alpha"]
    assert lo <= default["coefs"]["alpha"] <= hi and hi - lo > 0

    cmp = _json(
        capsys,
        ["curves", "compare", "--fit", str(fit_path), "--steps", "3000",
         "--schedules", "wsd:0.2,linear", "--json"],
    )  # fmt: skip
    rows = compare_schedules(fit, steps=3000, schedules=["wsd:0.2", "linear"])
    assert [r["spec"] for r in cmp["schedules"]] == ["wsd:0.2", "linear"]
    assert [r["loss"] for r in cmp["schedules"]] == pytest.approx([r.loss for r in rows])
    assert sum(r["best"] for r in cmp["schedules"]) == 1

    bt = _json(
        capsys,
        ["curves", "backtest", str(curves_csv), "--train", "cos,con,ms", "--law", "tissue",
         "--warmup", "200", "--json"],
    )  # fmt: skip
    assert bt["train"] == ["cos", "con", "ms"] and [h["run"] for h in bt["held_out"]] == ["wsd"]
    # noise-free: only the lr logged every 50 steps (interpolated in between) differs; 1.3e-5
    assert bt["held_out"][0]["max_are"] < 1e-4
    assert bt["mean_are"] == pytest.approx(bt["held_out"][0]["mean_are"])


def test_curves_json_errors_stay_one_line(capsys, curves_csv):  # type: ignore[no-untyped-def]
    code = main(["curves", "predict", "--fit", "nope.json", "--schedule", "cosine", "--json"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "nope.json: fit file not found" in captured.err


def test_fit_from_curves_reads_a_run_store_by_run_name(tmp_path):  # type: ignore[no-untyped-def]
    """A ladder's store works directly: curves by rung name, the warm-up found from the
    logged rate (logged every 5 steps from step 5, rising until step 200)."""
    import pandas as pd

    from scalinglab.curves import read_store_curves
    from scalinglab.store import RunStore, StoredRun

    law = Tissue()
    p = np.array([[TRUTH[n] for n in law.param_names]])
    store = RunStore(tmp_path / "runs.duckdb")
    for name in ("cos", "con", "wsd"):
        s = parse_schedule(SPECS[name])
        st = np.arange(5, 3000, 5)
        loss = law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]
        frame = pd.DataFrame({"step": st, "lr": s.lr[st], "train_loss": loss})
        store.put_run(
            StoredRun(run_id=f"id-{name}", name=name, status="finished", params=1e8, loss=loss[-1]),
            curve=frame,
        )
    curves = read_store_curves(tmp_path / "runs.duckdb")
    assert sorted(c.run for c in curves) == ["con", "cos", "wsd"]
    assert {c.schedule.warmup for c in curves} == {200}
    from scalinglab.cli._cmd_curves_use import runs_from_curves

    # what `scalinglab fit --from-curves runs.duckdb` fits: cooled-down checkpoints of the
    # constant run and of the WSD run before its decay (one size: no law across sizes)
    table, notes, _, _ = runs_from_curves([tmp_path / "runs.duckdb"], cooldown=0.2, law="tissue")
    assert len(table) >= 12 and "predicted by tissue fitted to 3 curves" in notes[0]
    assert np.all(np.isfinite(table["loss"])) and set(table["params"]) == {1e8}
