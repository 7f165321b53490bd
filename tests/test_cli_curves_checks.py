"""The curve commands say what their fit says: a law across sizes on one size refused,
compare naming the schedules it evaluated, backtest's notes and coefficients at bounds,
and `fit --from-curves` screening, noting and showing the points it derives."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_curves import _write_curves
from tests.test_curves import SPECS, _synthetic
from tests.test_curves_checks import TO_ZERO
from tests.test_curves_notes import TISSUE, sized_curves

from scalinglab.cli import main
from scalinglab.curves import Tissue

#: How a fit's note on runs derived from curves begins: its intervals hold the curve fit's
#: uncertainty (tests/test_fit_from_curves.py has the note whole).
CURVE_UNCERTAINTY = "intervals carry the curve fit's uncertainty: one bootstrap runs through both"


def test_curves_fit_refuses_a_law_across_sizes_on_one_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_curves(tmp_path / "c.csv", sized_curves()[0][:3])
    assert main(["curves", "fit", path, "--law", "sized:tissue", "--bootstrap", "0"]) == 2
    err = capsys.readouterr().err
    assert "every curve is of one size (25M): l0_N and A_N cannot be fitted" in err
    assert "hint: fit the plain law 'tissue' (--law tissue), or add curves" in err


def test_compare_names_every_schedule_it_evaluated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scalinglab import fit_curves

    path = tmp_path / "zero.json"
    fit_curves(_synthetic(Tissue(), TISSUE, TO_ZERO, noise=0, seed=0), law="tissue").save(path)
    args = ["curves", "compare", "--fit", str(path), "--steps", "3000", "--schedules", "wsd:0.2"]
    filled = (
        "each schedule over 3,000 steps, with the fit's peak=0.0003, end at 0 of the peak and warmup=200 "
        "where its spec leaves them out (so cosine is "
        "cosine:end=0,peak=0.0003,steps=3000,warmup=200)"
    )
    assert main(args) == 0
    assert f"note: {filled}" in capsys.readouterr().out
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["baseline_schedule"] == "cosine:end=0,peak=0.0003,steps=3000,warmup=200"
    assert data["schedules"][0]["schedule"] == (
        "wsd:decay=0.2,end=0,peak=0.0003,shape=linear,steps=3000,warmup=200"
    )
    assert data["notes"][0] == filled


def test_backtest_says_what_curves_fit_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.curves import _fit_curves

    monkeypatch.setattr(_fit_curves, "_at_bound", lambda law, params: ("L0", "alpha"))
    path = _write_curves(tmp_path / "c.csv", _synthetic(Tissue(), TISSUE, SPECS, noise=0, seed=0))
    args = ["curves", "backtest", path, "--train", "run0,run1,run2", "--law", "tissue"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "tissue fitted on run0, run1, run2 (converged)" in out
    assert "starts reached the best fit; at bound: L0, alpha; rms log residual" in out
    assert "warning: 2 coefficients ended at a bound of their range (L0, alpha)" in out
    # what reading the curves assumed: of the training curves, then of the held-out one
    assert "note: 3 curves: not logged before step 200: a linear rise from 0 over 200" in out
    assert "note: run3: not logged before step 200: a linear rise from 0 over 200" in out
    assert "schedule values a spec leaves out" not in out  # backtest reads no spec
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["at_bound"]) == ("converged", ["L0", "alpha"])
    assert data["warnings"][-1].startswith("2 coefficients ended at a bound")
    assert any(n.startswith("run3: not logged before step 200") for n in data["notes"])


def _diverging(tmp_path: Path) -> str:
    """Four curves of one 100M model; the last, at ten times the peak, rises: its cooled-down
    points lie far above the others'."""
    specs = (*SPECS, "constant:peak=3e-3,warmup=200,steps=3000")
    curves = _synthetic(Tissue(), TISSUE, specs, noise=1e-3, seed=0)
    hot = curves[-1]
    curves[-1] = dataclasses.replace(
        hot, run="hot", loss=hot.loss * np.exp(np.linspace(0, 1.0, len(hot.loss)))
    )
    return _write_curves(tmp_path / "div.csv", [dataclasses.replace(c, params=1e8) for c in curves])


@pytest.mark.heavy
def test_fit_from_curves_drops_derived_outliers_and_notes_the_curve_fit_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _diverging(tmp_path)
    args = ["fit", "--from-curves", path, "--law", "E + B/D^beta", "--no-compare"]
    assert main([*args, "--bootstrap", "0"]) == 0  # the readers leave the hot curve out
    out, err = capsys.readouterr()
    assert "run 'hot'" in out + err and "left out as diverged" in out + err
    assert "'hot@" not in out
    args.append("--keep-diverged")  # kept: its derived runs are screened as measured ones
    assert main([*args, "--bootstrap", "0"]) == 0
    kept = capsys.readouterr().out
    assert "'hot@2975+cooldown' (row 46) looks diverged" in kept
    assert CURVE_UNCERTAINTY not in kept  # no bootstrap: no intervals to say it of
    assert main([*args, "--bootstrap", "20", "--drop-outliers", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the hot run's later checkpoints, kept above, are left out (its early ones are fine)
    assert "hot@2975+cooldown" not in data["runs"] and "hot@225+cooldown" in data["runs"]
    assert any(n.startswith("run 'hot@2975+cooldown' (row 46) excluded") for n in data["notes"])
    assert any(n.startswith(CURVE_UNCERTAINTY) for n in data["notes"])
    assert data["resample"] == "curves"  # five curves: whole ones drawn
    assert any("cooldown to 0.1 of each run's peak rate" in n for n in data["notes"])


def test_fit_from_curves_reports_the_curve_laws_progress(tmp_path: Path) -> None:
    from scalinglab.cli._cmd_curves_use import runs_from_curves

    path = _write_curves(tmp_path / "c.csv", sized_curves()[0])
    heard: list[tuple[str, int, int]] = []
    runs_from_curves([Path(path)], cooldown=0.2, law="tissue", progress=lambda *a: heard.append(a))
    assert {s for s, _, _ in heard} == {"curves fit", "curves polish"}
    starts = [h for h in heard if h[0] == "curves fit"]
    assert starts[-1][1] == starts[-1][2] > 0  # every start of the curve law solved
    assert heard[-1][0] == "curves polish" and heard[-1][1] == heard[-1][2] > 0  # then polished
