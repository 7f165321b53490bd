"""``predict(params=..., flops=...)`` of a law of N and D: a compute that is not positive and
finite is refused naming ``flops`` and the value given, not the tokens ``D = C/(6·N)``
derived from it; ``scalinglab predict --flops`` names its option alike."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab import DataError


@cache
def _fit() -> sl.FitResult:
    return sl.fit("chinchilla", chinchilla_runs(), bootstrap=0, seed=0)


@pytest.mark.parametrize(
    ("flops", "shown"),
    [(-1, "-1 ("), (0, "0 ("), (math.nan, "nan ("), ([1e23, -1e22], "-1e22 (value 2 of 2) (")],
)
@pytest.mark.parametrize("who", ["fit", "preset"])
def test_a_compute_not_positive_is_named_as_given(flops: object, shown: str, who: str) -> None:
    model = _fit() if who == "fit" else sl.get_preset("hoffmann2022")
    with pytest.raises(DataError) as info:
        model.predict(params=7e9, flops=flops)
    said = str(info.value)
    assert said.startswith(
        "flops (the compute the law's D is derived from, with params=) must be positive and "
        f"finite to predict, got {shown}"
    )
    assert said.endswith("(pass a value above 0, e.g. flops=1e21)")
    assert "e-11" not in said  # not the tokens -1/(6·7e9) it gave (it said 'D ... -2.38e-11')


def test_a_positive_compute_still_gives_the_tokens_6nd_does() -> None:
    fit = _fit()
    n, d = 7e9, np.array([1.4e11, 1.4e12])
    by_flops = fit.predict(params=n, flops=6 * n * d)
    by_tokens = fit.predict(params=n, tokens=d)
    assert np.allclose(by_flops.loss, by_tokens.loss, rtol=1e-12)
    e, a, b, alpha, beta = (fit.coefs[k] for k in ("E", "A", "B", "alpha", "beta"))
    assert np.allclose(by_flops.loss, e + a / n**alpha + b / d**beta, rtol=1e-9)


def test_params_not_positive_is_still_named_first() -> None:
    with pytest.raises(DataError, match=r"^params \(the law's N\) must be positive"):
        _fit().predict(params=-1, flops=1e23)


def test_the_command_names_flops(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    _fit().save(path)
    code, out, err = cli(capsys, "predict", "--fit", str(path), "--params", "7B", "--flops", "-1")
    assert (code, out) == (2, "")
    assert err.startswith("error: --flops must be a positive, finite number, got '-1'")
