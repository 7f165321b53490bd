"""Chinchilla approach 1 (envelope) and the curve reader: exponents from curves drawn from a
known law, every input format, and bad input named by file, row and column."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests._chinchilla_draws import EPOCH, HOFFMANN, law_curves

from scalinglab import ConfigError, DataError, envelope, read_runs
from scalinglab.cli._options import dumps
from scalinglab.data import Curves, read_curves


def truth(law: dict[str, float]) -> float:
    return law["beta"] / (law["alpha"] + law["beta"])


@pytest.mark.parametrize("law", [HOFFMANN, EPOCH], ids=["hoffmann", "epoch"])
def test_noise_free_curves_give_the_exponent(law: dict[str, float]) -> None:
    result = envelope(law_curves(law, noise=0.0), bootstrap=0)
    assert result.a.value == pytest.approx(truth(law), abs=0.005)
    assert result.b.value == pytest.approx(1 - truth(law), abs=0.005)
    assert sum(result.used) >= 30


@pytest.mark.parametrize(("law", "tol"), [(HOFFMANN, 0.02), (EPOCH, 0.04)], ids=["h", "e"])
def test_noisy_curves_give_the_exponent_within_its_interval(
    law: dict[str, float], tol: float
) -> None:
    # With noise the lowest of near-equal neighbours drifts towards the flatter side of the
    # optimum, more so at large compute where the loss differences shrink: a small bias.
    result = envelope(law_curves(law, noise=0.003, seed=2), bootstrap=300, seed=1)
    assert result.a.value == pytest.approx(truth(law), abs=tol)
    assert result.a.lower <= truth(law) <= result.a.upper
    assert result.b.value == pytest.approx(1 - result.a.value, abs=1e-12)
    assert result.a.lower <= result.a.value <= result.a.upper


def test_envelope_is_the_lowest_curve_and_edges_are_not_used() -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=12)
    result = envelope(frame, grid=40, bootstrap=0)
    curves = read_curves(frame)
    for c, loss, n, used in zip(result.flops, result.loss, result.params, result.used, strict=True):
        if math.isnan(loss):
            continue
        # every curve reaching c lies on or above the envelope there
        for run in curves.run_ids:
            at = np.array(curves.runs) == run
            x = np.log10(curves.flops[at])
            if x.min() <= math.log10(c) <= x.max():
                assert np.interp(math.log10(c), x, curves.loss[at]) >= loss - 1e-12
        if used:
            assert curves.params.min() < n < curves.params.max()
    assert not result.used[0] and not result.used[-1]
    assert any("grid values not used" in note for note in result.notes)
    data = json.loads(dumps(result.to_dict()))
    assert data["method"].startswith("envelope") and len(data["grid"]) == 40


def test_every_format_and_steps_with_tokens_per_step(tmp_path: Path) -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=10)
    frame["step"] = frame["tokens"] / 1024.0
    want = envelope(frame, bootstrap=0).a.value
    frame.to_csv(tmp_path / "c.csv", index=False)
    frame.to_parquet(tmp_path / "c.parquet")
    frame.to_json(tmp_path / "c.jsonl", orient="records", lines=True)
    for name in ("c.csv", "c.parquet", "c.jsonl"):
        assert envelope(tmp_path / name, bootstrap=0).a.value == pytest.approx(want, abs=1e-9)
    steps = frame.drop(columns="tokens")
    got = envelope(steps, tokens_per_step=1024.0, bootstrap=0)
    assert got.a.value == pytest.approx(want, abs=1e-9)
    assert "tokens = step × tokens per step" in got.notes


def test_params_from_a_run_table_and_mapped_columns(tmp_path: Path) -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=10)
    sizes = frame.groupby("run", sort=False)["params"].first().reset_index()
    sizes.assign(loss=3.0, tokens=1e9).to_csv(tmp_path / "runs.csv", index=False)
    curves = frame.drop(columns="params").rename(columns={"loss": "eval_loss", "run": "name"})
    curves["train_loss"] = curves["eval_loss"] + 0.1
    read = read_curves(curves, columns={"loss": "eval_loss"}, runs=read_runs(tmp_path / "runs.csv"))
    assert isinstance(read, Curves)
    np.testing.assert_allclose(read.params, frame["params"])
    np.testing.assert_allclose(read.loss, frame["loss"])
    assert any("params of each run read from" in n for n in read.notes)


def test_points_without_a_loss_or_at_zero_tokens_are_skipped() -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=4)
    frame.loc[[0, 5], "loss"] = np.nan
    frame.loc[7, "tokens"] = 0.0
    read = read_curves(frame)
    assert len(read) == len(frame) - 3
    assert "3 points without a loss or at 0 tokens skipped" in read.notes


def _error(source: object, **options: object) -> DataError:
    with pytest.raises(DataError) as err:
        read_curves(source, **options)  # type: ignore[arg-type]
    return err.value


def test_bad_curves_are_named_by_file_row_and_column(tmp_path: Path) -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=3).groupby("run").head(2).reset_index(drop=True)
    path = tmp_path / "curves.csv"
    frame.drop(columns="run").to_csv(path, index=False)
    err = _error(path)
    assert "no run column" in str(err) and str(path) in str(err) and "--map run=" in err.hint
    frame.drop(columns="tokens").to_csv(path, index=False)
    err = _error(path)
    assert "no tokens column and no step column" in str(err)
    frame.drop(columns="tokens").assign(step=1.0).to_csv(path, index=False)
    assert "--tokens-per-step" in _error(path).hint
    bad = frame.copy()
    bad.loc[3, "loss"] = -1.0
    bad.to_csv(path, index=False)
    err = _error(path)
    assert (err.row, err.column) == (5, "loss")  # header is line 1: frame row 3 is line 5
    bad = frame.copy()
    bad.loc[1, "params"] = bad.loc[0, "params"] * 2  # one run, two sizes
    bad.to_csv(path, index=False)
    err = _error(path)
    assert "run 'm0' has two parameter counts" in str(err) and err.row == 3
    err = _error(frame.drop(columns="params"), runs={"m0": 1e8})
    assert "run 'm1' has no parameter count" in str(err) and err.row == 3
    err = _error(frame.drop(columns="params"))
    assert "no params column and no run table" in str(err) and "--runs" in err.hint
    both = frame.assign(eval_loss=frame["loss"]).rename(columns={"loss": "train_loss"})
    assert "could each be loss" in str(_error(both))
    with pytest.raises(ConfigError, match="cannot map 'lr'"):
        read_curves(frame, columns={"lr": "loss"})


def test_envelope_needs_crossing_curves_of_three_sizes() -> None:
    frame = law_curves(HOFFMANN, noise=0.0, sizes=2)
    with pytest.raises(DataError, match="at least 3 sizes"):
        envelope(frame, bootstrap=0)
    # loss depends on N only: the largest model is lowest everywhere, the envelope never moves
    flat = law_curves(HOFFMANN, noise=0.0, sizes=6)
    flat["loss"] = 2.0 + 100 * flat["params"] ** -0.3
    with pytest.raises(DataError, match="no compute range where the envelope passes"):
        envelope(flat, bootstrap=0)
    with pytest.raises(ConfigError) as err:
        envelope(frame, grid=2)
    assert err.value.message == "grid must be at least 5, got 2"


def test_envelope_reports_progress() -> None:
    calls: list[tuple[str, int, int]] = []
    envelope(
        law_curves(HOFFMANN, noise=0.0, sizes=8), bootstrap=250, progress=lambda *a: calls.append(a)
    )
    assert calls == [("bootstrap", 100, 250), ("bootstrap", 200, 250), ("bootstrap", 250, 250)]


def test_an_interval_dragged_to_zero_by_one_size_resamples_says_so() -> None:
    """Few sizes: many resamples keep one size on their envelope and measure a slope of 0,
    which drags the interval's lower end toward 0 (it said nothing); enough sizes: silent."""
    few = envelope(law_curves(HOFFMANN, noise=0.0, sizes=6), bootstrap=200, seed=0)
    said = [n for n in few.warnings if "keep one model size on their envelope" in n]
    assert len(said) == 1 and said[0].startswith("55 of 200 resamples keep")
    assert not any("keep one model size" in n for n in few.notes)  # fit's channel: warnings
    assert few.to_dict()["warnings"] == list(few.warnings)
    assert few.a.lower < 0.5 * few.a.value  # the pull it warns of
    many = envelope(law_curves(HOFFMANN, noise=0.003, seed=2), bootstrap=200, seed=1)
    assert not any("keep one model size" in n for n in many.warnings)
