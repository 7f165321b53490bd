"""``Prediction.notes`` and ``width_from`` (fit/_far.py, fit/_predict.py): Python says what
``predict`` and ``plan`` print about where a prediction is made and what set its width.

Oracles: the notes ``predict --json`` prints, which are the prediction's own; the half-width
``z·σ_full`` (normal quantile) against ``log(upper/loss)``; a fit file with ``sigma_full``
taken out, read as one saved before it was stored.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pytest
from tests._cli import cli

from scalinglab import FitResult, compute_for_loss, optimal_allocation
from scalinglab.cli import main
from scalinglab.data import parse_quantity

BEYOND = (
    "rows more than 1 decade beyond the fitted runs (x10 in N, D or N·D) extrapolate the law "
    "far past what its data test"
)
BELOW = (
    "rows more than 1 decade below the smallest fitted runs (x10 in N, D or N·D) extrapolate "
    "the law downward, which its backtests (cut upward) do not test: their intervals assume "
    "the error grows as it does upward"
)
NO_FLOOR = (
    "this fit file holds no noise floor for its calibrated intervals (saved before "
    "extrapolation.sigma_full was): their width is the backtests' q·s alone, which here is "
    "narrower than the run-to-run noise; re-fit (scalinglab fit --out, or "
    "fit(...).save) to get the floor"
)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The bundled runs' Chinchilla fit (backtest-calibrated), and the same file without
    ``sigma_full``, as one saved before it was stored."""
    folder = tmp_path_factory.mktemp("notes")
    path, old = folder / "fit.json", folder / "old.json"
    assert main(["fit", "--no-compare", "--json", "--out", str(path)]) == 0
    data = json.loads(path.read_text())
    del data["extrapolation"]["sigma_full"]
    old.write_text(json.dumps(data))
    return path, old


def _predict(capsys: pytest.CaptureFixture[str], fit: Path, *args: str) -> dict[str, Any]:
    capsys.readouterr()
    code, out, err = cli(capsys, "predict", "--fit", str(fit), *args, "--json")
    assert code == 0, err
    return dict(json.loads(out))


@pytest.mark.parametrize(
    ("params", "tokens", "expected"),
    [
        ("70B", "1.4T", (BEYOND, "unmeasured")),
        ("10T", "1e15", (BEYOND, "unmeasured")),
        ("1M", "20M", (BELOW,)),
        ("20M", "1.3e11", ("ratio",)),
        ("100M", "2B", ()),
    ],
)
def test_python_notes_are_the_ones_predict_prints(
    capsys: pytest.CaptureFixture[str],
    fitted: tuple[Path, Path],
    params: str,
    tokens: str,
    expected: tuple[str, ...],
) -> None:
    path, _ = fitted
    result = FitResult.load(path)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    n, d = parse_quantity(params), parse_quantity(tokens)
    notes = result.predict(params=n, tokens=d).notes
    assert notes == tuple(_predict(capsys, path, "--params", params, "--tokens", tokens)["notes"])
    unmeasured = (
        f"past {ex.measured:.2f} decades beyond the fitted runs (the farthest its backtests "
        "reached), loss intervals extend the error's measured growth with distance: their "
        "width there is not measured"
    )
    lo, hi = ex.floor["D/N"], ex.reach["D/N"]
    ratio = (
        f"tokens per parameter outside the fitted runs' {lo:.3g} to {hi:.3g} sets how far some "
        "rows are from the data: the law is extrapolated to a ratio of tokens to parameters no "
        "run trained at; its backtests (cut along N·D) do not test that, so the loss interval "
        "does not widen for it"
    )
    words = {"unmeasured": unmeasured, "ratio": ratio}
    assert notes == tuple(words.get(e, e) for e in expected)
    # the table prints each note once
    capsys.readouterr()
    code, out, _ = cli(
        capsys, "predict", "--fit", str(path), "--params", params, "--tokens", tokens
    )
    assert code == 0
    for note in notes:
        assert out.replace("\n", " ").count(note[:60]) == 1


