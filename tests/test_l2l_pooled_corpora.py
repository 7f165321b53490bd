"""``loss2loss fit`` of runs of several corpora fitted as one: its warning offers
``--group`` (one law per corpus) beside ``--where`` (keep one), as ``fit``'s offers
``--where`` alone; with ``--group`` no group warns, each holding one corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalinglab.data._training_data import mixed_training_data
from scalinglab.downstream import fit_loss_to_loss


def _runs() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    lx = np.tile(np.linspace(3.0, 4.5, 8), 2)
    corpus = ["c4"] * 8 + ["rpj"] * 8
    shift = np.where(np.array(corpus) == "c4", 0.0, 0.3)
    ly = 1.3 * (lx - 1.8) ** 1.1 + 1.1 + shift + rng.normal(0, 0.003, lx.size)
    return pd.DataFrame({"run": [f"r{i}" for i in range(16)], "loss_a": lx, "loss_b": ly,
                         "dataset": corpus})  # fmt: skip


def test_the_pooled_fit_offers_group_beside_where() -> None:
    pooled = fit_loss_to_loss(_runs(), x="loss_a", y="loss_b", bootstrap=0)
    said = [w for w in pooled.warnings if "training distribution" in w]
    assert said == [
        "the runs span 2 values of 'dataset' (c4, rpj), fitted as one: a law holds for one "
        "training distribution — choose one with --where dataset=c4 (RunTable.where in "
        "Python), or fit one law per value: --group dataset (group='dataset' in Python)"
    ]
    grouped = fit_loss_to_loss(_runs(), x="loss_a", y="loss_b", group="dataset", bootstrap=0)
    assert set(grouped.fits) == {"c4", "rpj"}
    assert not [w for w in grouped.warnings if "training distribution" in w]


def test_other_commands_offer_where_alone() -> None:
    labels = {"dataset": ["c4", "rpj"]}
    (plain,) = mixed_training_data(labels)
    assert plain.endswith("choose one with --where dataset=c4 (RunTable.where in Python)")
    (grouped,) = mixed_training_data(labels, group=True)
    assert (
        grouped == plain + ", or fit one law per value: --group dataset (group='dataset' in Python)"
    )
