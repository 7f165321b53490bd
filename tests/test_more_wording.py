"""One wording for a list cut short in ingest's notes and the store's config warning: ``a; b; c; and N more`` where the
items are joined by semicolons, ``a, b, c and N more`` by commas (no ``... and``)."""

from __future__ import annotations

import numpy as np

from scalinglab.ingest._diverged import diverged_note, summary_overruled_note
from scalinglab.ingest._end_spike import end_spike_note
from scalinglab.ingest._final import FinalRule
from scalinglab.ingest._tb_live import live_note
from scalinglab.store._config_diff import said

NAMES = ["r0", "r1", "r2", "r3", "r4"]


def test_diverged_runs_past_three_end_in_semicolon_and_n_more() -> None:
    (line,) = diverged_note([(n, "loss NaN") for n in NAMES])
    assert "'r2': loss NaN; and 2 more (extra.diverged)); " in line
    assert "..." not in line


def test_summaries_overruled_past_three_end_in_semicolon_and_n_more() -> None:
    (line,) = summary_overruled_note([(n, "its reported loss is NaN", 2.5) for n in NAMES], "last")
    assert "its history ends at 2.5, which is stored; and 2 more)" in line
    assert "..." not in line


def test_end_spikes_past_three_end_in_semicolon_and_n_more() -> None:
    # five runs of three points each: 1.0, 1.0, then 9.0, nine times their lowest
    runs = np.repeat(np.arange(5), 3)
    steps = np.tile(np.array([0.0, 1.0, 2.0]), 5)
    values = np.tile(np.array([1.0, 1.0, 9.0]), 5)
    final = np.full(5, 9.0)
    (line,) = end_spike_note(
        runs, steps, values, final, list(enumerate(NAMES)), name="loss", rule=FinalRule("last")
    )
    assert "'r2': final 9, lowest 1; and 2 more)" in line
    assert "..." not in line


def test_live_runs_past_three_end_in_and_n_more() -> None:
    (line,) = live_note([(n, 1000.0 - 60.0 * i) for i, n in enumerate(NAMES)], now=1000.0)
    assert "('r0': just now, 'r1': 1 min ago, 'r2': 2 min ago and 2 more)" in line
    assert "..." not in line


def test_config_keys_past_three_end_in_semicolon_and_n_more_keys() -> None:
    keys = {"train.lr": [0.003, 0.004], "train.wd": [0.1, 0.2], "seed": [1, 2], "steps": [5, 6]}
    assert said(keys) == "train.lr 0.003, 0.004; train.wd 0.1, 0.2; seed 1, 2; and 1 more key"
