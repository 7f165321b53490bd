"""A curve law's coefficient whose bootstrap interval spans decades is warned of by the rule a
loss fit and an hparams fit use (``fit._spans.identified``), read at the percentiles of the
curve fit's expanded interval: one whose span is at the edge of the two decades within its
ends' seed-to-seed error is a note at every seed, one clearly wider a warning at every seed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.test_cli_curves import _write_curves
from tests.test_curves import _synthetic

from scalinglab._cells import estimate_parts
from scalinglab.cli import main
from scalinglab.curves import Curve, CurveFit, Tissue, fit_curves, get_curve_law
from scalinglab.curves._bootstrap import interval_tail, percentile_interval
from scalinglab.curves._diagnostics import fit_lines
from scalinglab.fit._spans import span

LAW = get_curve_law("multipower")
NAMES = LAW.param_names  # L0, A, alpha, B, C, beta, gamma
COEFS = dict(zip(NAMES, (3.04, 0.53, 0.50, 341.8, 0.22, 0.6, 0.54), strict=True))
CURVES = 9  # as the 25M curves of lr-schedules: the 90% interval takes 2.4% a side


def _drawn(seed: int, collapsed: float) -> tuple[dict[str, tuple[float, float]], np.ndarray]:
    """200 resamples of a multi-power fit, a ``collapsed`` share of whose B fell to 1e-3
    (five decades under the rest), and their intervals as ``fit_curves`` takes them."""
    rng = np.random.default_rng(seed)
    samples = np.column_stack(
        [np.exp(rng.normal(math.log(v), 0.02 if n != "B" else 0.3, 200)) for n, v in COEFS.items()]
    )
    b = NAMES.index("B")
    samples[rng.random(200) < collapsed, b] = 1e-3
    lo, hi = percentile_interval(samples, 0.9, CURVES)
    return {n: (float(lo[j]), float(hi[j])) for j, n in enumerate(NAMES)}, samples


def _lines(intervals: dict[str, tuple[float, float]], samples: np.ndarray | None):  # type: ignore[no-untyped-def]
    tail = interval_tail(0.9, CURVES)
    return fit_lines(LAW, COEFS, intervals, samples, level=0.9, tail=tail, at_bound=())


def _band(value: float, interval: tuple[float, float]) -> str:
    """An interval as the fit's table writes it beside ``value``, as its lines quote it."""
    return estimate_parts(value, *interval)[1]


def test_the_expanded_interval_takes_fewer_resamples_beyond_each_end() -> None:
    assert round(interval_tail(0.9, 9), 4) == 0.0243
    v = np.random.default_rng(0).normal(size=(1000, 1))
    lo, _ = percentile_interval(v, 0.9, 9)
    assert lo[0] == np.percentile(v, 100 * interval_tail(0.9, 9))
    # 6% collapsed: the interval's lower end (2.4%) lies among them at any likely seed, so
    # it spans 5 decades and is wide; read at 5%, as a 90% interval's ends, it would be
    # at the edge, and the interval printed would span 5 decades unwarned
    b = np.r_[np.full(12, 1e-3), np.full(188, 300.0)]
    assert span(b, level=0.9, tail=interval_tail(0.9, 9)).verdict == "wide"  # type: ignore[union-attr]
    assert span(b, level=0.9).verdict == "edge"  # type: ignore[union-attr]


def test_a_span_at_the_edge_is_a_note_at_every_seed_where_its_ends_would_flip() -> None:
    # 2.4% of resamples collapsed, the share beyond the interval's lower end: by its ends
    # alone B spans 5 decades at some seeds and 1 at others
    drawn = [_drawn(seed, 0.024) for seed in range(10)]
    ends = [iv["B"][1] / iv["B"][0] >= 100 for iv, _ in drawn]
    assert set(ends) == {True, False}
    for intervals, samples in drawn:
        warnings, notes = _lines(intervals, samples)
        assert warnings == [] and len(notes) == 1, (warnings, notes)
        assert notes[0].startswith(
            f"B is at the edge of identified: its 90% interval {_band(COEFS['B'], intervals['B'])} spans "
        )
        assert notes[0].endswith(
            "decades within its ends' seed-to-seed error at 200 resamples, around the 2 that "
            "warn; the seed would decide, so it is not warned of (more runs narrow it)"
        )


def test_a_clearly_unidentified_coefficient_warns_at_every_seed() -> None:
    for seed in range(4):  # 20% collapsed: the lower end lies among them at any likely seed
        intervals, samples = _drawn(seed, 0.2)
        lo, hi = intervals["B"]
        assert _lines(intervals, samples) == (
            [
                f"B is not identified: its interval {_band(COEFS['B'], (lo, hi))} spans "
                f"{math.log10(hi / lo):.1f} decades"
            ],
            [],
        )


def test_without_enough_resamples_the_interval_ends_judge_it() -> None:
    # 20 resamples (under the 100 a seed-stable span needs at 90%): the ends, as before
    intervals, samples = _drawn(0, 0.0)
    intervals["C"] = (1e-6, 116.0)
    warnings, notes = _lines(intervals, samples[:20])
    assert notes == []
    assert warnings == [
        "C is not identified: its interval [1e-6, 116.00] spans 8.1 decades and reaches the "
        "lower bound of its range, which sets that end, not the data"
    ]
    assert _lines(intervals, None) == (warnings, [])  # no resamples at all


