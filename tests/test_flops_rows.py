"""A flops column most of whose rows are 6·N·D (or one factor of it) names the rows far from
that: the median alone called a file 6·N·D "to within 2%" with a quarter of its rows 3×."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab import read_runs


def runs(scale: np.ndarray) -> pd.DataFrame:
    n = np.geomspace(1e7, 1e9, len(scale))
    d = 20 * n
    return pd.DataFrame({"params": n, "tokens": d, "flops": scale * 6 * n * d, "loss": 3.0})


def test_rows_three_times_the_others_are_named(tmp_path: Path) -> None:
    scale = np.ones(12)
    scale[::4] = 3.0  # a quarter of the rows: CSV lines 2, 6 and 10
    path = tmp_path / "runs.csv"
    runs(scale).to_csv(path, index=False)
    table = read_runs(path)
    assert table.flops_convention == (
        "as given in the data (column 'flops'): 6·N·D to within 2% (median ratio 1), "
        "except 3 of 12 rows at 3× that (rows 2, 6, 10)"
    )
    assert [n for n in table.notes if n.startswith("warning: ")] == [
        "warning: column 'flops' at 3 of 12 rows (rows 2, 6, 10) is 3× what the rows' median "
        "ratio to 6·N·D (1) gives from their params and tokens: flops that far off are a "
        "wrong value or another unit, and put a run at another compute; check those rows' "
        "flops, params and tokens"
    ]


def test_exact_counts_drifting_with_size_are_not_named() -> None:
    """Exact counts run from about 2.3× 6·N·D for a narrow model to 1.04× for a wide one:
    a drift with the model's shape, within a factor 2 of the median."""
    table = read_runs(runs(np.geomspace(2.3, 1.04, 10)))
    assert not any(n.startswith("warning: ") for n in table.notes)
    assert "except" not in table.flops_convention
    off = runs(np.r_[np.ones(9), 10.0])  # one row in another unit, at the bottom of 10
    table = read_runs(off)
    assert "except 1 of 10 rows at 10× that (row df.iloc[9])" in table.flops_convention


def test_flops_following_a_rule_in_n_are_read_as_that_rule() -> None:
    """flops = 6·N·D·(1 + 2e8/N): the fit counts C by that rule, so the reader says it too
    (it said "median 1.2× 6·N·D" and called the small models' rows a wrong value or unit)."""
    from scalinglab import fit

    n = np.geomspace(5e7, 1.6e10, 20)
    d = 20 * n
    flops = 6 * n * d * (1 + 2e8 / n)
    loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28
    table = read_runs(pd.DataFrame({"params": n, "tokens": d, "flops": flops, "loss": loss}))
    rule = "C = 6·N·D·(1 + 2e8·N^-1) at its 20 model sizes (N = 50M to 16B), to within 1%"
    assert table.flops_convention == (
        f"as given in the data (column 'flops'), counted as its source did: {rule} "
        "(1.01-5× 6·N·D, falling with N)"
    )
    assert not any(n.startswith("warning: ") for n in table.notes)
    said = next(m for m in table.notes if "budgets in this file's FLOPs" in m)
    assert said.startswith(f"column 'flops' holds {rule} (1.01-5× 6·N·D, falling with N): ")
    result = fit("chinchilla", table, bootstrap=0)
    assert result.conventions.flops == table.flops_convention
    assert result.flops_convention is not None
    assert result.flops_convention.formula() == "C = 6·N·D·(1 + 2e8·N^-1)"
