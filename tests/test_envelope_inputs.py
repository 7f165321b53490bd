"""What ``envelope`` refuses or says about its input: final losses instead of curves, columns
it does not read, and a run table that contradicts the curves' own sizes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli

from scalinglab import DataError, envelope
from scalinglab.data import read_curves

#: Final losses, one row per run: what fit and isoflop read, not curves.
FINAL = """run,params,tokens,loss
a,1e7,2e8,3.9
b,3e7,6e8,3.5
c,1e8,2e9,3.1
d,3e8,6e9,2.8
"""


def test_one_point_per_run_is_refused_naming_what_to_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "final.csv"
    path.write_text(FINAL)
    with pytest.raises(DataError, match="no run has 2\\+ points") as err:
        envelope(path, bootstrap=20)
    assert "use isoflop or fit" in err.value.hint
    code, _, stderr = cli(capsys, "envelope", str(path), "--bootstrap", "20")
    assert code == 2
    assert "no run has 2+ points (all 4 have one)" in stderr and "isoflop or fit" in stderr


#: Two runs' curves with their own params column and a flops column (10× 6·N·D).
CURVES = """run,tokens,loss,params,flops
m0,1e8,5.7,1e7,6e16
m0,2e8,5.2,1e7,1.2e17
m1,1e8,5.5,3e7,1.8e17
m1,2e8,4.9,3e7,3.6e17
"""


def test_a_run_table_that_disagrees_with_the_curves_params_is_refused(tmp_path: Path) -> None:
    """--runs silently won over the curves' own params even 10× apart; rounding passes."""
    curves = tmp_path / "curves.csv"
    curves.write_text(CURVES)
    table = tmp_path / "runs.csv"
    table.write_text("run,params\nm0,1e7\nm1,3e8\n")
    with pytest.raises(DataError) as err:
        read_curves(curves, runs=table)
    assert str(err.value).startswith(
        f"{curves}, row 4, column 'params': run 'm1' has params 3e7 in the curves but "
        f"3e8 in {table}: which is its size?"
    )
    assert "drop one source of sizes" in err.value.hint
    read = read_curves(curves, runs={"m0": 1.01e7, "m1": 2.99e7})  # a count rounded
    assert read.params.tolist() == [1.01e7, 1.01e7, 2.99e7, 2.99e7]
    assert "params of each run read from the run table (within 5% of the curves' column " in (
        " ".join(read.notes)
    )


def test_columns_and_options_not_used_are_said(tmp_path: Path) -> None:
    curves = tmp_path / "curves.csv"
    curves.write_text(CURVES)
    read = read_curves(curves, tokens_per_step=1024.0)
    assert (
        "column 'flops' not read: the envelope puts each point at C = 6·N·D of its params and "
        "tokens"
    ) in read.notes
    assert (
        "tokens per step not used: the curves' tokens are read from column 'tokens' (it turns "
        "steps into tokens when there are none)"
    ) in read.notes
    np.testing.assert_allclose(read.flops, 6 * read.params * read.tokens)
    flops_only = tmp_path / "flops_only.csv"
    flops_only.write_text(CURVES.replace("tokens,", "").replace(",1e8,", ",").replace(",2e8,", ","))
    with pytest.raises(DataError, match="column 'flops' is not read: compute is C = 6·N·D"):
        read_curves(flops_only)


