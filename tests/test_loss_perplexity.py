"""Perplexity given as the loss: every door that reads a loss to fit warns (never refuses)
when every value exceeds ln 262,144 nats, which no language model's cross-entropy does;
realistic losses and the bundled data are read without it. And ``hparams fit`` on such data
shows no NumPy ``RuntimeWarning``."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._chinchilla_draws import HOFFMANN, law_curves
from tests._cli import cli
from tests.conftest import CHINCHILLA_CSV, SHARED

import scalinglab
from scalinglab.data import bundled_runs, read_runs
from scalinglab.data._perplexity import MOST_NATS, perplexity_warning
from scalinglab.downstream import LossToLossFit, fit_loss_to_loss

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"
LOOKS = "look like perplexity (exp of the loss)"


def _c4() -> pd.DataFrame:
    """The bundled open_lm runs on C4 (real losses 2.9 to 6.0), one row each."""
    runs = bundled_runs("overtraining-c4")
    return pd.DataFrame(
        {"run": runs.runs, "params": runs["params"], "tokens": runs["tokens"], "loss": runs["loss"]}
    )


def test_the_rule_is_every_value_above_ln_of_the_largest_vocabulary() -> None:
    assert abs(MOST_NATS - 18 * math.log(2)) < 1e-12  # ln 262144 = 18 ln 2 = 12.4766
    said = perplexity_warning([13.0, 40.0, 96.0], where="column 'ppl'", option="--y loss=COL")
    assert said is not None
    assert said.startswith("warning: loss 13 to 96 (column 'ppl'): every value exceeds 12.5 nats")
    assert LOOKS in said and "write ln of each value" in said and "(--y loss=COL)" in said
    assert perplexity_warning([2.0, 3.1, 5.0], where="column 'loss'") is None
    # one value a loss could be (a diverged run's 20 among them does not make them perplexity)
    assert perplexity_warning([11.0, 40.0, 96.0], where="column 'loss'") is None
    assert perplexity_warning([MOST_NATS, 40.0], where="column 'loss'") is None
    assert perplexity_warning([np.nan, 13.0, np.inf], where="column 'loss'") is not None
    assert perplexity_warning([np.nan], where="column 'loss'") is None


@pytest.mark.heavy
def test_fit_warns_of_perplexity_and_still_fits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _c4()
    ppl = frame.assign(loss=np.exp(frame["loss"]))
    path = tmp_path / "ppl.csv"
    ppl.to_csv(path, index=False)
    low, high = math.exp(frame["loss"].min()), math.exp(frame["loss"].max())
    code, out, _ = cli(capsys, "fit", str(path), "--bootstrap", "0", "--no-compare")
    out = " ".join(out.split())
    assert code == 0  # a warning, not an error
    assert f"warning: loss {low:.4g} to {high:.4g} (column 'loss'): every value exceeds" in out
    assert LOOKS in out and "read that as the loss (--y loss=COLUMN)" in out
    # Python's reader says it in the table's notes, as it says sizes in another unit
    assert any(LOOKS in n for n in read_runs(path).notes)
    code, out, _ = cli(capsys, "backtest", str(path))
    assert code == 0 and LOOKS in " ".join(out.split())


def test_realistic_losses_and_the_bundled_data_get_no_warning(tmp_path: Path) -> None:
    for name in ("overtraining-c4", "overtraining-rpj", "overtraining-rw", "simulated"):
        assert not any(LOOKS in n for n in bundled_runs(name).notes), name
    if CHINCHILLA_CSV.is_file():
        assert not any(LOOKS in n for n in read_runs(CHINCHILLA_CSV).notes)
    path = tmp_path / "runs.csv"
    _c4().to_csv(path, index=False)
    assert not any(LOOKS in n for n in read_runs(path).notes)


@pytest.mark.heavy
def test_report_prints_the_warning_its_page_shows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _c4()
    path = tmp_path / "ppl.csv"
    frame.assign(loss=np.exp(frame["loss"])).to_csv(path, index=False)
    page = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(path), "--out", str(page), "--bootstrap", "0", "--no-validate"
    )
    assert code == 0 and LOOKS in " ".join(err.split())
    assert LOOKS in page.read_text()


def test_envelope_and_curves_warn_of_perplexity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    curves = law_curves(HOFFMANN, sizes=10, seed=2)  # losses 1.9 to 4.5
    ppl = curves.assign(loss=np.exp(curves["loss"] + 1.0))  # 19 to 5095: a weak model's
    path = tmp_path / "curves.csv"
    ppl.to_csv(path, index=False)
    code, out, _ = cli(capsys, "envelope", str(path), "--bootstrap", "0")
    assert code == 0 and LOOKS in " ".join(out.split())
    curves.to_csv(path, index=False)
    code, out, _ = cli(capsys, "envelope", str(path), "--bootstrap", "0")
    assert code == 0 and LOOKS not in " ".join(out.split())
    logged = pd.DataFrame(
        {"run": "r", "step": np.arange(1, 201), "lr": 1e-3, "loss": 40.0 - 0.1 * np.arange(200)}
    )
    with pytest.warns(UserWarning, match="look like perplexity"):
        scalinglab.read_lr_curves(logged)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scalinglab.read_lr_curves(logged.assign(loss=np.log(logged["loss"])))


@pytest.mark.skipif(not STEPLAW.is_file(), reason="the Step Law sweep lives in ../shared/data")
@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_hparams_fit_warns_and_shows_no_numpy_overflow(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sweep = pd.read_csv(STEPLAW)
    path = tmp_path / "sweep.csv"
    # perplexity of losses 2.6 to 10.2: a resampled vertex of one cell runs past e^709
    sweep.assign(loss=np.exp(sweep["loss"] + 0.5)).to_csv(path, index=False)
    code, out, err = cli(capsys, "hparams", "fit", str(path))
    both = " ".join((out + err).split())
    assert code == 0
    assert "RuntimeWarning" not in both and "overflow" not in both
    assert LOOKS in both and "(--y COLUMN)" in both


@pytest.mark.skipif(not (SHARED / "lr-schedules").is_dir(), reason="in ../shared/data")
@pytest.mark.heavy
def test_fit_from_curves_warns_once_of_the_curves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frames = []
    for size, params in (("25M", 25e6), ("100M", 100e6)):
        for schedule in ("constant_24000", "cosine_24000"):
            curve = pd.read_csv(SHARED / "lr-schedules" / size / f"{schedule}.csv")
            frames.append(curve.assign(run=f"{size}-{schedule}", params=params))
    curves = pd.concat(frames)
    path = tmp_path / "curves.csv"
    curves.assign(loss=np.exp(curves["loss"])).to_csv(path, index=False)
    low = math.exp(curves["loss"].min())
    code, out, err = cli(capsys, "fit", "--from-curves", str(path), "--bootstrap", "0")
    said = " ".join((out + err).split())
    assert code == 0
    # the curves' perplexity, said once: not again of the cooled-down losses predicted
    assert said.count(LOOKS) == 1
    assert f"warning: loss {low:.4g} to " in said and "(the curves' loss column)" in said


def _two_losses() -> pd.DataFrame:
    """The bundled C4 runs with a second loss, 0.3 nats above their C4 loss."""
    frame = _c4()
    return frame.rename(columns={"loss": "loss_c4"}).assign(loss_web=frame["loss"] + 0.3)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_loss2loss_fit_warns_of_perplexity_as_either_loss(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = _two_losses()
    path = tmp_path / "ppl.csv"
    frame.assign(loss_web=np.exp(frame["loss_web"])).to_csv(path, index=False)
    low, high = math.exp(frame["loss_web"].min()), math.exp(frame["loss_web"].max())
    args = ("loss2loss", "fit", str(path), "--x", "loss_c4", "--y", "loss_web", "--bootstrap", "0")
    code, out, _ = cli(capsys, *args)
    said = " ".join(out.split())
    assert code == 0 and said.count(LOOKS) == 1
    assert f"warning: loss {low:.4g} to {high:.4g} (column 'loss_web'): every value" in said
    assert "read that as the loss (--y COLUMN)" in said
    code, out, err = cli(capsys, *args, "--json")  # stdout's JSON and stderr's lines
    assert code == 0 and LOOKS in " ".join(err.split())
    assert sum(LOOKS in w for w in json.loads(out)["warnings"]) == 1
    # in Python too, of L_x, worded as the call's keyword; a saved fit keeps it
    frame.assign(loss_c4=np.exp(frame["loss_c4"])).to_csv(path, index=False)
    l2l = fit_loss_to_loss(path, x="loss_c4", y="loss_web", bootstrap=0)
    ppl = [w for w in l2l.warnings if LOOKS in w]
    assert len(ppl) == 1 and "(column 'loss_c4')" in ppl[0] and "(x=COLUMN)" in ppl[0]
    l2l.save(tmp_path / "l2l.json")
    assert LossToLossFit.load(tmp_path / "l2l.json").warnings == l2l.warnings
    frame.to_csv(path, index=False)  # real losses: none
    clean = fit_loss_to_loss(path, x="loss_c4", y="loss_web", bootstrap=0)
    assert not any(LOOKS in w for w in clean.warnings)
