"""``fit --from-curves``: the intervals of a law fitted to cooled-down losses carry the curve
fit's uncertainty (one bootstrap through both fits, whole curves drawn), and say so."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import FitResult, fit, read_runs
from scalinglab.cli import main
from scalinglab.cli._cmd_curves_use import runs_from_curves
from scalinglab.curves import (
    Curve,
    Tissue,
    cooldown_resamples,
    cooldown_runs,
    fit_curves,
    parse_schedule,
)

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = [
    spec.format(n=n)
    for n in (2000, 4000)
    for spec in (
        "cosine:peak=3e-4,end=3e-5,warmup=200,steps={n}",
        "constant:peak=3e-4,warmup=200,steps={n}",
        "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps={n}",
    )
]
LAW = "E + B*D**-beta"  # the curves are of one size: a law of D


def _curves(seed: int, n: int = len(SPECS)) -> list[Curve]:
    """Tissue curves at TRUTH with a per-curve offset of 1% (seed to seed) and 0.2% noise
    per logged point: the points of one curve share its offset."""
    law, rng = Tissue(), np.random.default_rng(100 + seed)
    p = np.array([[TRUTH[k] for k in law.param_names]])
    out = []
    for i, spec in enumerate(SPECS[:n]):
        s = parse_schedule(spec)
        st = np.arange(s.warmup, s.steps, 50)
        v = law.evaluate(p, law.prepare([s], [st]), jacobian=False)[0][0]
        noise = 1e-2 * rng.standard_normal() + 2e-3 * rng.standard_normal(len(st))
        out.append(Curve(f"r{i}", st, v * np.exp(noise), s))
    return out


@cache  # seed 0 serves two tests; the results are frozen
def _fits(seed: int) -> tuple[FitResult, FitResult, dict[str, float]]:
    """The fit with the curve fit's resamples, the one drawing runs, and the truth: the law
    fitted to the cooled-down losses the true curve law gives at the same checkpoints."""
    curves = _curves(seed)
    result = fit_curves(curves, law="tissue", bootstrap=100, seed=seed)
    frame, resamples = cooldown_resamples(result, curves)
    assert resamples is not None and resamples.resample == "curves"
    runs = read_runs(frame[["run", "tokens", "loss"]])
    paired = fit(LAW, runs, resamples=resamples, seed=seed)  # all 100: bootstrap's default
    alone = fit(LAW, runs, bootstrap=100, seed=seed)
    exact = replace(result, coefs=TRUTH, samples=None, curve_weights=None)
    true_runs = read_runs(cooldown_runs(exact, curves)[["run", "tokens", "loss"]])
    return paired, alone, dict(fit(LAW, true_runs, bootstrap=0).coefs)


@pytest.mark.heavy  # 3.1 s in the suite on a 2-core AMD EPYC
def test_the_curve_fits_uncertainty_widens_the_intervals() -> None:
    paired, alone, _ = _fits(0)
    assert paired.resample == "curves" and alone.resample == "runs"
    assert paired.n_bootstrap == alone.n_bootstrap == 100
    for name in paired.coefs:  # measured: 2.1, 1.07 and 1.5 times as wide
        (a, b), (c, d) = paired.intervals[name], alone.intervals[name]
        assert b - a >= d - c, name
    assert paired.coefs == alone.coefs  # the same fit: only its intervals differ


@pytest.mark.heavy
def test_intervals_through_both_fits_cover_the_true_coefficients() -> None:
    """A modest check of 5 synthetic fits (10 measured: all covered; the runs drawn alone
    missed E 3 times in 10, 2 in these 5)."""
    missed: dict[str, int] = {}
    for seed in range(5):
        paired, alone, truth = _fits(seed)
        for name, true in truth.items():
            lo, hi = paired.intervals[name]
            assert lo <= true <= hi, (seed, name, true, lo, hi)
            a, b = alone.intervals[name]
            missed[name] = missed.get(name, 0) + (not a <= true <= b)
    assert missed["E"] == 2


def _write(tmp_path: Path, curves: list[Curve]) -> str:
    rows = [
        pd.DataFrame({"run": c.run, "step": c.step, "lr": c.schedule.lr[c.step], "loss": c.loss})
        for c in curves
    ]
    path = tmp_path / "curves.csv"
    pd.concat(rows).to_csv(path, index=False)
    return str(path)


def test_the_fit_says_which_intervals_it_has(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path, saved = _write(tmp_path, _curves(0)), tmp_path / "fit.json"
    # Tissue: the note is of the resampling, not the curve law (the default one is far slower)
    code = main(["fit", "--from-curves", path, "--law", LAW, "--curve-law", "tissue",
                 "--bootstrap", "20", "--out", str(saved)])  # fmt: skip
    text = capsys.readouterr().out.replace("\n", " ")
    assert code == 0 and "90% interval (20 whole-curve resamples)" in text
    out = json.loads(saved.read_text())  # what --json prints
    assert out["resample"] == "curves" and len(out["samples"]) == 20
    note = (
        "intervals carry the curve fit's uncertainty: one bootstrap runs through both fits; "
        "each of its 20 resamples draws whole curves with replacement, refits the curve law, "
        "predicts the cooled-down runs again and refits this law to them, each run weighted "
        "as its curve was drawn (the points of one curve move together)"
    )
    assert note in out["notes"] and " ".join(note.split()) in " ".join(text.split())
    assert not any("as measured" in n for n in out["notes"])


def test_few_curves_redraw_losses_and_one_curve_has_no_resamples(tmp_path: Path) -> None:
    def notes_of(curves: list[Curve], bootstrap: int):  # type: ignore[no-untyped-def]
        folder = tmp_path / f"{len(curves)}-{bootstrap}"
        folder.mkdir()
        path = Path(_write(folder, curves))
        _, notes, _, resamples = runs_from_curves(
            [path], cooldown=0.2, law="tissue", bootstrap=bootstrap, needs_size=False
        )
        return notes, resamples

    notes, resamples = notes_of(_curves(0, n=3), 10)
    assert resamples is not None and resamples.resample == "wild-jackknife"
    assert np.all(resamples.weights == 1.0)  # every curve kept, its losses redrawn
    assert any(
        "each of its 10 resamples redraws every curve's losses (wild-jackknife bootstrap: "
        "under 5 curves)" in n
        for n in notes
    )
    notes, resamples = notes_of(_curves(0, n=2)[1:], 10)
    assert resamples is None
    assert (
        "intervals treat the points derived from the curve law as measured: the curve fit's "
        "own uncertainty is not in them (one curve: the curve fit has no resamples), so they "
        "are too narrow by it"
    ) in notes
    notes, _ = notes_of(_curves(0, n=2)[1:], 0)  # a point fit: no interval, no word of one
    assert not any(n.startswith("intervals") for n in notes)


def test_from_curves_draws_as_many_resamples_as_curves_fit_by_default(
    tmp_path: Path,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    asked: list[int] = []

    def heard(paths, **options):  # type: ignore[no-untyped-def]
        asked.append(options["bootstrap"])
        raise SystemExit(0)  # the curve fit is not what is checked here

    monkeypatch.setattr("scalinglab.cli._cmd_curves_use.runs_from_curves", heard)
    path = _write(tmp_path, _curves(0, n=2))
    for extra in ([], ["--bootstrap", "7"]):
        with pytest.raises(SystemExit):
            main(["fit", "--from-curves", path, "--law", LAW, *extra])
    assert asked == [100, 7]  # each resample refits the curve law: curves fit's default


def test_curve_resamples_left_out_are_worded_as_a_fits_are() -> None:
    from scalinglab.cli._cmd_curves_use import _paired
    from scalinglab.fit import Resamples

    given = Resamples(("a", "b"), np.ones((7, 2)), np.ones((7, 2)), "curves")
    assert _paired(given, 10)[1] == (
        "in the curve fit, 3 of 10 bootstrap resamples failed or ended at a degenerate fit "
        "and were left out"
    )
    assert len(_paired(given, 7)) == 1  # none left out: no word of it


def test_few_curves_name_their_resample_as_the_readme_says(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """2 to 4 curves: "wild-jackknife", in the header and the JSON; one curve: runs drawn."""
    for n, kind, header in ((3, "wild-jackknife", "10 wild-jackknife resamples"),
                            (1, "runs", "10 resamples")):  # fmt: skip
        folder = tmp_path / f"of-{n}"  # not "3": a folder named like a size gives one
        folder.mkdir()
        kept = _curves(0, n=3)[-n:]  # the last: a WSD run, cooled down before its decay
        path, saved = _write(folder, kept), folder / "fit.json"
        code = main(["fit", "--from-curves", path, "--law", LAW, "--curve-law", "tissue",
                     "--bootstrap", "10", "--out", str(saved)])  # fmt: skip
        text = " ".join(capsys.readouterr().out.split())
        assert code == 0 and f"90% interval ({header})" in text
        assert json.loads(saved.read_text())["resample"] == kind


@pytest.mark.heavy  # 3.5 s in the suite on a 2-core AMD EPYC
def test_warmup_and_curve_law_choose_the_curve_fit_as_the_python_api_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--warmup and --curve-law reach the curve fit (the runs are those the library
    predicts with them), and the notes say which warm-up was assumed."""
    # logged from step 250 on: by default the warm-up is taken as 250, not the true 200
    curves = [replace(c, step=c.step[1:], loss=c.loss[1:]) for c in _curves(0)]
    path = _write(tmp_path, curves)
    args = ["fit", "--from-curves", path, "--law", LAW, "--bootstrap", "0", "--json"]
    assert main([*args, "--warmup", "200", "--curve-law", "tissue"]) == 0
    given = json.loads(capsys.readouterr().out)
    from scalinglab.curves import read_lr_curves

    read = read_lr_curves([Path(path)], warmup=200)
    frame = cooldown_runs(fit_curves(read, law="tissue", bootstrap=0), read, cooldown=0.2)
    want = fit(LAW, read_runs(frame[["run", "tokens", "loss"]]), bootstrap=0)
    assert given["coefs"] == pytest.approx(dict(want.coefs), rel=1e-6)
    assert any(
        "not logged before step 250: a linear rise from 0 over 200 steps assumed" in n
        for n in given["notes"]
    )
    assert main(args) == 0  # each curve's first logged step, said so
    default = json.loads(capsys.readouterr().out)
    assert any("a linear rise from 0 over 250 steps assumed" in n for n in default["notes"])
    assert default["coefs"] != pytest.approx(given["coefs"], rel=1e-6)
    assert main(["fit", "--data", "simulated", "--warmup", "200"]) == 2
    assert "--warmup shapes the runs --from-curves predicts" in capsys.readouterr().err
