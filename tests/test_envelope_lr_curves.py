"""``envelope`` reads what the public curve reader returns: ``read_lr_curves``' list of
curves, and a folder as ``read_lr_curves`` reads it (a run per file, its size from a folder
named like one), giving the exponent the same curves give as a table."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, envelope, read_lr_curves

HOFFMANN = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}
PER_STEP = 1e5  # tokens per step
SIZES = ("20M", "40M", "80M", "160M", "320M", "640M", "1280M", "2560M")


def _write_folder(root: Path) -> pd.DataFrame:
    """One CSV per run (``step, lr, loss``) below a folder named by its size; the same
    points as one table with ``run, params, tokens, loss``."""
    rows = []
    for size in SIZES:
        n = float(size[:-1]) * 1e6
        steps = np.unique(np.geomspace(n / 2, 200 * n, 60) / PER_STEP).round().astype(int)
        d = steps * PER_STEP
        loss = HOFFMANN["E"] + HOFFMANN["A"] * n ** -HOFFMANN["alpha"] + HOFFMANN["B"] * d ** -HOFFMANN["beta"]  # fmt: skip
        (root / size).mkdir(parents=True)
        pd.DataFrame({"step": steps, "lr": 3e-4, "loss": loss}).to_csv(
            root / size / "run.csv", index=False
        )
        rows += [
            {"run": f"{size}/run", "params": n, "tokens": t, "loss": v}
            for t, v in zip(d, loss, strict=True)
        ]
    return pd.DataFrame(rows)


def test_a_folder_and_read_lr_curves_give_the_table_s_exponent(tmp_path: Path) -> None:
    table = _write_folder(tmp_path / "curves")
    want = envelope(table, bootstrap=0)
    curves = read_lr_curves(tmp_path / "curves")
    got = envelope(curves, tokens_per_step=PER_STEP, bootstrap=0)
    assert got.a.value == pytest.approx(want.a.value, rel=1e-12)
    assert got.a.value == pytest.approx(0.28 / (0.34 + 0.28), abs=0.02)
    assert got.source == "8 curves (read_lr_curves)"  # one file each
    folder = envelope(tmp_path / "curves", tokens_per_step=PER_STEP, bootstrap=0)
    assert folder.a.value == pytest.approx(want.a.value, rel=1e-12)
    assert folder.source == str(tmp_path / "curves")
    assert sorted(set(folder.runs)) == sorted(f"{s}/run" for s in SIZES)


def test_curves_of_steps_without_tokens_per_step_say_what_to_pass(tmp_path: Path) -> None:
    _write_folder(tmp_path / "curves")
    with pytest.raises(ConfigError) as err:
        envelope(read_lr_curves(tmp_path / "curves"), bootstrap=0)
    assert err.value.message == (
        "curves from read_lr_curves count steps, not tokens (8 run(s), e.g. '1280M/run'): the "
        "envelope puts each point at C = 6·N·D"
    )
    assert (
        err.value.hint
        == "pass tokens_per_step=N, the batch size × sequence length: tokens = step × N"
    )


def test_a_list_of_something_else_is_refused_by_name() -> None:
    with pytest.raises(ConfigError) as err:
        envelope([math.pi], tokens_per_step=PER_STEP, bootstrap=0)
    assert err.value.message.endswith("as read_lr_curves returns them, got a float in the list")
    with pytest.raises(ConfigError) as err:
        envelope([], bootstrap=0)
    assert err.value.message.endswith("got an empty list")
