"""``hparams fit`` takes the robust-loss options ``fit_hparams`` takes, spelled as ``fit``
spells them: ``--robust-loss`` and ``--delta``, with its defaults (the weighting's loss;
delta 0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._hparam_sweeps import sweep
from tests.test_cli_robust_options import _help

from scalinglab import fit_hparams


@pytest.mark.heavy
def test_hparams_fit_takes_the_robust_options_of_its_law_fits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sweep.csv"
    sweep(1).to_csv(path, index=False)
    base = ["hparams", "fit", str(path), "--seq-len", "2048", "--bootstrap", "0", "--json"]
    code, out, _ = cli(capsys, *base)
    assert code == 0
    settings = json.loads(out)["settings"]
    assert (settings["robust_loss"], settings["delta"]) == ("squared", 0.1)  # the weighting's
    code, out, _ = cli(capsys, *base, "--robust-loss", "huber", "--delta", "0.05")
    assert code == 0
    given = json.loads(out)
    assert (given["settings"]["robust_loss"], given["settings"]["delta"]) == ("huber", 0.05)
    oracle = fit_hparams(path, seq_len=2048, bootstrap=0, robust_loss="huber", delta=0.05)
    assert given["lr_law"]["coefs"] == pytest.approx(oracle.lr_law.coefs, rel=1e-12)
    said = _help(capsys, "hparams", "fit")
    assert said["--robust-loss"] == (
        "Robust loss of the lr* and B* law fits: huber, soft_l1 or squared [default: squared "
        "with --weighting regret, huber with equal]."
    )
    assert said["--delta"] == "Scale of the robust loss. [default: 0.1]"
