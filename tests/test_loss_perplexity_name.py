"""A loss read from a column named as a perplexity (``val_ppl``, ``eval/perplexity``) is
warned of whatever its values (at least 1, a perplexity's least): a larger model's
perplexity falls below ln 262,144 = 12.5 (9.1 at a loss of 2.2), where the value rule alone
let it through and the fit planned on exp(loss) without a word."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

import scalinglab
from scalinglab.data import read_runs
from scalinglab.data._perplexity import is_perplexity_name, perplexity_warning

LOOKS = "look like perplexity (exp of the loss)"


def _ladder_ppl() -> pd.DataFrame:
    """20 runs of Hoffmann et al.'s law (100M-3B params, 5-80 tokens/param), as perplexity:
    9.1 to 54 (losses 2.2 to 4.0), so some values are below 12.5."""
    rows = []
    for n in (1e8, 3e8, 1e9, 3e9):
        for ratio in (5, 10, 20, 40, 80):
            loss = 1.69 + 406.4 / n**0.34 + 410.7 / (n * ratio) ** 0.28
            rows.append({"model_size": n, "tokens": n * ratio, "val_ppl": math.exp(loss)})
    return pd.DataFrame(rows)


def test_the_name_rule_is_a_word_of_the_name() -> None:
    for name in ("ppl", "val_ppl", "eval/perplexity", "Val Perplexity", "ppl.c4"):
        assert is_perplexity_name(name), name
    for name in ("loss", "val_loss", "apple", "perplexed_loss", "upplift"):
        assert not is_perplexity_name(name), name


def test_a_column_named_as_perplexity_is_warned_of_below_the_value_rule() -> None:
    values = [9.1, 20.0, 54.0]
    said = perplexity_warning(values, where="column 'val_ppl'", option="--y COL", column="val_ppl")
    assert said is not None and LOOKS in said
    assert said.startswith("warning: loss 9.1 to 54 (column 'val_ppl'): the column is named as")
    # the same values under a loss's name, or no name, are a loss the value rule lets through
    assert perplexity_warning(values, where="column 'loss'", column="loss") is None
    assert perplexity_warning(values, where="column 'val_ppl'") is None
    # below 1 no value is a perplexity: a log-perplexity column named ppl is a loss
    assert perplexity_warning([0.9, 2.0], where="column 'ppl'", column="ppl") is None


def test_fit_reads_val_ppl_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    frame = _ladder_ppl()
    frame.to_csv(path, index=False)
    assert frame["val_ppl"].min() < 12.5 < frame["val_ppl"].max()
    table = read_runs(path, y="val_ppl")
    assert any(LOOKS in n and "column 'val_ppl'" in n for n in table.notes)
    # the same values read as ln of themselves are losses: no warning
    frame.assign(val_loss=np.log(frame["val_ppl"])).drop(columns="val_ppl").to_csv(
        path, index=False
    )
    assert not any(LOOKS in n for n in scalinglab.read_runs(path).notes)
