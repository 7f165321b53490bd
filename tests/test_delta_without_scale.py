"""A ``delta`` (``--delta``) given with the squared loss, which has no scale, fits as if it
were not given: the result's notes say so (on every command that takes both), and the text
shows no δ for it. ``hparams fit`` says which loss fitted its laws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.conftest import chinchilla_runs
from tests.test_curves import MPL_TRUE, SPECS, _synthetic

import scalinglab as sl
from scalinglab.curves import MultiPower

UNUSED = "delta 0.5 (--delta) has no effect with the squared loss, which has no scale"


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_fit_notes_a_delta_the_squared_loss_ignores(capsys: pytest.CaptureFixture[str]) -> None:
    runs = chinchilla_runs(outliers=0)
    given = sl.fit("chinchilla", runs, robust_loss="squared", delta=0.5, bootstrap=0)
    plain = sl.fit("chinchilla", runs, robust_loss="squared", bootstrap=0)
    assert given.objective == plain.objective  # it changed nothing
    assert UNUSED in given.notes and not any("--delta" in n for n in plain.notes)
    # a scale the loss has: no note
    huber = sl.fit("chinchilla", runs, robust_loss="huber", delta=0.5, bootstrap=0)
    assert not any("--delta" in n for n in huber.notes)
    args = ("fit", "--bootstrap", "0", "--no-compare", "--robust-loss", "squared")
    code, out, err = cli(capsys, *args, "--delta", "0.5")
    assert code == 0, err
    assert f"note: {UNUSED}" in out
    assert "(squared, log space," in out and "δ=" not in out
    code, out, _ = cli(capsys, *args, "--delta", "0.5", "--json")
    assert code == 0 and UNUSED in json.loads(out)["notes"]
    code, out, _ = cli(capsys, "fit", "--bootstrap", "0", "--no-compare")
    assert code == 0 and "(huber, δ=0.001, log space," in out


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_curves_fit_notes_it() -> None:
    curves = _synthetic(MultiPower(), MPL_TRUE, SPECS[:3], noise=1e-3, seed=1)
    given = sl.fit_curves(curves, robust_loss="squared", delta=0.5, bootstrap=0)
    assert UNUSED in given.notes
    plain = sl.fit_curves(curves, robust_loss="squared", bootstrap=0)
    assert not any("--delta" in n for n in plain.notes)


@pytest.mark.heavy  # 3.2 s in the suite on a 2-core AMD EPYC
def test_hparams_fit_notes_it_and_names_its_loss(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    # the regret weighting fits its laws with the squared loss
    code, out, err = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0", "--delta", "0.5")
    assert code == 0, err
    assert f"note: {UNUSED}" in out
    assert "laws fitted with the squared loss, regret weighting" in out
    code, out, _ = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0", "--json",
                       "--delta", "0.5")  # fmt: skip
    assert code == 0 and UNUSED in json.loads(out)["notes"]
    code, out, _ = cli(capsys, "hparams", "fit", str(path), "--bootstrap", "0",
                       "--weighting", "equal", "--delta", "0.5")  # fmt: skip
    assert code == 0 and "--delta" not in out
    assert "laws fitted with the huber loss (δ=0.5), equal weighting" in out
