"""One name for the robust loss of a fit: ``robust_loss`` (``--robust-loss``), while ``loss``
is the measured loss everywhere. The old spellings (``loss=``, ``--loss NAME`` on the commands
that fit, ``FitResult.loss``, a fit file's ``"loss"`` key) still work for one release, and warn."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests._hparam_sweeps import SEQ_LEN, sweep
from tests.test_curves import _synthetic

import scalinglab
from scalinglab import ConfigError, FitResult
from scalinglab.curves import Tissue, choose_ridge, fit_curves
from scalinglab.hparams import HparamFit, fit_hparams, fit_law

OLD_FIT = (  # saved by scalinglab before the rename (main at d78b91d): the robust loss as "loss"
    '{"format":"scalinglab.fit/1","law":"E + A*N**-alpha","formula":"L = E + A * N**(-alpha'
    ')","coefs":{"E":1.8000000000000012,"A":30.0000000000006,"alpha":0.30000000000000154},"'
    'intervals":{"E":["nan","nan"],"A":["nan","nan"],"alpha":["nan","nan"]},"level":0.9,"sa'
    'mples":null,"objective":0.0,"status":"converged","message":"converged: the objective s'
    'topped decreasing and the Newton step is negligible","n_starts":144,"n_starts_solved":'
    '144,"n_starts_at_best":130,"n_converged":144,"at_bound":[],"aic":-441.43328056813385,"'
    'bic":-442.0580021604497,"residuals":[0.0,0.0,0.0,0.0,1.1102230246251565e-16,1.11022302'
    '46251565e-16],"runs":["r0","r1","r2","r3","r4","r5"],"columns":{"N":"params"},"loss":"'
    'soft_l1","delta":0.001,"space":"log","n_bootstrap":0,"resample":"runs","seed":0,"sourc'
    'e":"<DataFrame> (6 runs)","simulated":false,"conventions":{"params":"as given in the r'
    'un table","flops":"none in the data (no FLOPs column, and no tokens to compute 6\\u00b7'
    'N\\u00b7D from)","loss":"as given in the run table","tokens":"tokens seen"},"notes":["v'
    'ariables: N reads column \'params\' (another column: --x SYMBOL=COLUMN)"],"solver":"comp'
    'iled-avx512","extrapolation":{"kind":"bootstrap","reason":"extrapolation error not ask'
    'ed for","reach":{"N":320000000.0},"distances":[],"residuals":[],"spreads":[],"sigma":0'
    '.0,"slope":0.0,"cuts":[],"power":2.0,"sizes":[],"with_spreads":false,"deltas":[],"cova'
    'riance":null,"with_delta":false,"diverged":[],"floor":{"N":10000000.0},"sigma_full":0.'
    '0},"warnings":["too few runs: 6 for 3 parameters (2.0 per parameter, under 5); paramet'
    "ers and extrapolations are unreliable \\u2014 add runs or fit a law with fewer paramete"
    'rs"],"trusted":false}'
)

N = np.array([1e7, 2e7, 4e7, 8e7, 1.6e8, 3.2e8])
#: The runs OLD_FIT was fitted to.
FRAME = pd.DataFrame({"run": [f"r{i}" for i in range(6)], "params": N, "loss": 1.8 + 30 * N**-0.3})
LAW = "E + A*N**-alpha"


def _fit(**options: object) -> FitResult:
    return scalinglab.fit(LAW, FRAME, bootstrap=0, extrapolation=False, **options)  # type: ignore[arg-type]


def test_fit_takes_robust_loss_and_writes_it_under_its_name() -> None:
    result = _fit(robust_loss="soft_l1")
    assert result.robust_loss == "soft_l1"
    data = result.to_dict()
    # "loss" too, for the previous release's reader (same format id), for the deprecation
    assert data["robust_loss"] == "soft_l1" and data["loss"] == "soft_l1"
    again = FitResult.from_dict(json.loads(result.to_json()))
    assert again.robust_loss == "soft_l1"


def test_a_fit_file_read_by_robust_loss_before_loss() -> None:
    data = _fit(robust_loss="soft_l1").to_dict()
    data["loss"] = "squared"  # only the previous release reads it
    assert FitResult.from_dict(data).robust_loss == "soft_l1"


def test_fit_loss_keyword_still_works_and_warns_at_the_callers_line() -> None:
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit\(loss=\) is deprecated") as got:
        old = _fit(loss="soft_l1")
    assert got[0].filename == __file__  # the warning points at the call, not inside scalinglab
    assert "use robust_loss=" in str(got[0].message)
    new = _fit(robust_loss="soft_l1")
    assert old.robust_loss == "soft_l1" and old.objective == new.objective
    assert dict(old.coefs) == dict(new.coefs)


def test_fit_refuses_two_different_robust_losses() -> None:
    with pytest.raises(ConfigError, match="got both robust_loss='squared' and loss='soft_l1'"):
        _fit(robust_loss="squared", loss="soft_l1")


def test_unknown_robust_loss_names_the_option() -> None:
    with pytest.raises(ConfigError, match="unknown robust loss 'cauchy'") as err:
        _fit(robust_loss="cauchy")
    assert "--robust-loss NAME; robust_loss=NAME" in err.value.hint


def test_fit_result_loss_is_a_deprecated_read_only_alias() -> None:
    result = _fit(robust_loss="squared")
    with pytest.warns(DeprecationWarning, match=r"FitResult\.loss is deprecated.*robust_loss"):
        assert result.loss == "squared"
    with pytest.raises(AttributeError):
        result.loss = "huber"  # type: ignore[misc]


def test_a_fit_file_written_before_the_rename_still_loads(tmp_path: Path) -> None:
    old = json.loads(OLD_FIT)
    assert old["loss"] == "soft_l1" and "robust_loss" not in old
    path = tmp_path / "old-fit.json"
    path.write_text(OLD_FIT, encoding="utf-8")
    result = FitResult.load(path)
    assert result.robust_loss == "soft_l1" and result.delta == 0.001
    assert float(result.predict(params=1e9).loss[0]) == pytest.approx(1.8 + 30 * 1e9**-0.3)
    # saved again, it is written with today's key (and the old one, for the old reader)
    again = result.to_dict()
    assert again["robust_loss"] == "soft_l1" and again["loss"] == "soft_l1"


def test_backtest_and_compare_pass_the_old_keyword_on_with_their_own_warning() -> None:
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.backtest\(loss=\)") as got:
        bt = scalinglab.backtest(FRAME, law=LAW, holdout="largest:1", bootstrap=0, loss="squared")
    assert got[0].filename == __file__
    assert bt.fit.robust_loss == "squared"
    new = scalinglab.backtest(
        FRAME, law=LAW, holdout="largest:1", bootstrap=0, robust_loss="squared"
    )
    assert new.fit.robust_loss == "squared" and new.fit.objective == bt.fit.objective
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.compare\(loss=\)"):
        scalinglab.compare(FRAME, laws=[LAW], holdout="largest:1", bootstrap=0, loss="squared")


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_fit_hparams_names_the_robust_loss_and_reads_older_settings(tmp_path: Path) -> None:
    frame = sweep(4)
    new = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, weighting="equal", robust_loss="squared")
    assert new.settings["robust_loss"] == "squared" and "loss" not in new.settings
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit_hparams\(loss=\)") as got:
        old = fit_hparams(frame, seq_len=SEQ_LEN, bootstrap=0, weighting="equal", loss="squared")
    assert got[0].filename == __file__
    assert old.lr_law.coefs == new.lr_law.coefs
    data = new.to_dict()
    # written under both names (the previous release's "loss" for its readers), read as one
    assert data["settings"]["robust_loss"] == "squared" and data["settings"]["loss"] == "squared"
    both = tmp_path / "hp-both.json"
    both.write_text(json.dumps({**data, "settings": {**data["settings"], "loss": "huber"}}))
    read = HparamFit.load(both).settings
    assert read["robust_loss"] == "squared" and "loss" not in read
    del data["settings"]["loss"]
    # a file from before the rename kept the robust loss under "loss"
    data["settings"] = {
        ("loss" if k == "robust_loss" else k): v for k, v in data["settings"].items()
    }
    path = tmp_path / "hp-old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert HparamFit.load(path).settings["robust_loss"] == "squared"


def test_fit_law_and_the_curve_fits_take_robust_loss_and_warn_on_loss() -> None:
    cols = {"params": N, "tokens": 20 * N}
    lr = 0.01 * (N / 1e7) ** -0.3
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.hparams\.fit_law\(loss=\)"):
        old = fit_law("A * N**alpha", "lr", cols, lr, None, loss="squared")
    new = fit_law("A * N**alpha", "lr", cols, lr, None, robust_loss="squared")
    assert old.coefs == new.coefs and new.coefs["alpha"] == pytest.approx(-0.3)
    spec = "cosine:peak=3e-4,end=3e-5,warmup=200,steps=3000"
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, (spec,), noise=0.0, seed=1, every=100)
    with pytest.warns(DeprecationWarning, match=r"scalinglab\.fit_curves\(loss=\)"):
        old_curves = fit_curves(curves, law="tissue", bootstrap=0, loss="squared")
    new_curves = fit_curves(curves, law="tissue", bootstrap=0, robust_loss="squared")
    assert dict(old_curves.coefs) == dict(new_curves.coefs)
    with pytest.warns(DeprecationWarning, match=r"choose_ridge\(loss=\)"):
        choose_ridge(curves, law="tissue", grid=(0.0,), cuts=(0.5,), loss="squared")


def test_cli_robust_loss_is_the_flag_and_saved_under_its_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    base = ["fit", "--bootstrap", "0", "--no-compare", "--json"]
    code, out, err = cli(capsys, *base, "--robust-loss", "soft_l1")
    assert code == 0, err
    data = json.loads(out)  # "loss" beside it for the previous release's reader
    assert data["robust_loss"] == "soft_l1" and data["loss"] == "soft_l1"
    assert "deprecated" not in err


def test_cli_old_loss_flag_still_fits_with_one_warning_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["fit", "--bootstrap", "0", "--no-compare", "--json"]
    code, out, err = cli(capsys, *base, "--loss", "soft_l1")
    assert code == 0, err
    assert json.loads(out)["robust_loss"] == "soft_l1"
    said = [line for line in err.splitlines() if "deprecated" in line]
    assert said == [
        "warning: --loss soft_l1 is deprecated and goes in the next release: use --robust-loss "
        "soft_l1 (--loss is a measured loss, as on `hparams predict`)"
    ]
    code, _, err = cli(capsys, *base, "--loss", "cauchy")  # refused, with no warning first
    assert code == 2 and "warning" not in err
    assert err.startswith("error: --loss cauchy: on this command --loss was the old spelling")
    code, _, err = cli(capsys, *base, "--loss", "soft_l1", "--robust-loss", "squared")
    assert code == 2
    assert "--robust-loss squared and --loss soft_l1 both given" in err


@pytest.mark.parametrize("command", ["fit", "backtest", "report"])
def test_cli_help_offers_robust_loss_not_loss(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = cli(capsys, command, "--help")
    assert code == 0
    assert "--robust-loss" in out and "--loss " not in out


def test_backtest_cli_old_flag_warns_and_reaches_the_fits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    FRAME.to_csv(path, index=False)
    args = ["backtest", str(path), "--law", LAW, "--holdout", "largest:1", "--json"]
    code, out, err = cli(capsys, *args, "--loss", "squared")
    assert code == 0, err
    assert "warning: --loss squared is deprecated" in err
    code, again, err = cli(capsys, *args, "--robust-loss", "squared")
    assert code == 0 and "deprecated" not in err
    assert json.loads(out) == json.loads(again)  # the same fits, spelt either way


def test_measured_loss_options_keep_their_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "hparams", "predict", "--preset", "kaplan2020", "--loss", "2.5")
    assert code == 0, err
    assert "deprecated" not in err and "(--loss 2.5)" in out
