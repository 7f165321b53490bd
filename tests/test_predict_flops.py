"""``flops=`` beside ``params=`` and ``tokens=`` for a law of N and D says the same model
or is refused, in ``FitResult.predict``, a preset's ``predict`` and ``scalinglab predict``
alike (one rule: :func:`scalinglab.fit._inputs.check_flops`); it was silently ignored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

import scalinglab
from scalinglab import ConfigError, FitResult


@pytest.fixture(scope="module")
def result() -> FitResult:
    return scalinglab.fit("chinchilla", scalinglab.simulated_runs(), bootstrap=0)


def test_flops_that_are_not_6nd_of_the_params_and_tokens_are_refused(result: FitResult) -> None:
    with pytest.raises(ConfigError) as err:
        result.predict(params=7e9, tokens=1e12, flops=1e23)
    assert err.value.message == (
        "law 'chinchilla' reads N (params) and D (tokens); flops=1e23 is not 6·N·D of the "
        "params= and tokens= given (4.2e22, within 5%): tokens= and flops= both give D, and "
        "disagree"
    )
    assert err.value.hint == (
        "drop flops= (the law reads D from tokens=), or drop tokens= for D = C/(6·N) from flops="
    )
    # one point of several disagreeing is enough; a preset reads its keywords by the same rule
    with pytest.raises(ConfigError, match=r"flops=1e23 is not 6·N·D .* \(5\.88e23, within 5%\)"):
        result.predict(params=[7e9, 70e9], tokens=[1e12, 1.4e12], flops=[4.2e22, 1e23])
    with pytest.raises(ConfigError, match="flops=1e23 is not 6·N·D"):
        scalinglab.get_preset("hoffmann2022").predict(params=7e9, tokens=1e12, flops=1e23)


def test_flops_that_are_their_6nd_within_rounding_say_the_same_model(result: FitResult) -> None:
    alone = result.predict(params=70e9, tokens=1.4e12).loss
    for flops in (5.88e23, 6e23, "6e23"):  # 70B x 1.4T: 5.88e23, 6e23 within 2.1%
        assert np.array_equal(result.predict(params=70e9, tokens=1.4e12, flops=flops).loss, alone)
    with pytest.raises(ConfigError, match=r"flops=6\.2e23 is not 6·N·D"):  # 5.4% off
        result.predict(params=70e9, tokens=1.4e12, flops=6.2e23)
    # flops with params alone still gives the tokens, D = C/(6N)
    derived = result.predict(params=70e9, flops=5.88e23).loss
    assert derived == pytest.approx(alone, rel=1e-12)


def test_the_command_line_refuses_and_accepts_by_the_same_rule(
    capsys: pytest.CaptureFixture[str], result: FitResult, tmp_path: Path
) -> None:
    path = tmp_path / "fit.json"
    result.save(path)
    code, _, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--tokens",
                       "1T", "--flops", "1e23")  # fmt: skip
    assert code == 2 and "--flops 1e23 is not 6·N·D of the --params and --tokens given" in err
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--tokens",
                         "1T", "--flops", "4.2e22", "--json")  # fmt: skip
    assert code == 0 and '"flops": 4.2e' in out
