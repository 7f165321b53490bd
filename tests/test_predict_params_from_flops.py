"""``scalinglab predict --tokens D --flops C`` works out the params, N = C/(6·D) (as the fit
counts FLOPs), with a note saying so; it said "give --params". All three given still must
agree (:mod:`tests.test_predict_flops`)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests._cli import cli

import scalinglab
from scalinglab import FitResult
from scalinglab.data._flops_rule import FlopsConvention


@pytest.fixture(scope="module")
def result() -> FitResult:
    return scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)


def _predict(capsys: pytest.CaptureFixture[str], fit: FitResult, path: Path, *args: str):
    fit.save(path)
    return cli(capsys, "predict", "--fit", str(path), *args)


def test_params_from_flops_and_tokens(
    capsys: pytest.CaptureFixture[str], result: FitResult, tmp_path: Path
) -> None:
    path = tmp_path / "fit.json"
    code, out, err = _predict(capsys, result, path, "--tokens", "1T", "--flops", "1e24")
    assert code == 0, err
    assert "note: params derived from --flops and --tokens: N = C/(6·D)" in out
    assert "167B" in out  # 1e24 / (6 x 1e12)
    code, out, err = _predict(capsys, result, path, "--tokens", "1T", "--flops", "1e24", "--json")
    data = json.loads(out)
    assert data["params"] == pytest.approx(1e24 / 6e12)
    want = result.predict(params=1e24 / 6e12, tokens=1e12)
    assert data["loss"] == pytest.approx(float(want.loss[0]), rel=1e-12)
    # all three: refused where they disagree, as before
    code, _, err = _predict(capsys, result, path, "--params", "10B", "--tokens", "1T",
                            "--flops", "1e24")  # fmt: skip
    assert code == 2 and "--flops 1e24 is not 6·N·D of the --params and --tokens given" in err


def test_params_follow_the_fits_flops_convention(
    capsys: pytest.CaptureFixture[str], result: FitResult, tmp_path: Path
) -> None:
    """A fit whose runs counted 2 x 6·N·D: N = C/(2·6·D); a ratio that varies with N has no
    closed form and is refused, naming what to give."""
    doubled = replace(result, flops_convention=FlopsConvention("exact counts", base=2.0))
    path = tmp_path / "fit.json"
    code, out, err = _predict(capsys, doubled, path, "--tokens", "1T", "--flops", "1e24",
                              "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["params"] == pytest.approx(1e24 / (2 * 6e12))
    varying = replace(result, flops_convention=FlopsConvention("exact", coef=2e8, power=-0.5))
    code, _, err = _predict(capsys, varying, path, "--tokens", "1T", "--flops", "1e24")
    assert code == 2 and "gives no params for --flops and --tokens in closed form" in err
    assert "give --params with --flops" in err


def test_python_predict_takes_tokens_and_flops_as_the_command_does(result: FitResult) -> None:
    """predict(tokens=, flops=) said "predict needs params=" while the command worked N out."""
    got = result.predict(tokens=1e12, flops=1e24)
    want = result.predict(params=1e24 / 6e12, tokens=1e12)
    assert got.loss == pytest.approx(want.loss, rel=1e-12)
    with pytest.raises(scalinglab.DataError, match="with tokens="):
        result.predict(tokens=1e12, flops=-1.0)


def test_flops_alone_hints_the_plan_that_splits_it(
    capsys: pytest.CaptureFixture[str], result: FitResult, tmp_path: Path
) -> None:
    """``predict --flops C`` alone (a law of N and D) hinted an example of --params and
    --tokens; it names the ``plan`` command that gives the compute-optimal split and its
    loss, with the fit's path quoted for the shell, and that command runs as written."""
    import shlex

    path = tmp_path / "my fit.json"
    code, out, err = _predict(capsys, result, path, "--compute", "1e23")
    assert code == 2 and out == ""
    assert "give --params" in err
    hint = err.split("hint: ", 1)[1]
    want = f"scalinglab plan --fit '{path}' --flops 1e23;"
    assert want in hint and "for a size of your choice: --params 7B --flops 1e23" in hint
    args = shlex.split(want.removesuffix(";"))[1:]
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    planned = json.loads(out)
    allocation = scalinglab.optimal_allocation(result, flops=1e23)
    assert planned["allocation"]["loss"] == pytest.approx(allocation.loss.value, rel=1e-9)
    # a preset: the plan of the same preset
    code, _, err = cli(capsys, "predict", "--preset", "hoffmann2022", "--flops", "1e23")
    assert code == 2 and "scalinglab plan --preset hoffmann2022 --flops 1e23;" in err
