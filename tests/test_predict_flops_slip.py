"""A ``flops=`` (``--flops``) that gives tokens far below the fitted runs' (``flops=1e3`` for
1e23: D = C/(6·N) = 2.4e-8 tokens at 7B) is most likely a slip: the prediction's notes name
the D derived and the rule ``flops = 6·N·D``, and it is still made
(:mod:`scalinglab.fit._flops_slip`)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

import scalinglab
from scalinglab import FitResult


@pytest.fixture(scope="module")
def result() -> FitResult:
    return scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)


def _reference(result: FitResult) -> tuple[float, float]:
    """D = 1e3/(6·7e9) and its decades below the smallest D the runs trained on, computed
    from the runs themselves."""
    d = 1e3 / (6 * 7e9)
    smallest = float(scalinglab.simulated_runs()["tokens"].min())
    assert result.extrapolation is not None
    assert result.extrapolation.floor["D"] == pytest.approx(smallest)
    return d, math.log10(smallest / d)


def _slip(notes: tuple[str, ...] | list[str]) -> str:
    (said,) = [n for n in notes if "for a slip" in n]
    return said


def test_a_compute_that_gives_a_fraction_of_a_token_says_the_d_it_gives(
    result: FitResult,
) -> None:
    d, decades = _reference(result)
    pred = result.predict(params=7e9, flops=1e3)
    assert float(pred.loss[0]) > 1e3  # still predicted: far off the runs' loss
    said = _slip(pred.notes)
    assert d == pytest.approx(2.381e-8, rel=1e-3)
    assert said.startswith("D = 2.38e-8 tokens, derived from flops=1e3")
    assert "at N = 7B as flops = 6·N·D" in said
    assert f"is {decades:.1f} decades below the smallest fitted D" in said
    assert "predicted there as asked" in said
    assert np.array_equal(
        pred.loss, result.predict(params=7e9, tokens=d).loss
    )  # the same D, the same loss


def test_a_compute_within_a_decade_of_the_runs_says_nothing(result: FitResult) -> None:
    smallest = float(scalinglab.simulated_runs()["tokens"].min())
    # D at a third of the smallest fitted D: below the runs, but within FAR (1 decade)
    near = result.predict(params=7e9, flops=6 * 7e9 * smallest / 3)
    assert not [n for n in near.notes if "for a slip" in n]
    assert not [n for n in result.predict(params=7e9, flops=1e23).notes if "for a slip" in n]
    assert not [n for n in result.predict(params=7e9, tokens=1e-8).notes if "for a slip" in n]


def test_several_points_name_the_farthest(result: FitResult) -> None:
    said = _slip(result.predict(params=[1e8, 7e9, 7e9], flops=[1e21, 1e3, 1e5]).notes)
    assert "(2 of 3 rows; the farthest)" in said and "flops=1e3" in said


def test_the_command_says_it_with_its_option(
    capsys: pytest.CaptureFixture[str], result: FitResult, tmp_path: Path
) -> None:
    d, decades = _reference(result)
    path = tmp_path / "fit.json"
    result.save(path)
    args = ("predict", "--fit", str(path), "--params", "7B", "--flops", "1e3")
    code, out, _ = cli(capsys, *args)
    assert code == 0
    said = " ".join(out.split())
    assert "derived from --flops 1e3 at N = 7B as flops = 6·N·D" in said
    assert f"is {decades:.1f} decades below the smallest fitted D" in said
    assert "check --flops 1e3 for a slip" in said
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert "--flops 1e3 for a slip" in " ".join(err.split())
    assert data["tokens"] == pytest.approx(d)
    assert "check --flops 1e3 for a slip" in data["notes"][0]
