"""Learning-rate schedules against their closed forms."""

from __future__ import annotations

import math

import pytest

from scalinglab import ConfigError
from scalinglab.ladder import (
    TrainConfig,
    constant,
    cosine,
    join,
    linear,
    schedule_for,
    warmup,
    wsd,
)


def test_pieces_match_closed_forms() -> None:
    w = warmup(4)
    assert [w(k) for k in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    c = cosine(11, final=0.1)
    for k in range(11):
        assert c(k) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * k / 10)), abs=1e-15)
    assert c(50) == pytest.approx(0.1)
    lin = linear(5, start=1.0, final=0.2)
    assert [lin(k) for k in range(6)] == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2, 0.2])
    assert constant(0.3)(12345) == 0.3


def test_join_counts_steps_from_each_pieces_start() -> None:
    s = join([constant(2.0), linear(3, start=1.0, final=0.0)], boundaries=[5])
    assert [s(k) for k in range(9)] == pytest.approx([2, 2, 2, 2, 2, 1.0, 0.5, 0.0, 0.0])
    with pytest.raises(ConfigError, match="one boundary fewer"):
        join([constant()], boundaries=[1])


def test_wsd_is_warmup_then_flat_then_linear_decay() -> None:
    s = wsd(20, warmup_steps=4, decay_steps=5, final=0.0)
    assert [s(k) for k in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert all(s(k) == 1.0 for k in range(4, 15))
    assert [s(k) for k in range(15, 20)] == pytest.approx([1.0, 0.75, 0.5, 0.25, 0.0])


@pytest.mark.parametrize("kind", ["cosine", "linear", "constant", "wsd"])
def test_schedule_for_a_train_config(kind: str) -> None:
    train = TrainConfig(
        tokens=1,
        batch_size=1,
        lr=1.0,
        schedule=kind,
        warmup_steps=10,
        min_lr_ratio=0.1,  # type: ignore[arg-type]
        decay_fraction=0.2,
    )
    s = schedule_for(train, 100)
    assert s(0) == pytest.approx(0.1) and s(9) == pytest.approx(1.0)
    final = {"cosine": 0.1, "linear": 0.1, "constant": 1.0, "wsd": 0.1}[kind]
    assert s(99) == pytest.approx(final)
    if kind == "cosine":  # half-way through the decay: the mean of peak and floor
        assert s(10 + 89 // 2) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 44 / 89)))
    if kind == "wsd":
        assert s(79) == 1.0 and s(80) == 1.0 and s(81) < 1.0


def test_warmup_fraction_default() -> None:
    train = TrainConfig(tokens=1, batch_size=1, lr=1.0, warmup_fraction=0.1)
    assert train.warmup(200) == 20
    assert schedule_for(train, 200)(19) == 1.0


def test_a_wsd_spec_is_not_the_ladders_wsd_as_both_docstrings_say() -> None:
    import numpy as np

    from scalinglab import parse_schedule
    from scalinglab.ladder._schedules import warmup as ladder_warmup
    from scalinglab.ladder._schedules import wsd as ladder_wsd

    # the curve spec's module said it was "turned into the ladder's step functions"
    n, w = 200, 100
    ladder = np.array(
        [ladder_wsd(1000, warmup_steps=w, decay_steps=n, final=0.1)(k) for k in range(1000)]
    )
    exp = parse_schedule("wsd:peak=1,end=0.1,warmup=100,decay=0.2,steps=1000").lr
    lin = parse_schedule("wsd:peak=1,end=0.1,warmup=100,decay=0.2,steps=1000,shape=linear").lr
    assert ladder[-1] == pytest.approx(0.1) and lin[-1] == pytest.approx(0.1 + 0.9 / n)
    assert exp[-1] == pytest.approx(0.1 ** ((n - 1) / n))  # exponential, one step short
    # shape=linear comes closest: within (1 - end/peak)/(decay·steps) of the peak
    assert np.max(np.abs(lin[w:] - ladder[w:])) == pytest.approx(0.9 / n)
    # warm-ups: s/W from 0 at step 0 in a spec, (k+1)/W from update 0 in the ladder
    assert exp[0] == 0.0 and ladder_warmup(w)(0) == pytest.approx(1 / w)
