"""Sizes far past the data (``params=1e300, tokens=1e300``): their distance is taken in log
space, so N·D (1e600) does not overflow to ``inf``, no NumPy RuntimeWarning escapes, and
the prediction keeps a finite interval, where it was ``[0, inf]`` after an overflow
warning; the CLI writes such a distance (``x9.3e579``), where ``10**579`` overflowed."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from tests.conftest import chinchilla_runs

import scalinglab
from scalinglab._format import format_beyond
from scalinglab.cli import main
from scalinglab.fit._reach import distance


def test_the_distance_of_huge_sizes_is_taken_in_log_space() -> None:
    reach = {"N": 1e9, "D": 1e11, "N*D": 1e20, "D/N": 100.0}
    floor = {"N": 1e7, "D": 1e9, "N*D": 1e16, "D/N": 10.0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        d = distance(reach, {"N": np.array([1e300, 1e8]), "D": np.array([1e300, 1e10])}, floor)
        tiny = distance(reach, {"N": 1e-300, "D": 1e-300}, floor)
    # N·D = 1e600 is 580 decades past 1e20; N = D = 1e300 is 291 and 289 past theirs
    assert d == pytest.approx([580.0, 0.0], abs=1e-9)
    assert float(tiny) == pytest.approx(616.0, abs=1e-9)  # 1e-600 below the floor 1e16


def test_predict_at_1e300_warns_nothing_and_keeps_a_finite_interval() -> None:
    runs = chinchilla_runs()
    fit = scalinglab.fit("chinchilla", runs, bootstrap=20, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = fit.predict(params=1e300, tokens=1e300)
    lo, hi = float(np.ravel(p.lower)[0]), float(np.ravel(p.upper)[0])
    assert 0 < lo < float(np.ravel(p.loss)[0]) < hi < math.inf
    top = float(np.max(np.log10(runs["params"]) + np.log10(runs["tokens"])))
    assert float(np.ravel(p.distance)[0]) == pytest.approx(600 - top, abs=1e-6)


@pytest.mark.heavy  # a fit and a predict through the CLI
def test_a_distance_past_308_decades_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert format_beyond(579.97) == ("x9.3e579", "579.97 dec")
    for d in (6.0, 7.99999, 178.66, 300.5):  # as Python writes 10**d where it can
        assert format_beyond(d)[0] == f"x{10**d:.1e}".replace("e+", "e")
    path = tmp_path_factory.mktemp("far") / "runs.csv"
    chinchilla_runs().to_csv(path, index=False)
    fit = path.with_name("fit.json")
    args = ["fit", str(path), "--law", "chinchilla", "--bootstrap", "20", "--out", str(fit)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["predict", "--fit", str(fit), "--params", "1e300", "--tokens", "1e300"]) == 0
    out, err = capsys.readouterr()
    assert "dec" in out and "∞" not in out and "warning: overflow" not in err