TISSUE = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
SPECS = (
    "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "constant:peak=3e-4,warmup=200,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.2,steps=3000",
    "linear:peak=3e-4,end=3e-5,warmup=200,steps=3000",
    "wsd:peak=3e-4,end=3e-5,warmup=200,decay=0.1,steps=3000",
    "cosine:peak=2e-4,end=2e-5,warmup=200,steps=2000",
)


def _noisy(seed: int) -> list[Curve]:
    """Six Tissue curves at 5% noise: C's interval is at the edge of two decades (seed 1)
    or clearly wider (seed 0), from 100 whole-curve resamples."""
    return _synthetic(Tissue(), TISSUE, SPECS, noise=0.05, seed=seed, every=50)


@pytest.mark.heavy  # seed 0's note is checked by default (test_curves_fit_prints_the_note_...)
def test_a_curve_fit_notes_a_coefficient_at_the_edge_at_every_seed(tmp_path: Path) -> None:
    curves = _noisy(1)
    fits = [fit_curves(curves, law="tissue", bootstrap=100, seed=s) for s in range(4)]
    # by its ends alone C spans 8 decades at seed 2 and under 2 at the others
    ends = [f.intervals["C"][1] / f.intervals["C"][0] >= 100 for f in fits]
    assert ends == [False, False, True, False]
    for f in fits:
        assert f.warnings == ()
        said = [n for n in f.notes if n.startswith("C is at the edge of identified")]
        assert len(said) == 1 and said[0].startswith(
            f"C is at the edge of identified: its 90% interval {_band(f.coefs['C'], f.intervals['C'])} spans "
        ), f.notes
        assert said[0].endswith(
            "within its ends' seed-to-seed error at 100 resamples, around the 2 that warn; the "
            "seed would decide, so it is not warned of (more runs narrow it)"
        )
    # the note is the fit's: its JSON and a saved fit carry it
    assert said[0] in f.to_dict()["notes"]  # type: ignore[operator]
    f.save(tmp_path / "c.json")
    assert CurveFit.load(tmp_path / "c.json").notes == f.notes


# seed 0 by default; the other seeds (a 100-resample curve fit each) with -m heavy
@pytest.mark.parametrize("seed", [0, *(pytest.param(s, marks=pytest.mark.heavy) for s in (1, 2))])
def test_a_curve_fit_warns_of_a_clearly_unidentified_coefficient_at_every_seed(seed: int) -> None:
    f = fit_curves(_noisy(0), law="tissue", bootstrap=100, seed=seed)
    lo, hi = f.intervals["C"]
    assert f.warnings == (
        f"C is not identified: its interval {_band(f.coefs['C'], (lo, hi))} spans "
        f"{math.log10(hi / lo):.1f} decades and reaches the lower bound of its range, "
        "which sets that end, not the data",
    )
    assert not any("edge of identified" in n for n in f.notes)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_curves_fit_prints_the_note_in_its_text_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_curves(tmp_path / "c.csv", _noisy(1))
    args = ["curves", "fit", path, "--law", "tissue", "--bootstrap", "100", "--seed", "0"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "note: C is at the edge of identified: its 90% interval [" in out
    assert "C is not identified" not in out
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    said = [n for n in data["notes"] if n.startswith("C is at the edge of identified")]
    assert len(said) == 1 and data["warnings"] == []
    assert f"note: {said[0]}" in " ".join(captured.err.split())


def test_two_coefficients_at_the_edge_are_one_note() -> None:
    """A and B each with 2.4% of resamples collapsed: one note naming both, was a line each
    repeating its tail, as a loss fit's (``fit._spans.edge_notes``)."""
    intervals, samples = _drawn(0, 0.024)
    a = NAMES.index("A")
    rng = np.random.default_rng(1)
    samples[rng.random(200) < 0.024, a] = 1e-4
    lo, hi = percentile_interval(samples, 0.9, CURVES)
    intervals = {n: (float(lo[j]), float(hi[j])) for j, n in enumerate(NAMES)}
    tail = interval_tail(0.9, CURVES)
    got = {n: span(samples[:, NAMES.index(n)], level=0.9, tail=tail) for n in ("A", "B")}
    assert all(g is not None and g.verdict == "edge" for g in got.values())
    warnings, notes = _lines(intervals, samples)
    shown = [_band(COEFS[n], intervals[n]) for n in "AB"]
    spans = [f"{got[n].inner:.1f}-{got[n].outer:.1f}" for n in "AB"]  # type: ignore[union-attr]
    assert warnings == []
    assert notes == [
        f"A and B are at the edge of identified: their 90% intervals {shown[0]} and "
        f"{shown[1]} span {spans[0]} and {spans[1]} decades within their ends' seed-to-seed "
        "error at 200 resamples, around the 2 that warn; the seed would decide, so neither "
        "is warned of (more runs narrow them)"
    ]
