"""``downstream predict`` gives the loss the chain goes through with its interval, from the
chain's loss draws (its resamples, noise and extrapolation error), as it gives accuracy."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models, true_loss

from scalinglab.cli import main
from scalinglab.downstream import DownstreamFit, Evals, fit_downstream, read_evals

N, D = 8e8, 1.6e10  # past the fitted models (200M at most)


@pytest.fixture(scope="module")
def evals() -> Evals:
    return read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})


@pytest.fixture(scope="module")
def chain(evals: Evals) -> DownstreamFit:
    return fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=100, max_backtest_error=None
    )


def test_the_loss_has_an_interval_holding_the_truth(chain: DownstreamFit) -> None:
    wide, narrow = (chain.predict(params=N, tokens=D, level=lv)["task"] for lv in (0.9, 0.5))
    truth = float(true_loss(np.array(N), np.array(D)))
    assert wide.loss_lower < truth < wide.loss_upper
    assert wide.loss_lower < narrow.loss_lower < wide.loss < narrow.loss_upper < wide.loss_upper
    assert wide.loss_upper / wide.loss_lower < 1.2  # 1% noise, 4x past the data
    assert f"loss={wide.loss:.5g} [{wide.loss_lower:.5g}, {wide.loss_upper:.5g}]" in repr(wide)
    d = wide.to_dict()
    assert (d["loss"], d["loss_lower"], d["loss_upper"]) == (
        wide.loss, wide.loss_lower, wide.loss_upper,
    )  # fmt: skip


def test_past_the_calibrated_levels_the_loss_interval_is_unbounded(chain: DownstreamFit) -> None:
    p = chain.predict(params=N, tokens=D, level=0.99)["task"]
    assert p.max_level is not None and p.max_level < 0.99
    assert (p.loss_lower, p.loss_upper) == (0.0, math.inf)
    assert p.to_dict()["loss_upper"] == "inf"


def test_no_bootstrap_no_loss_interval(evals: Evals) -> None:
    point = fit_downstream(
        evals, tasks=["task"], law="chinchilla", bootstrap=0, max_backtest_error=None
    )
    p = point.predict(params=N, tokens=D)["task"]
    assert math.isnan(p.loss_lower) and math.isnan(p.loss_upper)
    assert repr(p).endswith(f"loss={p.loss:.5g})")


def test_the_command_prints_and_writes_it(
    chain: DownstreamFit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chain.save(tmp_path / "ds.json")
    args = ["downstream", "predict", "--fit", str(tmp_path / "ds.json"), "--params", "800M",
            "--tokens", "16B"]  # fmt: skip
    assert main([*args, "--json"]) == 0
    task = json.loads(capsys.readouterr().out)["tasks"]["task"]
    p = chain.predict(params=N, tokens=D)["task"]
    assert (task["loss"], task["loss_lower"], task["loss_upper"]) == (
        p.loss, p.loss_lower, p.loss_upper,
    )  # fmt: skip
    assert main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    # four figures of a loss in [1, 10): three decimals, the interval's ends as the value's
    # (was "loss 2.88 [2.723, 3.037]", a trailing zero dropped from the value alone)
    assert 1 <= p.loss < 10
    assert first == (
        f"params 800M, tokens 16B: loss {p.loss:.3f} [{p.loss_lower:.3f}, {p.loss_upper:.3f}]"
    )


def test_the_page_gives_it_too(chain: DownstreamFit, evals: Evals) -> None:
    from scalinglab.report._downstream import downstream_sections

    sections = downstream_sections(chain, evals, target=(N, D))
    p = chain.predict(params=N, tokens=D)["task"]
    body = next(s for s in sections if s.key == "downstream-prediction").body
    # as the command prints it: the value and its ends to the same three decimals
    assert f"loss {p.loss:.3f} [{p.loss_lower:.3f}, {p.loss_upper:.3f}], then each" in body
