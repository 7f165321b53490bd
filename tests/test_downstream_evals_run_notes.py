"""What reading the evaluations' run table said (a FLOPs column that is not 6·N·D) is in
Evals.notes, once, and so in a chain's notes and ``downstream fit``'s lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import fit_downstream, read_evals

#: The reader's note on a FLOPs column of 8·N·D (its start: the rest says how plans count it).
SAID = "column 'flops' holds 1.33× 6·N·D: plans and predictions from a fit of N and D"


def test_the_run_tables_notes_are_the_evaluations_and_the_chains(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    frame["flops"] = 8.0 * frame["params"] * frame["tokens"]
    evals = read_evals(frame)
    assert [n for n in evals.notes if n.startswith(SAID)] == [evals.runs.notes[0]]
    # joined to a run table that holds the sizes: said once, not once per reading
    runs = tmp_path / "runs.csv"
    frame[["run", "params", "tokens", "flops", "loss"]].to_csv(runs, index=False)
    joined = read_evals(frame.drop(columns=["params", "tokens", "flops", "loss"]), runs=runs)
    assert sum(n.startswith(SAID) for n in joined.notes) == 1
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert chain.notes[0].startswith(SAID)
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    code, out, _ = cli(
        capsys, "downstream", "fit", str(path), "--tasks", "task", "--law", "chinchilla",
        "--bootstrap", "0", "--max-backtest-error", "inf",
    )  # fmt: skip
    assert code == 0 and SAID in " ".join(out.split())
