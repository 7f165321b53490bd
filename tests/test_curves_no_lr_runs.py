"""A curve file (or store) where several runs log no learning rate and no schedule is
given: the error names every such run, the first few and how many more, not only the
first one found; one run is said as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError
from scalinglab.curves import read_lr_curves

_STEPS = np.arange(100, 2100, 100)
_LR = np.full(len(_STEPS), 3e-4)
_LOSS = 3.0 + 2.0 * (_STEPS / 100.0) ** -0.5


def _write(path: Path, blank: list[str]) -> None:
    frames = [pd.DataFrame({"run": "good", "step": _STEPS, "lr": _LR, "loss": _LOSS})]
    frames += [
        pd.DataFrame({"run": run, "step": _STEPS, "lr": np.nan, "loss": _LOSS + 0.01 * k})
        for k, run in enumerate(blank)
    ]
    pd.concat(frames).to_csv(path, index=False)


def test_every_run_without_an_lr_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    blank = [f"r{k}" for k in range(1, 8)]
    _write(path, blank)
    with pytest.raises(DataError) as error:
        read_lr_curves(path)
    assert str(error.value).startswith(
        f"{path}: 7 runs ('r1', 'r2', 'r3', 'r4', 'r5' and 2 more) log no learning rate: "
        "every lr cell is blank or NaN"
    )
    assert error.value.hint.startswith("fill in their lr, or pass --schedule 'cosine:peak=3e-4,")


def test_one_run_without_an_lr_is_said_as_before(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    _write(path, ["nolr"])
    with pytest.raises(DataError, match="run 'nolr' logs no learning rate") as error:
        read_lr_curves(path)
    assert error.value.hint.startswith("fill in its lr, or pass --schedule 'cosine:peak=3e-4,")
