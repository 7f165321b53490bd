"""The few-models warning gives the reason the band was narrowed, measured against the band
before the models below are counted: with sizes [100M, 100M, 120M, 120M, 130M] it said "no
other fitted model lies within a factor 1.58 of the largest" though four do; the evaluation
noise each task is judged through is read at the models actually held out."""

from __future__ import annotations

import dataclasses

import numpy as np
from tests.test_downstream_held_out import frame

from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._held_out import (
    band_models,
    few_held_out_warning,
    held_out_models,
    narrowed_why,
    sizes_said,
)
from scalinglab.downstream._noise import eval_noise


def test_a_band_narrowed_for_the_sizes_below_says_so() -> None:
    params = np.array([1e8, 1e8, 1.2e8, 1.2e8, 1.3e8])
    held = held_out_models(params, need=3)
    assert int(held.sum()) == 1 and int(band_models(params).sum()) == 3
    text = few_held_out_warning(
        1, sizes_said(params[held]), narrowed=narrowed_why(params, held, need=3)
    )
    assert text.endswith(
        "hold out 3 or more models to judge it (holding out the 3 models down to 120M would "
        "leave 2 models at 1 size below them, fewer than the 3 models and the 2 sizes the "
        "chain is fitted on)"
    )
    assert "no other fitted model" not in text
    # the whole band held out: nothing narrowed, the band's own reason stands
    top = np.array([1e7, 3e7, 1e8, 4e8])
    assert narrowed_why(top, held_out_models(top, need=2), need=2) == ""


def test_the_noise_is_read_at_the_models_held_out() -> None:
    # 8 models at two small sizes, then 100M-130M: the band is 110M-130M, but holding it
    # out leaves 9 models, under the 10 a chinchilla chain with sigmoid tasks is fitted on
    params = np.array([1e7] * 4 + [3e7] * 4 + [1e8, 1.1e8, 1.2e8, 1.3e8])
    evals = read_evals(frame(params, np.random.default_rng(0)))
    evals = dataclasses.replace(evals, examples={"steady": 500.0, "breaks": 500.0})
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0)
    held = params >= 1.2e8
    assert "the 2 at 120M-130M predicted" in chain.notes[-1]
    acc = evals.accuracy("steady")
    assert chain.tasks["steady"].eval_noise == eval_noise(acc[held], 500.0)
    assert chain.tasks["steady"].eval_noise != eval_noise(acc[params >= 1.1e8], 500.0)
    assert any(
        w.endswith(
            "(holding out the 3 models down to 110M would leave 9 models at 3 sizes below "
            "them, fewer than the 10 models the chain is fitted on)"
        )
        for w in chain.warnings
    )