def test_envelope_takes_where_and_y_and_warns_of_pooled_corpora(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = law_curves(HOFFMANN, noise=0.003, seed=2, sizes=10)
    other = one.assign(run=one["run"] + "b", loss=one["loss"] * 1.1)
    both = pd.concat([one.assign(dataset="c4"), other.assign(dataset="rpj")])
    path = tmp_path / "curves.csv"
    both.rename(columns={"loss": "val_loss"}).to_csv(path, index=False)
    pooled = (
        "the curves span 2 values of 'dataset' (c4, rpj), fitted as one: a law holds for one "
        "training distribution — choose one with --where dataset=c4 (Curves.where in Python)"
    )
    assert envelope(both, bootstrap=0).warnings == (pooled,)
    alone = envelope(read_curves(both).where("dataset", "c4"), bootstrap=0)
    assert alone.warnings == () and alone.n_runs == 10
    assert alone.a.value == pytest.approx(envelope(one, bootstrap=0).a.value, abs=1e-12)
    code, out, _ = cli(capsys, "envelope", str(path), "--y", "val_loss", "--bootstrap", "0")
    assert code == 0 and f"warning: {pooled}" in out
    code, out, _ = cli(
        capsys, "envelope", str(path), "--y", "loss=val_loss", "--where", "dataset=c4",
        "--bootstrap", "0", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["warnings"] == [] and data["n_runs"] == 10
    assert data["a"] == pytest.approx(alone.a.value, abs=1e-12)
    code, _, err = cli(capsys, "envelope", str(path), "--where", "dataset=wiki")
    assert code == 2 and "no run has dataset = 'wiki'" in err and "c4, rpj" in err


def test_a_missing_loss_column_is_hinted_by_the_option_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--y`` naming a column the curves lack hints ``--y loss=COLUMN``, as fit does for the
    same mistake; ``--map loss=...`` hints ``--map``; no loss column at all hints ``--y``."""
    path = tmp_path / "curves.csv"
    law_curves(HOFFMANN, noise=0.0, sizes=6).to_csv(path, index=False)
    hints = {
        ("--y", "loss2"): "--y loss=COLUMN",
        ("--y", "loss=loss2"): "--y loss=COLUMN",
        ("--map", "loss=loss2"): "--map loss=COLUMN",
    }
    for given, hint in hints.items():
        code, _, err = cli(capsys, "envelope", str(path), "--bootstrap", "0", *given)
        assert code == 2 and "no column 'loss2' to read loss from" in err, given
        assert f"hint: pass an existing column: {hint}\n" in err, given
    code, _, err = cli(capsys, "fit", str(path), "--bootstrap", "0", "--y", "loss2")
    assert code == 2 and "hint: pass an existing column: --y loss=COLUMN\n" in err
    unnamed = tmp_path / "unnamed.csv"
    pd.read_csv(path).rename(columns={"loss": "ce"}).to_csv(unnamed, index=False)
    code, _, err = cli(capsys, "envelope", str(unnamed), "--bootstrap", "0")
    assert code == 2 and "hint: say which column holds it: --y loss=COLUMN\n" in err


def test_final_losses_without_a_run_column_are_told_they_are_no_curves(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The Chinchilla points (params, FLOPs, loss: no run, step or tokens column) were told
    to name a run column with --map, in Python too."""
    frame = pd.DataFrame(
        {
            "Model Size": [1e7, 3e7, 1e8],
            "Training FLOP": [1e17, 1e18, 1e19],
            "loss": [3.9, 3.5, 3.1],
        }
    )
    with pytest.raises(DataError) as err:
        envelope(frame, bootstrap=20)
    assert str(err.value).startswith(
        "<DataFrame>: no run column (looked for run, name, run_name, exp_name, run_id, id) and "
        "no step or tokens column (the columns are 'Model Size', 'Training FLOP', 'loss'): "
        "final losses, one row per run; this reads loss curves, several checkpoints per run"
    )
    assert err.value.hint == "for final losses (one row per run) use isoflop or fit"


def test_curves_without_a_run_column_are_hinted_for_python_too() -> None:
    frame = pd.DataFrame(
        {"model": ["a", "a", "b", "b"], "step": [1, 2, 1, 2], "loss": [4, 3, 4, 3]}
    )
    with pytest.raises(DataError, match="no run column") as err:
        read_curves(frame, tokens_per_step=1e6)
    assert err.value.hint == (
        "say which column holds it: --map run=COLUMN (columns={'run': COLUMN} in Python)"
    )
