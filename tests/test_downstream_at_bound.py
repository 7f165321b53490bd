"""A task law's parameters at a bound are said, as ``fit`` says ``at bound``: a sigmoid whose
range ``a`` reaches ``1 − chance`` assumes accuracy reaches 100%."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main


def test_downstream_fit_says_the_sigmoid_ceiling_is_at_its_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(2)
    n = np.repeat([20e6, 50e6, 100e6, 200e6, 400e6, 800e6], 5)
    d = n * np.tile([5, 10, 20, 40, 80], 6)
    loss = (1.69 + 406.4 * n**-0.34 + 410.7 * d**-0.28) * np.exp(rng.normal(0, 0.003, n.size))
    # a range past 1 - chance: the fit presses a against its ceiling
    acc = 0.25 + 0.8 / (1 + np.exp(4 * (loss - 3.0))) + rng.normal(0, 0.004, n.size)
    path = tmp_path / "evals.csv"
    frame = {"run": [f"m{i}" for i in range(n.size)], "params": n, "tokens": d, "loss": loss,
             "acc_hellaswag": acc}  # fmt: skip
    pd.DataFrame(frame).to_csv(path, index=False)
    code = main(["downstream", "fit", str(path), "--tasks", "hellaswag", "--bootstrap", "20"])
    out, err = capsys.readouterr()
    assert code == 0, err
    text = " ".join(out.split())
    assert "note: hellaswag: at bound: a (in " in text
    assert (
        "a = 1 − chance = 0.75 is the sigmoid's ceiling, so the predictions assume accuracy "
        "reaches 100% at low loss" in text
    )
