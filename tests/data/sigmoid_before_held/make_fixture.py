"""How ``chain.json`` in this folder was made (run once, by hand, with the code of commit
82177319, before a sigmoid's ceiling ``a + b`` was held at or below 100%):

    PYTHONPATH=<that commit's src> python tests/data/sigmoid_before_held/make_fixture.py

12 models on a Chinchilla law's losses and one task of no known chance level whose accuracy
rises from 0.3 by 1.0 as loss falls: that code fitted its sigmoid's ``a`` to its bound 1
beside a fitted floor ``b``, a ceiling ``a + b`` above 100%. A chain of that shape must still
load and predict as it did (``tests/test_sigmoid_ceiling.py``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import scalinglab


def frame() -> pd.DataFrame:
    """The models: 6 sizes, 2 token budgets each, accuracy ``0.3 + 1/(1 + exp(3(L − 2.4)))``
    plus noise of 0.005."""
    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(2e7, 1e9, 6), 2)
    d = n * np.tile([20.0, 80.0], 6)
    loss = 1.8 + 400 * n**-0.34 + 400 * d**-0.28
    acc = 0.3 + 1.0 / (1 + np.exp(3.0 * (loss - 2.4))) + rng.normal(0, 0.005, 12)
    runs = [f"m{i}" for i in range(12)]
    return pd.DataFrame({"run": runs, "params": n, "tokens": d, "loss": loss, "MyTask": acc})


if __name__ == "__main__":
    evals = scalinglab.read_evals(frame(), tasks=["MyTask"])
    chain = scalinglab.fit_downstream(evals, law="chinchilla", bootstrap=20)
    coefs = chain.tasks["mytask"].step.coefs  # type: ignore[union-attr]
    assert coefs["a"] + coefs["b"] > 1, coefs
    chain.save(Path(__file__).parent / "chain.json")
