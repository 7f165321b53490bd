"""A ladder from a hyperparameter fit of a sweep run at one D/N: its rungs share that D/N
and train a hair below it (each budget rounded down to whole steps of its batch), which
is no distance from the cells (it warned of every rung, "D/N = 20 is 0.00 decades below
the smallest fitted D/N, 20"); a D/N more than 10% off still is."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import tests._hparam_sweeps as sweeps

from scalinglab.hparams import HparamFit, fit_hparams
from scalinglab.hparams._ladder import with_hparams
from scalinglab.ladder import LadderSpec, get_recipe, rung_counts

SIZES = (1e7, 2e7, 4e7, 8e7)  # the gpu ladder's top three rungs lie among them


@pytest.fixture(scope="module")
def at_20() -> HparamFit:
    """A fit of cells at 10M-80M parameters, every one at D/N = 20."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweeps, "SIZES", SIZES)
        patch.setattr(sweeps, "TOKENS_PER_PARAM", (20.0,))
        fit = fit_hparams(sweeps.sweep(6), seq_len=sweeps.SEQ_LEN, bootstrap=0)
    assert [fit.cells[i].keys["tokens"] / fit.cells[i].keys["params"] for i in fit.used] == [
        20.0
    ] * len(SIZES)
    return fit


def _warning(notes: str) -> str:
    (line,) = [n for n in notes.splitlines() if n.startswith("warning: ") and " rungs " in n]
    return line


def test_rungs_a_hair_below_the_sweeps_one_ratio_are_not_outside(at_20: HparamFit) -> None:
    ladder = with_hparams(get_recipe("gpu"), at_20)
    below = {}
    for rung in ladder.rungs:
        counts = rung_counts(rung)
        n, d = counts.params_non_embedding, counts.tokens
        assert 19.99 < d / n <= 20.0  # the recipe's 20, less a part of a step
        if n < SIZES[0]:
            below[rung.name] = math.log10(SIZES[0] / n)
    assert list(below) == ["w128-d5", "w192-d6", "w256-d8"]
    line = _warning(ladder.notes)
    assert line.startswith(
        f"warning: 3 of 6 rungs lie outside what the rule was fitted to, from "
        f"{below['w256-d8']:.2f} decades (w256-d8) to {below['w128-d5']:.2f} (w128-d5); "
        "w128-d5: N = 990K is 1.00 decades below the smallest fitted N, 10M; D = 19.8M is 1.00 "
        "decades below the smallest fitted D, 200M: "
    )
    assert "tokens/param" not in line


def test_rungs_at_twice_the_sweeps_ratio_are_outside_in_it(at_20: HparamFit) -> None:
    top = get_recipe("gpu").rungs[3:]  # N inside the cells' 10M-80M
    doubled = tuple(replace(r, train=replace(r.train, tokens=2 * r.train.tokens)) for r in top)
    ladder = with_hparams(LadderSpec(name="d40", rungs=doubled), at_20)
    line = _warning(ladder.notes)
    assert line.startswith("warning: 3 of 3 rungs lie outside what the rule was fitted to")
    assert "tokens/param = 40 is 0.30 decades above the largest fitted tokens/param, 20" in line
