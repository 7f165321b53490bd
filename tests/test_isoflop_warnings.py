"""isoflop and envelope warn as ``fit`` does (a ``warnings`` list, ``warning:`` lines, a JSON
``warnings`` key): pooled corpora, intervals from too few resamples, runs not on isoFLOP
slices; and the table's title claims only the intervals it shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves
from tests._cli import cli

from scalinglab import envelope, isoflop


def scattered(n: int = 40, seed: int = 1) -> pd.DataFrame:
    """Runs at random (N, D) of the Hoffmann law: no isoFLOP slices."""
    rng = np.random.default_rng(seed)
    N, D = 10 ** rng.uniform(7, 9.5, n), 10 ** rng.uniform(9, 11.5, n)
    loss = 1.69 + 406.4 * N**-0.34 + 410.7 * D**-0.28
    return pd.DataFrame(
        {"run": [f"r{i}" for i in range(n)], "params": N, "tokens": D, "loss": loss}
    )


def test_pooled_corpora_are_a_warning_as_fit_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = isoflop_runs()
    runs["dataset"] = np.where(np.arange(len(runs)) % 2, "c4", "rpj")
    result = isoflop(runs, bootstrap=0)
    want = (
        "the runs span 2 values of 'dataset' (rpj, c4), fitted as one: a law holds for one "
        "training distribution — choose one with --where dataset=rpj (RunTable.where in Python)"
    )
    assert result.warnings == (want,)
    assert want not in result.notes and result.to_dict()["warnings"] == [want]
    path = tmp_path / "runs.csv"
    runs.to_csv(path, index=False)
    code, out, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "0")
    assert code == 0 and f"warning: {want}" in out and "note: the runs span" not in out
    code, out, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "0", "--json")
    assert code == 0 and json.loads(out)["warnings"] == [want]


def test_too_few_resamples_for_the_level_are_warned_of(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """fit's rule: 3 resamples at 99.9% make ends that are single resamples."""
    want = (
        "intervals from 3 resamples only: their ends are noise at 99.9% (use 10000 or more; "
        "the estimate may lie outside them); a warning, not a refusal: the "
        "estimates do not depend on the resamples, only the intervals do"
    )
    assert want in isoflop(isoflop_runs(), bootstrap=3, level=0.999).warnings
    assert not isoflop(isoflop_runs(), bootstrap=40, level=0.9).warnings
    curves = law_curves(HOFFMANN, noise=0.003, seed=2, sizes=12)
    env = envelope(curves, bootstrap=3, level=0.999)
    # counted as the resamples that gave a line: here 2 of the 3
    assert env.params_law.samples is not None and len(env.params_law.samples) == 2
    kept = want.replace("from 3 resamples", "from 2 resamples")
    assert kept in env.warnings
    path = tmp_path / "curves.csv"
    curves.to_csv(path, index=False)
    code, out, _ = cli(capsys, "envelope", str(path), "--bootstrap", "3", "--level", "0.999")
    assert code == 0 and f"warning: {kept}" in out


def test_runs_off_isoflop_slices_are_warned_of_and_no_interval_is_claimed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """40 runs at random (N, D): 3 chance budgets of 3 runs each carry the exponent."""
    result = isoflop(scattered(), bootstrap=100)
    assert result.warnings == (
        "the exponent rests on 9 of the 40 runs read (3 budgets used): the runs do not lie on "
        "isoFLOP slices (several model sizes at each of a few compute budgets), and budgets "
        "found among scattered runs are chance groupings; to use every run, fit a law to "
        "them (scalinglab fit; scalinglab.fit)",
    )
    assert not isoflop(isoflop_runs(), bootstrap=0).warnings  # every run on a slice
    path = tmp_path / "scattered.csv"
    scattered().to_csv(path, index=False)
    code, out, _ = cli(capsys, "isoflop", str(path), "--bootstrap", "100")
    assert code == 0 and "warning: the exponent rests on 9 of the 40 runs" in out
    # every budget holds 3 runs: no interval is shown, and the title claims none
    assert re.search(r"^compute-optimal power laws *$", out, re.MULTILINE)
    assert "90% intervals" not in out
