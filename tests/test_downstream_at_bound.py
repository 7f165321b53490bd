"""A task law's parameters at a bound are said, as ``fit`` says ``at bound``: a sigmoid whose
range ``a`` reaches ``1 − chance`` assumes accuracy reaches 100%."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab.cli import main


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
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


def test_without_a_chance_level_the_ceiling_is_a_plus_the_fitted_floor(tmp_path: Path) -> None:
    """No chance level known (``mytask``): ``b`` is fitted, and ``a``, bounded by ``1 − b``,
    holds the sigmoid's ceiling ``a + b`` at 100% where the data would take it past (1.75):
    the note says so, not "1 − chance" nor a ceiling above 100%."""
    from scalinglab import fit_downstream, read_evals
    from scalinglab._format import format_g

    rng = np.random.default_rng(4)
    n = np.repeat([20e6, 50e6, 100e6, 200e6, 400e6, 800e6], 5)
    d = n * np.tile([5, 10, 20, 40, 80], 6)
    loss = (1.69 + 406.4 * n**-0.34 + 410.7 * d**-0.28) * np.exp(rng.normal(0, 0.003, n.size))
    acc = 0.25 + 1.5 / (1 + np.exp(2.5 * (loss - 1.8))) + rng.normal(0, 0.004, n.size)
    frame = pd.DataFrame({"run": [f"m{i}" for i in range(n.size)], "params": n, "tokens": d,
                          "loss": loss, "acc_mytask": acc})  # fmt: skip
    evals = read_evals(frame)
    assert np.isnan(evals.chance["mytask"])
    task = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    fitted = task.tasks["mytask"]
    assert fitted.step is not None
    a, b = fitted.step.coefs["a"], fitted.step.coefs["b"]
    assert a + b <= 1.0
    assert a == pytest.approx(1.0 - b)  # at its upper bound
    note = fitted.bound_note
    assert "1 − chance" not in note and "above 100%" not in note
    assert note.endswith(
        f"; a = 1 − b = {format_g(a, 3)} puts the sigmoid's ceiling a + b at 100%, its upper "
        f"bound (no chance level is known for the task, so its floor b = {format_g(b, 3)} was "
        "fitted), so the predictions assume accuracy reaches 100% at low loss (give its chance "
        "level with --chance, chance= in Python, to tie b to it)"
    )
