"""What reading the evaluations' run table said (a FLOPs column that is not 6·N·D) is in
Evals.notes, once, and so in a chain's notes and ``downstream fit``'s lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import fit_downstream, read_evals
from scalinglab.downstream._io import chain_from_dict, chain_to_dict, load_chain, save_chain

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


def test_the_run_tables_warnings_are_the_chains_warnings_and_are_saved(tmp_path: Path) -> None:
    """A units warning from reading the evaluations (sizes written in millions) is among
    the chain's warnings, unmarked, not its notes, and a saved chain keeps it; a file
    written when it was a note (``warning: ...``) loads with it too."""
    frame = models(np.random.default_rng(0), SIZES, MULTS)
    runs = tmp_path / "runs.csv"
    frame.assign(params=frame["params"] / 1e6)[["run", "params", "tokens", "loss"]].to_csv(
        runs, index=False
    )
    evals = read_evals(frame.drop(columns=["params", "tokens", "loss"]), runs=runs)
    marked = [n for n in evals.notes if n.startswith("warning: ")]
    assert len(marked) == 1 and marked[0].startswith("warning: params 10 to 200 ")
    said = marked[0].removeprefix("warning: ")
    chain = fit_downstream(evals, law="chinchilla", bootstrap=0, max_backtest_error=None)
    assert chain.warnings[0] == said
    assert not [n for n in chain.notes if "params 10 to 200" in n]
    save_chain(chain, tmp_path / "c.json")
    assert load_chain(tmp_path / "c.json").warnings == chain.warnings
    # an older file: the warning among its notes, marked, and its warnings without it
    old = chain_to_dict(chain)
    old["notes"] = [marked[0], *old["notes"]]
    old["warnings"] = [w for w in old["warnings"] if w != said]
    assert chain_from_dict(old).warnings == chain.warnings
    assert marked[0] not in chain_from_dict(old).notes