def test_the_notes_say_where_the_noise_floor_set_the_width(
    capsys: pytest.CaptureFixture[str], fitted: tuple[Path, Path]
) -> None:
    """Inside the data at 80% the floor z·σ_full is wider than q·s; 3 decades out, q·s is."""
    path, _ = fitted
    result = FitResult.load(path)
    ex = result.extrapolation
    assert ex is not None and ex.sigma_full is not None and ex.sigma_full > 0
    n, d = np.array([1e8, 7e10]), np.array([2e9, 1.4e12])
    pred = result.predict(params=n, tokens=d, level=0.8)
    assert pred.width_from is not None and list(pred.width_from) == ["noise-floor", "calibrated"]
    half = np.log(pred.upper / pred.loss)
    floor = NormalDist().inv_cdf(0.9) * ex.sigma_full
    assert half[0] == pytest.approx(floor, rel=1e-9)  # the floor's number
    assert half[1] == pytest.approx(ex.quantile(0.8) * float(ex.scale(pred.distance[1])))
    assert half[1] > floor
    said = (
        # the points named as the table shows them: the text has no width_from column
        "the 80% interval at 1 of 2 points (N=100M, D=2B) is the run-to-run noise's "
        f"own (half-width z·σ_full = {floor:.3g} in log loss), wider there than the backtests' "
        "calibrated error q·s: near the data the noise, not the extrapolation error, sets the "
        "width"
    )
    assert said in pred.notes
    data = _predict(capsys, path, "--params", "100M,70B", "--tokens", "2B,1.4T", "--level", "0.8")
    assert [p["width_from"] for p in data["points"]] == ["noise-floor", "calibrated"]
    assert said in data["notes"]
    assert [p["width_from"] for p in pred.to_dict()["points"]] == ["noise-floor", "calibrated"]
    code, out, _ = cli(capsys, "predict", "--fit", str(path), "--params", "100M,70B",
                       "--tokens", "2B,1.4T", "--level", "0.8")  # fmt: skip
    assert code == 0 and "width_from" not in out and said in " ".join(out.split())
    # past 6 such points the note says width_from (per point in --json) rather than list them
    many = result.predict(params=np.r_[np.linspace(1e8, 1.7e8, 7), 7e10], tokens=2e9, level=0.8)
    assert many.width_from is not None and list(many.width_from).count("noise-floor") == 7
    assert many.notes[0].startswith(
        "the 80% interval at 7 of 8 points (width_from says which; predict --json gives it per "
        "point) is the run-to-run noise's own"
    )
    # at 90% q·s is wider everywhere here: no note, every width "calibrated"
    at90 = result.predict(params=n, tokens=d, level=0.9)
    assert at90.width_from is not None and set(at90.width_from) == {"calibrated"}
    assert not any("noise's own" in note for note in at90.notes)
    # a bootstrap interval has no calibrated width to explain
    plain = result.predict(params=n, tokens=d, extrapolation=False)
    assert plain.interval_kind == "bootstrap" and plain.width_from is None


def test_a_fit_file_without_sigma_full_says_its_intervals_have_no_floor(
    capsys: pytest.CaptureFixture[str], fitted: tuple[Path, Path]
) -> None:
    path, old = fitted
    before = FitResult.load(old)
    assert before.extrapolation is not None and before.extrapolation.sigma_full is None
    pred = before.predict(params=1e8, tokens=2e9, level=0.8)
    assert pred.notes == (NO_FLOOR,)
    now = FitResult.load(path).predict(params=1e8, tokens=2e9, level=0.8)
    assert NO_FLOOR not in now.notes
    assert float(pred.upper[0]) < float(now.upper[0])  # the narrower interval it was
    at80 = _predict(capsys, old, "--params", "100M", "--tokens", "2B", "--level", "0.8")
    assert at80["notes"] == [NO_FLOOR]
    # at 90% q·s is wider than the floor a re-fit would store: a re-fit adds nothing there
    assert _predict(capsys, old, "--params", "100M", "--tokens", "2B")["notes"] == []
    plan = optimal_allocation(before, flops=1e18, level=0.8)  # inside the data
    assert plan.notes.count(NO_FLOOR) == 1
    assert NO_FLOOR not in optimal_allocation(before, flops=1e21).notes  # q·s wider there


def test_a_plan_says_each_note_once_and_gives_a_target_loss_no_interval_kind(
    capsys: pytest.CaptureFixture[str], fitted: tuple[Path, Path]
) -> None:
    path, _ = fitted
    result = FitResult.load(path)
    far = optimal_allocation(result, flops=1e24)
    assert len(set(far.notes)) == len(far.notes) and BEYOND in far.notes
    assert sum(n.startswith("past ") for n in far.notes) == 1
    target = compute_for_loss(result, target_loss=2.2)
    assert target.loss_interval_kind == "none"  # given, as a budget's compute is
    assert target.flops_interval_kind == "backtest-calibrated"
    capsys.readouterr()
    code, out, err = cli(capsys, "plan", "--fit", str(path), "--target-loss", "2.2", "--json")
    assert code == 0, err
    allocation = json.loads(out)["allocation"]
    kinds = (allocation["loss_interval_kind"], allocation["flops_interval_kind"])
    assert kinds == ("none", "backtest-calibrated")
    assert math.isfinite(allocation["flops_lower"])


def test_a_law_of_compute_alone_words_the_far_note_by_its_own_variable() -> None:
    from scalinglab import bundled_runs, fit

    result = fit("power-law-plus-constant:flops", bundled_runs(), bootstrap=0, extrapolation=False)
    assert result.predict(flops=1e25).notes == (
        "rows more than 1 decade beyond the fitted runs (x10 in C) extrapolate the law far past "
        "what its data test",
    )


def test_internal_loops_skip_the_notes_and_get_the_same_numbers(
    fitted: tuple[Path, Path],
) -> None:
    path, _ = fitted
    result = FitResult.load(path)
    at = {"N": np.array([1e8, 7e10, 1e13]), "D": np.array([2e9, 1.4e12, 1e15])}
    full = result._predict_symbols(at, level=0.8)
    bare = result._predict_symbols(at, level=0.8, notes="none")
    assert len(full.notes) >= 3 and bare.notes == ()
    for name in ("loss", "lower", "upper", "distance"):
        assert np.array_equal(getattr(full, name), getattr(bare, name)), name
    assert list(bare.width_from) == list(full.width_from)  # a field, not a note: kept
    assert bare.interval_kind == full.interval_kind == "backtest-calibrated"
    own = result._predict_symbols(at, level=0.8, notes="interval")
    assert own.notes == tuple(n for n in full.notes if "noise's own" in n)
